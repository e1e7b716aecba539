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
  const status = document.getElementById("copy-status");  // a live region: screen readers say it
  const done = () => {
    button.textContent = button.dataset.done;
    if (status) status.textContent = button.dataset.status || button.dataset.done;
  };
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

// What was typed into the log form, kept in this tab until the server says it is logged: a form
// sent after the session ended (a server restart, 12 idle hours) comes back after pairing again.
const DRAFT = "tracer-log-draft";
const DRAFT_FIELDS = ["sender", "heard_name", "text", "at", "to"];

function keepDraft(form) {
  const draft = { channel: form.querySelector('input[name="channel"]:checked').value };
  DRAFT_FIELDS.forEach((name) => { draft[name] = form.elements[name].value; });
  sessionStorage.setItem(DRAFT, JSON.stringify(draft));
}

function restoreDraft(form) {
  if (document.getElementById("logged")) {
    sessionStorage.removeItem(DRAFT);
    return;
  }
  const saved = sessionStorage.getItem(DRAFT);
  const typed = ["sender", "heard_name", "text", "at"].some((name) => form.elements[name].value);
  if (!saved || typed) return;  // the server gave the form back itself (an error): keep its values
  const draft = JSON.parse(saved);
  DRAFT_FIELDS.forEach((name) => {
    const field = form.elements[name];
    if (field && draft[name] && (field.tagName !== "SELECT" || [...field.options].some((o) => o.value === draft[name]))) {
      field.value = draft[name];
    }
  });
  const radio = form.querySelector(`input[name="channel"][value="${draft.channel === "sms" ? "sms" : "call"}"]`);
  if (radio) radio.checked = true;
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
    restoreDraft(form);
    followChannel(form);
    form.addEventListener("submit", () => keepDraft(form));
  }
});
