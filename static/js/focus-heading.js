// After a review ("Godkänn och nästa", "Återsänd och nästa"), the page it leads to moves the
// focus to its heading, so that a keyboard or screen reader user goes on from the top of the
// next report instead of from the start of the document. Without JavaScript nothing changes.
(function () {
  "use strict";

  var heading = document.querySelector("[data-focus-heading]");
  if (heading) {
    heading.focus();
  }
})();
