// The plan table: keyboard use and focus that follows the change. Loaded with defer.
(function () {
  "use strict";

  function focusById(id) {
    var element = id && document.getElementById(id);
    if (element) {
      element.focus();
      return true;
    }
    return false;
  }

  // After htmx replaces the table, put focus where the person was working.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    // A row that came back with problems: its error summary speaks first.
    var summary = document.querySelector("#plan-table .error-summary:not([data-seen])");
    if (summary) {
      summary.setAttribute("data-seen", "");
      summary.focus();
      return;
    }
    var table = document.getElementById("plan-table");
    if (table && table.dataset.focus && table.contains(event.detail.elt)) {
      focusById(table.dataset.focus);
      delete table.dataset.focus;
    }
  });

  // Browsers skip autofocus when the address names a fragment (#action-12), which is exactly
  // how the page opens a row for editing without JavaScript's help; focus it here instead.
  var editing = new URLSearchParams(window.location.search).get("edit");
  var adding = new URLSearchParams(window.location.search).get("add");
  // The browser moves to the fragment after the load event, so focus after it.
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      if (document.querySelector(".error-summary")) {
        return;
      }
      if (editing && /^\d+$/.test(editing)) {
        focusById("a" + editing + "-title");
      } else if (adding) {
        focusById("new-title");
      }
    }, 0);
  });

  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("form.action-edit");
    if (form) {
      if (event.key === "Escape") {
        event.preventDefault();
        var cancel = document.getElementById(form.dataset.cancel);
        if (cancel) {
          cancel.click();
        }
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    // Up and Down move between rows, staying on the same kind of button.
    if ((event.key === "ArrowUp" || event.key === "ArrowDown") &&
        event.target.hasAttribute && event.target.hasAttribute("data-row-key")) {
      var kind = event.target.id.replace(/-\d+$/, "");
      var rows = Array.prototype.slice.call(document.querySelectorAll("#plan-table tr.action-row"));
      var index = rows.indexOf(event.target.closest("tr"));
      var next = rows[index + (event.key === "ArrowUp" ? -1 : 1)];
      if (next) {
        event.preventDefault();
        focusById(kind + "-" + next.id.replace("action-", ""));
      }
    }
  });

  // "Cancel" on a new row removes the row (nothing was saved) and goes back to its add link.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-remove-row]");
    if (!link || !document.getElementById("plan-table")) {
      return;
    }
    var row = link.closest("tr");
    var add = row && row.nextElementSibling && row.nextElementSibling.querySelector("a[id^=add-]");
    if (row && row.classList.contains("new-row") && add) {
      event.preventDefault();
      row.remove();
      add.focus();
    }
  });
})();
