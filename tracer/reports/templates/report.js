(function () {
  "use strict";
  // Copy buttons: data-copy names the element whose value (or text) goes to the clipboard.
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.dataset.done || "✓";
    button.classList.add("done");
    window.setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1500);
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copy);
      if (!target) { return; }
      var value = "value" in target ? target.value : target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(function () { copied(button); }, function () { fallback(); });
      } else {
        fallback();
      }
      function fallback() {
        var area = document.createElement("textarea");
        area.value = value;
        document.body.appendChild(area);
        area.select();
        try { document.execCommand("copy"); copied(button); } finally { document.body.removeChild(area); }
      }
    });
  });

  // Filters over both contact tables (attributed, and the rest behind "show the rest").
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.contacts tbody tr"));
  var text = document.getElementById("f-text");
  var verdict = document.getElementById("f-verdict");
  var platform = document.getElementById("f-platform");
  var channel = document.getElementById("f-channel");
  var count = document.getElementById("f-count");
  var none = document.getElementById("f-none");
  var rest = document.getElementById("rest");
  if (!text) { return; }
  var haystack = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var template = count.dataset.of || "{shown} of {total}";
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var restShown = 0;
    rows.forEach(function (row, i) {
      var ok = (!verdict.value || row.dataset.verdict === verdict.value) &&
        (!platform.value || row.dataset.platform === platform.value) &&
        (!channel.value || row.dataset.channel === channel.value) &&
        words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
        if (rest && rest.contains(row)) { restShown += 1; }
      }
    });
    var filtering = words.length || verdict.value || platform.value || channel.value;
    if (rest && filtering && restShown > 0) { rest.open = true; }
    count.textContent = template.replace("{shown}", shown.toLocaleString()).replace("{total}", rows.length.toLocaleString());
    if (none) { none.hidden = shown !== 0; }
    document.body.dataset.filtered = String(shown);
  }
  [text, verdict, platform, channel].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.has("q")) { text.value = params.get("q"); }
  if (params.has("verdict")) { verdict.value = params.get("verdict"); }
  if (params.has("platform")) { platform.value = params.get("platform"); }
  if (params.has("channel")) { channel.value = params.get("channel"); }
  apply();
  // A link to #report-<platform> opens that platform's ready complaints.
  var hash = decodeURIComponent(window.location.hash.slice(1));
  var action = hash && document.getElementById(hash);
  if (action && action.tagName === "DETAILS") { action.open = true; }
})();
