// The error summary of a form (templates/includes/form_errors.html), as GOV.UK's: it takes the
// focus when the page opens, so that a screen reader reads it first, and each link moves the
// focus to its field, not only the page's scroll position.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.getAttribute("data-error-summary-ready")) {
    return;
  }
  summary.setAttribute("data-error-summary-ready", "1");
  summary.focus();

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    // The field's label or legend in view with it, as the person needs both.
    var legend = field.closest("fieldset");
    var label = legend || document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
