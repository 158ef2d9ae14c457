// Behaviour shared by every page. Loaded with defer; no inline script anywhere.
(function () {
  "use strict";
  // Move focus to a form's error summary, so that screen reader and keyboard users hear the
  // problems first and can follow the links to each field.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
