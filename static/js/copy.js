// "Copy" buttons: <button data-copy="#id-of-a-textarea" hidden> and, next to it, an element with
// data-copy-status that says what happened. The buttons stay hidden without JavaScript, where
// the read-only text area can still be selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!source) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(message) {
        if (status) {
          status.textContent = message;
        }
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(
          function () { done("Copied."); },
          function () { source.select(); done("Select the text and copy it with your keyboard."); }
        );
      } else {
        source.select();
        done("The text is selected: copy it with your keyboard.");
      }
    });
  });
})();
