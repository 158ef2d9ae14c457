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

  // After an htmx change, put focus where the person was working: the answer names it in
  // #plan-focus (actionplans.views.plans._changes), or a row came back with problems.
  document.body.addEventListener("htmx:afterSettle", function () {
    var summary = document.querySelector("#plan-table .error-summary:not([data-seen])");
    if (summary) {
      summary.setAttribute("data-seen", "");
      summary.focus();
      return;
    }
    var marker = document.getElementById("plan-focus");
    if (marker && marker.dataset.focus) {
      var found = document.querySelector(marker.dataset.focus);  // a selector, e.g. "#edit-12"
      marker.dataset.focus = "";
      if (found) {
        found.focus();
      }
    }
  });

  // The row menus' buttons belong to the table's one form (#plan-rows, which works without
  // JavaScript); with htmx they post the same do=<change>-<id> and swap only the rows that
  // change. The CSRF token travels in the header #plan-editor names (hx-headers).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[form=plan-rows][name=do]");
    var form = document.getElementById("plan-rows");
    if (button && form && window.htmx) {
      event.preventDefault();
      var row = button.closest("tr");
      htmx.ajax("POST", form.getAttribute("action"), {
        source: button,
        target: row || document.getElementById("undo-notice"),
        swap: row ? "outerHTML" : "innerHTML",
        values: { do: button.value }
      });
      return;
    }
    // "Edit" opens the row's form in place; one address template on the table, not per row.
    var link = event.target.closest && event.target.closest("#plan-table .row-actions > a");
    var table = document.getElementById("plan-table");
    if (link && link.id.indexOf("edit-") === 0 && table.dataset.editUrl && window.htmx) {
      event.preventDefault();
      var pk = link.id.replace("edit-", "");
      htmx.ajax("GET", table.dataset.editUrl.replace("/actions/0/", "/actions/" + pk + "/"), {
        source: link,
        target: link.closest("tr"),
        swap: "outerHTML"
      });
      return;
    }
    // "Actions" opens the row's menu in place (without JavaScript it opens the page with it).
    if (link && link.id.indexOf("menu-") === 0) {
      event.preventDefault();
      if (link.getAttribute("aria-expanded") === "true") {
        closeMenu(link);
      } else {
        openMenu(link);
      }
      return;
    }
    // A heading's actions fold away and back (the state is in aria-expanded).
    var toggle = event.target.closest && event.target.closest("button[data-collapse]");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.closest("tbody").classList.toggle("collapsed", !open);
    }
  });

  // One menu at a time, copied from #row-menu-template into the row it serves.
  function closeMenu(link) {
    var open = document.getElementById("row-menu");
    if (open) {
      var owner = open.parentNode.querySelector("a[id^=menu-]");
      open.remove();
      if (owner) {
        owner.setAttribute("aria-expanded", "false");
      }
    }
    if (link) {
      link.focus();
    }
  }
  function openMenu(link) {
    var template = document.getElementById("row-menu-template");
    if (!template) {
      return;
    }
    closeMenu();
    var pk = link.id.replace("menu-", "");
    var menu = template.content.firstElementChild.cloneNode(true);
    menu.querySelectorAll("button").forEach(function (button) {
      button.value = button.value.replace(/-0$/, "-" + pk);
    });
    link.parentNode.appendChild(menu);
    link.setAttribute("aria-expanded", "true");
    menu.querySelector("button").focus();
  }

  // Controls that need JavaScript say so only with it: the fold buttons are shown, and the
  // "Actions" links become disclosure buttons.
  function enhance(root) {
    root.querySelectorAll("#plan-table button[data-collapse][hidden]").forEach(function (b) {
      b.hidden = false;
    });
    root.querySelectorAll(".row-actions > a[id^=menu-]").forEach(function (a) {
      a.setAttribute("role", "button");
      a.setAttribute("aria-controls", "row-menu");
      if (!a.hasAttribute("aria-expanded")) {
        a.setAttribute("aria-expanded", "false");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  if (document.readyState !== "loading") {
    enhance(document);
  }
  document.addEventListener("htmx:load", function (event) {
    if (event.target.closest && event.target.closest("#plan-table")) {
      enhance(event.target.parentNode || document);
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
    var menu = event.target.closest && event.target.closest("#row-menu");
    if (menu && event.key === "Escape") {
      event.preventDefault();
      closeMenu(menu.parentNode.querySelector("a[id^=menu-]"));
      return;
    }
    if (event.key === " " && event.target.matches && event.target.matches("a[role=button]")) {
      event.preventDefault();
      event.target.click();
      return;
    }
    // Up and Down move between rows, staying on the same kind of control.
    if ((event.key === "ArrowUp" || event.key === "ArrowDown") &&
        event.target.matches && event.target.matches("#plan-table .row-actions > a")) {
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
