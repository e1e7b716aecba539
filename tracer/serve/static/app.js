// Leak Tracer's pages: chips, the call/SMS label, copy buttons. Served as a file (the CSP allows
// no inline script); the pages work without it, this only saves taps.
"use strict";

function addWord(textarea, word) {
  const text = textarea.value.trim();
  textarea.value = text ? text + " " + word : word;
  textarea.focus();
}

function copyField(button) {
  const field = document.getElementById(button.dataset.copy);
  const done = () => { button.textContent = button.dataset.done; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => legacyCopy(field, done));
  } else {
    legacyCopy(field, done);
  }
}

function legacyCopy(field, done) {  // plain http on the LAN has no Clipboard API
  field.select();
  field.setSelectionRange(0, field.value.length);
  if (document.execCommand("copy")) done();
}

function followChannel(form) {
  const label = document.getElementById("text-label");
  const sms = form.querySelector('input[name="channel"]:checked').value === "sms";
  label.textContent = sms ? label.dataset.sms : label.dataset.call;
}

document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("text");
  document.querySelectorAll(".chip").forEach((chip) => {
    chip.addEventListener("click", () => addWord(text, chip.dataset.word));
  });
  document.querySelectorAll(".copy").forEach((button) => {
    button.addEventListener("click", () => copyField(button));
  });
  const form = document.getElementById("log-form");
  if (form) {
    form.querySelectorAll('input[name="channel"]').forEach((radio) => {
      radio.addEventListener("change", () => followChannel(form));
    });
    followChannel(form);
  }
});
