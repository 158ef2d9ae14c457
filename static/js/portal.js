// Behaviour shared by every page. Loaded with defer; no inline script anywhere.
(function () {
  "use strict";
  // Move focus to a form's error summary, so that screen reader and keyboard users hear the
  // problems first and can follow the links to each field.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  // A button marked data-once sends its form once: a double click is one submission (the
  // server makes sure of it too).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute("data-once")) {
      if (button.dataset.sent) {
        event.preventDefault();
        return;
      }
      button.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
    }
  });
  // Following a link in an error summary puts the cursor in the field, not just beside it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({block: "center"});
      field.focus();
    }
  });
})();
