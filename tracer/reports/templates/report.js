(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.contacts tbody tr"));
  var text = document.getElementById("f-text");
  var verdict = document.getElementById("f-verdict");
  var platform = document.getElementById("f-platform");
  var channel = document.getElementById("f-channel");
  var count = document.getElementById("f-count");
  var none = document.getElementById("f-none");
  if (!text) { return; }
  var haystack = rows.map(function (row) { return row.textContent.toLowerCase(); });
  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = (!verdict.value || row.dataset.verdict === verdict.value) &&
        (!platform.value || row.dataset.platform === platform.value) &&
        (!channel.value || row.dataset.channel === channel.value) &&
        words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown.toLocaleString() + " of " + rows.length.toLocaleString() + " contacts";
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
})();
