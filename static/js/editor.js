// A small rich-text editor for long answers: paragraphs, bold, italic, lists and links, and two
// levels of headings where the textarea says data-rich="headings" (techcommit/text.py).
// The textarea stays in the form (hidden) and is kept in step, so a normal save still works.
// Pasted text goes through the server's sanitiser, the one place that decides what is kept.
// No inline styles are ever created: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  var TC = (window.TC = window.TC || {});
  var cleanUrlHolder = document.querySelector("[data-paste-clean-url]");
  var cleanUrl = cleanUrlHolder ? cleanUrlHolder.getAttribute("data-paste-clean-url") : null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  TC.csrfToken = csrfToken;

  // Parse trusted (server-sanitised) HTML into a fragment without running or styling anything.
  function fragmentFrom(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }
  TC.fragmentFrom = fragmentFrom;

  TC.setEditorHtml = function (editor, html) {
    editor.replaceChildren(fragmentFrom(html));
  };

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function plainToHtml(text) {
    return text
      .split(/\r?\n\s*\r?\n/)
      .filter(function (chunk) { return chunk.trim(); })
      .map(function (chunk) {
        return "<p>" + escapeText(chunk.trim()).replace(/\r?\n/g, "<br>") + "</p>";
      })
      .join("");
  }

  function insertHtmlAtCaret(editor, html) {
    var selection = window.getSelection();
    var range;
    if (selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      range = selection.getRangeAt(0);
    } else {
      range = document.createRange();
      range.selectNodeContents(editor);
      range.collapse(false);
    }
    range.deleteContents();
    var fragment = fragmentFrom(html);
    var last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) {
      range = document.createRange();
      range.setStartAfter(last);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }

  function sync(editor, textarea) {
    var html = editor.innerHTML;
    if (!editor.textContent.trim() && !editor.querySelector("li")) {
      html = "";
    }
    if (textarea.value !== html) {
      textarea.value = html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function cleanPasted(html, headings, done) {
    if (!cleanUrl) {
      done(null);
      return;
    }
    var body = new URLSearchParams();
    body.set("html", html);
    if (headings) {
      body.set("headings", "1");
    }
    fetch(cleanUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { done(data ? data.html : null); })
      .catch(function () { done(null); });
  }

  function button(label, command, extra) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary";
    b.textContent = label;
    b.setAttribute("data-command", command);
    if (extra) {
      b.setAttribute("aria-label", extra);
    }
    return b;
  }

  function enhance(textarea) {
    var id = textarea.id;
    var label = document.querySelector('label[for="' + id + '"]');
    var labelText = label ? label.textContent.trim() : "this answer";
    var headings = textarea.getAttribute("data-rich") === "headings";

    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar btn-toolbar gap-1 mb-1";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting for " + labelText);
    toolbar.setAttribute("aria-controls", id);
    (headings ? [button("Heading", "heading-h3"), button("Subheading", "heading-h4")] : []).concat([
      button("Bold", "bold"),
      button("Italic", "italic"),
      button("Bulleted list", "insertUnorderedList"),
      button("Numbered list", "insertOrderedList"),
      button("Link", "createLink"),
      button("Remove link", "unlink"),
    ]).forEach(function (b) { toolbar.appendChild(b); });

    var editor = document.createElement("div");
    editor.className = "form-control rich-editor" + (textarea.classList.contains("is-invalid") ? " is-invalid" : "");
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("data-editor", "");
    if (label) {
      if (!label.id) {
        label.id = id + "-label";
      }
      editor.setAttribute("aria-labelledby", label.id);
    }
    var describedBy = textarea.getAttribute("aria-describedby");
    if (describedBy) {
      editor.setAttribute("aria-describedby", describedBy);
    }
    // The editor takes the field's id, so the label, the error summary's links and the
    // problem list all lead to it; the hidden textarea keeps its name for the form.
    textarea.id = id + "-source";
    editor.id = id;
    TC.setEditorHtml(editor, textarea.value);
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
    textarea.editor = editor;
    editor.source = textarea;

    if (label) {
      label.addEventListener("click", function (event) {
        event.preventDefault();
        editor.focus();
      });
    }

    editor.addEventListener("focus", function () {
      document.execCommand("styleWithCSS", false, false);
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    editor.addEventListener("input", function () { sync(editor, textarea); });
    editor.addEventListener("blur", function () {
      sync(editor, textarea);
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });
    editor.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) {
        return;
      }
      event.preventDefault();
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      editor.setAttribute("aria-busy", "true");
      cleanPasted(html || text, headings, function (clean) {
        editor.removeAttribute("aria-busy");
        editor.focus();
        insertHtmlAtCaret(editor, clean !== null ? clean : plainToHtml(text || ""));
        sync(editor, textarea);
      });
    });
    toolbar.addEventListener("mousedown", function (event) {
      // Keep the selection in the editor when a button is pressed.
      if (event.target.closest("button")) {
        event.preventDefault();
      }
    });
    toolbar.addEventListener("click", function (event) {
      var b = event.target.closest("button[data-command]");
      if (!b) {
        return;
      }
      var command = b.getAttribute("data-command");
      editor.focus();
      if (command === "createLink") {
        var address = window.prompt("Address of the link (starting with https://)", "https://");
        if (!address || !/^(https?:\/\/|mailto:)\S+$/i.test(address.trim())) {
          return;
        }
        document.execCommand("createLink", false, address.trim());
      } else if (command.indexOf("heading-") === 0) {
        // The same button again turns the heading back into a paragraph.
        var level = command.slice("heading-".length);
        var current = String(document.queryCommandValue("formatBlock") || "").toLowerCase();
        document.execCommand("formatBlock", false, current === level ? "p" : level);
      } else {
        document.execCommand(command, false, null);
      }
      sync(editor, textarea);
    });
  }

  TC.editorFor = function (field) {
    return field && field.editor ? field.editor : null;
  };

  document.querySelectorAll("textarea[data-rich]").forEach(enhance);
})();
