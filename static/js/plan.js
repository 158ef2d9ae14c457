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

  // A save that did not arrive: say so in the row, and keep everything typed where it is.
  function sayNotSaved(element, html) {
    var form = element && element.closest && element.closest("form");
    var place = form && form.classList.contains("action-edit") ? form : null;
    if (!place) {
      place = document.getElementById("plan-table");
    }
    if (!place) {
      return;
    }
    var notice = place.querySelector(":scope > [data-save-problem]");
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "alert alert-danger";
      notice.setAttribute("role", "alert");
      notice.setAttribute("tabindex", "-1");
      notice.setAttribute("data-save-problem", "");
      place.insertBefore(notice, place.firstChild);
    }
    notice.innerHTML = html;
    notice.focus();
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 401 || status === 403) {
      var next = encodeURIComponent(window.location.pathname + window.location.search);
      sayNotSaved(event.detail.elt,
        "<strong>You have been signed out, so this was not saved.</strong> " +
        "<a href=\"/accounts/login/?next=" + next + "\" target=\"_blank\" rel=\"noopener\">" +
        "Sign in again in a new tab</a>, then come back and save again: " +
        "what you typed is still here.");
    } else {
      sayNotSaved(event.detail.elt,
        "<strong>Not saved: the portal had a problem (" + status + ").</strong> " +
        "What you typed is still here; try saving again in a moment.");
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    sayNotSaved(event.detail.elt,
      "<strong>Not saved – check your connection.</strong> " +
      "What you typed is still here; save again when you are back online.");
  });

  // Leaving the page with an edit open and changed asks first.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.action-edit");
    if (form) {
      form.setAttribute("data-dirty", "");
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.action-edit[data-dirty]") && !window.TC_submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("submit", function (event) {
    // A plain (non-htmx) form post leaves the page on purpose.
    if (!event.target.hasAttribute("hx-post")) {
      window.TC_submitting = true;
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
