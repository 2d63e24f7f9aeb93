/* The remit screen: "copy message" puts the ready WeChat text on the clipboard (or leaves
   it selected for a long-press copy where the clipboard is not available). */
(function () {
  "use strict";
  var button = document.getElementById("copy-message");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var area = document.getElementById("remit-message");
    area.focus(); area.select();
    var done = function () { button.textContent = button.getAttribute("data-copied"); };
    try {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, function () {
          document.execCommand("copy"); done();
        });
      } else { document.execCommand("copy"); done(); }
    } catch (e) { /* the text stays selected: long-press to copy */ }
  });
})();
