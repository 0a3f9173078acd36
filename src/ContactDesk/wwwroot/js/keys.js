// Keyboard shortcuts for the queue and the ticket page, and their help (press ?). Loaded with
// data-page="queue" or "ticket". A shortcut never fires while typing in a field, nor with Ctrl, Alt
// or Meta held; everything it does can be done with Tab and Enter as well.
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script && script.getAttribute("data-page");
  var storeKey = "contactdesk.queue";

  function $(selector) { return document.querySelector(selector); }

  // The queue as last seen (its filter and order), so the ticket page can go to the next or previous one.
  function rememberQueue() {
    var links = Array.prototype.map.call(document.querySelectorAll("tbody tr[data-ticket] td.number a"), function (a) {
      return a.getAttribute("href");
    });
    try { sessionStorage.setItem(storeKey, JSON.stringify(links)); } catch (e) { /* storage off: no j/k on the ticket page */ }
  }

  function queueRows() { return Array.prototype.slice.call(document.querySelectorAll("tbody tr[data-ticket] td.number a")); }

  function moveInQueue(step) {
    var links = queueRows();
    if (links.length === 0) { return; }
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
  }

  function moveToTicket(step) {
    var links;
    try { links = JSON.parse(sessionStorage.getItem(storeKey) || "[]"); } catch (e) { links = []; }
    var at = links.indexOf(location.pathname);
    if (at !== -1 && links[at + step]) { location.href = links[at + step]; }
  }

  // r and n put the cursor in the message box and choose what Ctrl+Enter sends from there.
  function writeAs(kind) {
    var box = $("#reply-body");
    if (!box) { return; }
    box.form.setAttribute("data-send", kind);
    var mode = $("#reply-mode");
    if (!mode) {
      mode = document.createElement("p");
      mode.id = "reply-mode";
      mode.className = "hint";
      mode.setAttribute("role", "status");
      box.insertAdjacentElement("afterend", mode);
    }
    mode.textContent = kind === "note" ? "Ctrl+Enter adds an internal note." : "Ctrl+Enter sends the reply.";
    box.focus();
  }

  function press(selector) {
    var button = $(selector);
    if (button) { button.click(); }
  }

  var shortcuts = {
    queue: [
      { key: "j", does: "Next ticket in the list", run: function () { moveInQueue(1); } },
      { key: "k", does: "Previous ticket in the list", run: function () { moveInQueue(-1); } },
      { key: "Enter", does: "Open the chosen ticket", run: null },
      { key: "/", does: "Search", run: function () { var s = $("#f-search"); if (s) { s.focus(); } } },
    ],
    ticket: [
      { key: "r", does: "Write a reply", run: function () { writeAs("reply"); } },
      { key: "n", does: "Write an internal note", run: function () { writeAs("note"); } },
      { key: "e", does: "Resolve (write the resolution notes, then Ctrl+Enter)", run: function () { var r = $("#resolution-notes-input"); if (r) { r.focus(); } } },
      { key: "a", does: "Assign to me", run: function () { press("form[action*='handler=Claim'] button"); } },
      { key: "j", does: "Next ticket of the queue", run: function () { moveToTicket(1); } },
      { key: "k", does: "Previous ticket of the queue", run: function () { moveToTicket(-1); } },
      { key: "Ctrl+Enter", does: "In a text box: send its form (the reply, the note, the resolution)", run: null },
    ],
  }[page] || [];
  shortcuts.push({ key: "?", does: "Show these shortcuts", run: openHelp });
  shortcuts.push({ key: "Esc", does: "Close this help", run: null });

  var dialog, opener;

  function buildHelp() {
    dialog = document.createElement("dialog");
    dialog.id = "shortcuts-help";
    dialog.className = "shortcuts";
    dialog.setAttribute("aria-labelledby", "shortcuts-heading");
    var heading = document.createElement("h2");
    heading.id = "shortcuts-heading";
    heading.textContent = "Keyboard shortcuts";
    var list = document.createElement("dl");
    shortcuts.forEach(function (s) {
      var dt = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = s.key;
      dt.appendChild(kbd);
      var dd = document.createElement("dd");
      dd.textContent = s.does;
      list.appendChild(dt);
      list.appendChild(dd);
    });
    var note = document.createElement("p");
    note.className = "muted";
    note.textContent = "Shortcuts do nothing while you type in a field.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(heading, list, note, close);
    dialog.addEventListener("close", function () { if (opener && opener.focus) { opener.focus(); } });
    document.body.appendChild(dialog);
  }

  function openHelp() {
    if (!dialog) { buildHelp(); }
    if (dialog.open) { return; }
    opener = document.activeElement;
    dialog.showModal();
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (Cmd+Enter) in a text box sends its form, with the button r or n chose.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA" && event.target.form) {
      var form = event.target.form;
      var chosen = form.getAttribute("data-send");
      var button = (chosen && form.querySelector("button[name=send][value=" + chosen + "]")) || form.querySelector("button[type=submit]");
      event.preventDefault();
      form.requestSubmit(button || undefined);
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (dialog && dialog.open) { return; }
    for (var i = 0; i < shortcuts.length; i++) {
      if (shortcuts[i].key === event.key && shortcuts[i].run) {
        event.preventDefault();
        shortcuts[i].run();
        return;
      }
    }
  });

  // Say that shortcuts exist, and where: a button by the page's heading, and aria-keyshortcuts on what they work.
  var heading = $("main h1");
  if (heading) {
    var help = document.createElement("button");
    help.type = "button";
    help.className = "shortcuts-button";
    help.textContent = "Keyboard shortcuts";
    help.setAttribute("aria-keyshortcuts", "?");
    help.addEventListener("click", openHelp);
    heading.insertAdjacentElement("afterend", help);
  }
  var claim = $("form[action*='handler=Claim'] button");
  if (claim) { claim.setAttribute("aria-keyshortcuts", "a"); }

  if (page === "queue") {
    rememberQueue();
  }
})();
