// Never lose a word: every answer box saves itself as the person types (debounced) and on
// leaving it. A copy is kept in this browser until the server has it, so text typed after the
// session expired, or while offline, is saved later. A colleague's newer save is never
// overwritten: both texts are shown side by side to keep either or merge.
(function () {
  "use strict";
  var TC = (window.TC = window.TC || {});
  var DEBOUNCE_MS = 1500;
  var RETRY_MS = [2000, 5000, 15000, 30000, 60000];
  var boxes = [];
  var leaving = false;

  function store() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function readBackup(key) {
    var storage = store();
    if (!storage) {
      return null;
    }
    try {
      return JSON.parse(storage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function writeBackup(key, value) {
    var storage = store();
    if (storage) {
      try {
        storage.setItem(key, JSON.stringify(value));
      } catch (error) {
        // Storage full or forbidden: saving to the server still works.
      }
    }
  }

  function dropBackup(key) {
    var storage = store();
    if (storage) {
      storage.removeItem(key);
    }
  }

  function Box(element) {
    this.element = element;
    this.url = element.getAttribute("data-save-url");
    this.key = element.getAttribute("data-storage-key");
    this.field = element.querySelector("textarea[data-field], input[data-field]");
    this.editor = TC.editorFor ? TC.editorFor(this.field) : null;
    this.rich = !!this.field && this.field.hasAttribute("data-rich");
    this.versionInput = element.querySelector("[data-version]");
    this.flags = Array.prototype.slice.call(element.querySelectorAll("[data-flag]"));
    this.status = element.querySelector("[data-status]");
    this.problems = element.querySelector("[data-problems]");
    this.counter = element.querySelector("[data-word-count]");
    this.conflictPanel = element.querySelector("[data-conflict]");
    this.limit = parseInt(element.getAttribute("data-word-limit") || "0", 10);
    this.timer = null;
    this.inFlight = false;
    this.again = false;
    this.failures = 0;
    this.inConflict = false;
    this.failed = false;
    this.lastSent = null;
  }

  Box.prototype.text = function () {
    return this.field.value;
  };

  Box.prototype.setText = function (value) {
    this.field.value = value;
    if (this.editor) {
      TC.setEditorHtml(this.editor, value);
    }
    this.updateCount();
  };

  Box.prototype.flag = function () {
    for (var i = 0; i < this.flags.length; i++) {
      if (this.flags[i].checked) {
        return this.flags[i].value;
      }
    }
    return "";
  };

  Box.prototype.setFlag = function (value) {
    this.flags.forEach(function (radio) { radio.checked = radio.value === value; });
  };

  Box.prototype.version = function () {
    return parseInt(this.versionInput.value || "0", 10);
  };

  Box.prototype.setVersion = function (version) {
    this.versionInput.value = String(version);
  };

  Box.prototype.say = function (message, kind) {
    this.status.textContent = message;
    this.status.classList.toggle("text-danger", kind === "error");
    this.status.classList.toggle("fw-semibold", kind === "error");
    this.status.classList.toggle("autosave-failed", kind === "error");
  };

  Box.prototype.sayWithLink = function (before, linkText, href, after) {
    this.say(before, "error");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = linkText;
    this.status.appendChild(link);
    this.status.appendChild(document.createTextNode(after));
  };

  Box.prototype.updateCount = function () {
    if (!this.counter || !TC.countWords) {
      return;
    }
    var words = TC.countWords(this.text());
    var noun = words === 1 ? " word" : " words";
    var over = this.limit && words > this.limit ? words - this.limit : 0;
    if (this.limit) {
      this.counter.textContent = words + " of " + this.limit + " words" +
        (over ? " – " + over + " over the limit" : "");
    } else {
      this.counter.textContent = words + noun;
    }
    this.counter.classList.toggle("text-danger", over > 0);
    this.counter.classList.toggle("fw-semibold", over > 0);
  };

  Box.prototype.showProblems = function (problems) {
    this.problems.replaceChildren();
    (problems || []).forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      this.problems.appendChild(item);
    }, this);
    (this.editor || this.field).classList.toggle("is-invalid", !!(problems && problems.length));
  };

  Box.prototype.backup = function () {
    writeBackup(this.key, {
      text: this.text(),
      flag: this.flag(),
      version: this.version(),
      at: new Date().toISOString(),
    });
  };

  Box.prototype.changed = function () {
    this.updateCount();
    if (this.inConflict) {
      this.backup();
      return;
    }
    this.backup();
    this.failed = false;
    window.clearTimeout(this.timer);
    var box = this;
    this.timer = window.setTimeout(function () { box.save(); }, DEBOUNCE_MS);
  };

  Box.prototype.saveNow = function () {
    window.clearTimeout(this.timer);
    if (!this.inConflict) {
      this.save();
    }
  };

  Box.prototype.pending = function () {
    return this.inFlight || this.timer !== null || this.failed || this.inConflict;
  };

  Box.prototype.save = function () {
    var box = this;
    this.timer = null;
    if (this.inConflict) {
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    var sent = { text: this.text(), flag: this.flag(), version: this.version() };
    var body = new URLSearchParams();
    body.set("text", sent.text);
    body.set("version", String(sent.version));
    if (this.flags.length) {
      body.set("flag", sent.flag);
    }
    this.inFlight = true;
    this.say("Saving…");
    fetch(this.url, {
      method: "POST",
      headers: { "X-CSRFToken": TC.csrfToken(), "X-Requested-With": "fetch" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () { return {}; })
          .then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) { box.answered(result.status, result.data, sent); })
      .catch(function () { box.answered(0, {}, sent); });
  };

  Box.prototype.answered = function (status, data, sent) {
    this.inFlight = false;
    if (status === 200) {
      this.failures = 0;
      this.failed = false;
      this.setVersion(data.version);
      this.say("Saved at " + data.saved_at);
      this.showProblems(data.problems);
      if (this.text() === sent.text && this.flag() === sent.flag) {
        dropBackup(this.key);
      } else {
        this.backup();
        this.again = true;
      }
    } else if (status === 409) {
      this.again = false;
      this.showConflict(data);
      return;
    } else if (status === 401) {
      this.failed = true;
      this.again = false;
      this.backup();
      var next = window.location.pathname + window.location.search;
      this.sayWithLink(
        "You have been signed out, so this was not saved. Your text is kept in this browser. ",
        "Sign in again",
        (data.login_url || "/accounts/login/") + "?next=" + encodeURIComponent(next),
        " and it will be saved."
      );
      return;
    } else if (status === 413) {
      // Too long to send: saving again would fail the same way until the text is shortened.
      this.failed = true;
      this.backup();
      this.say("Not saved: " + (data.message || "this text is too long.") +
        " Your text is kept in this browser.", "error");
      return;
    } else if (status === 403 || status === 404 || status === 400) {
      this.failed = true;
      this.backup();
      this.say(
        "Not saved: " + (data.message || "this page is out of date.") +
          " Your text is kept in this browser; reload the page to carry on.",
        "error"
      );
      return;
    } else {
      this.failed = true;
      this.backup();
      var delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
      this.failures += 1;
      this.say(
        "Not saved – check your connection. Your text is kept in this browser and will be " +
          "saved when the connection returns.",
        "error"
      );
      var box = this;
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(function () { box.save(); }, delay);
      return;
    }
    if (this.again) {
      this.again = false;
      this.save();
    }
  };

  // --- Conflicts -----------------------------------------------------------------------------

  function column(title, content, rich) {
    var col = document.createElement("div");
    col.className = "col-md-6";
    col.setAttribute("role", "group");
    col.setAttribute("aria-label", title);
    var heading = document.createElement("p");
    heading.className = "fw-semibold mb-1";
    heading.textContent = title;
    var body = document.createElement("div");
    body.className = "conflict-text border rounded p-2";
    if (rich) {
      body.appendChild(TC.fragmentFrom(content));
    } else {
      body.textContent = content || "(empty)";
    }
    col.appendChild(heading);
    col.appendChild(body);
    return col;
  }

  function choice(label, primary, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm " + (primary ? "btn-primary" : "btn-outline-primary");
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }

  Box.prototype.showConflict = function (data) {
    var box = this;
    var mine = this.text();
    var theirs = data.theirs_html || "";
    this.inConflict = true;
    this.backup();
    this.say("Not saved: a colleague changed this answer. Choose which version to keep.", "error");
    var panel = this.conflictPanel;
    panel.replaceChildren();
    panel.className = "conflict alert alert-warning mt-2";
    var intro = document.createElement("p");
    intro.className = "fw-semibold";
    intro.textContent = (data.theirs_by || "A colleague") + " saved this answer at " +
      (data.theirs_at || "") + " while you were typing. Nothing has been overwritten.";
    var row = document.createElement("div");
    row.className = "row g-2 mb-2";
    row.appendChild(column("Your version", mine, this.rich));
    row.appendChild(column("Their version", theirs, this.rich));
    var actions = document.createElement("div");
    actions.className = "d-flex flex-wrap gap-2";

    function resolve() {
      box.inConflict = false;
      panel.hidden = true;
      panel.replaceChildren();
      box.setVersion(data.version);
    }
    actions.appendChild(choice("Keep my version", true, function () {
      resolve();
      box.save();
    }));
    actions.appendChild(choice("Keep their version", false, function () {
      resolve();
      box.setText(theirs);
      if (data.theirs_flag !== undefined && box.flags.length) {
        box.setFlag(data.theirs_flag === true ? "yes" : data.theirs_flag === false ? "no" : "");
      }
      dropBackup(box.key);
      box.say("Kept their version.");
    }));
    actions.appendChild(choice("Merge them", false, function () {
      resolve();
      var merged = box.rich
        ? theirs + "<p>—</p>" + mine
        : (theirs + " " + mine).trim();
      box.setText(merged);
      box.say("Both versions are in the box: edit them into one. It saves as you type.");
      (box.editor || box.field).focus();
      box.changed();
    }));
    panel.appendChild(intro);
    panel.appendChild(row);
    panel.appendChild(actions);
    panel.hidden = false;
    panel.focus();
  };

  // --- Restoring text kept in this browser -----------------------------------------------------

  Box.prototype.restore = function () {
    var saved = readBackup(this.key);
    if (!saved) {
      return;
    }
    if (saved.text === this.text() && (saved.flag || "") === this.flag()) {
      dropBackup(this.key);
      return;
    }
    if (saved.version === this.version()) {
      this.setText(saved.text);
      if (saved.flag) {
        this.setFlag(saved.flag);
      }
      this.say("Restored the text you typed earlier; saving it now.");
      this.save();
    } else {
      var theirs = this.text();
      this.setText(saved.text);
      this.showConflict({
        version: this.version(),
        theirs_html: theirs,
        theirs_by: "A colleague",
        theirs_at: "a later time",
      });
    }
  };

  function start(element) {
    var box = new Box(element);
    if (!box.field || !box.versionInput || !box.status) {
      return;
    }
    boxes.push(box);
    box.field.addEventListener("input", function () { box.changed(); });
    box.field.addEventListener("change", function () { box.saveNow(); });
    box.field.addEventListener("blur", function () { box.saveNow(); });
    box.flags.forEach(function (radio) {
      radio.addEventListener("change", function () {
        box.backup();
        box.saveNow();
      });
    });
    box.updateCount();
    box.restore();
  }

  document.querySelectorAll("[data-box]").forEach(start);

  window.addEventListener("online", function () {
    boxes.forEach(function (box) {
      if (box.failed && !box.inConflict) {
        box.saveNow();
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = boxes.some(function (box) { return box.pending(); });
    if (unsaved && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Submitting the section form sends every box anyway, and any other form on the page
  // (a figure upload) leaves the text in this browser to be restored on the next page: no
  // warning then, and no timer racing the form.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) {
      return;
    }
    leaving = true;
    if (event.target.matches("[data-section-form]")) {
      boxes.forEach(function (box) {
        window.clearTimeout(box.timer);
        box.timer = null;
      });
    }
  });
})();
