/* A shipment's notice: "copy" selects the text and copies it to the clipboard. */
(function () {
  "use strict";
  document.getElementById("copy-form").addEventListener("submit", function () {
    var area = document.getElementById("notice-text");
    area.focus(); area.select();
    try {
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(area.value); }
      else { document.execCommand("copy"); }
    } catch (e) { /* the text stays selected: long-press to copy */ }
  });
})();
