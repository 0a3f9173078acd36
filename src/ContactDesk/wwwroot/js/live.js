// Live updates for the queue and the ticket page: Server-Sent Events from /admin/events (see
// src/ContactDesk/Live) and, on the ticket page, who else is there. Every page works without this
// script: it only spares a reload and warns before answering twice.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  var ticket = live.getAttribute("data-ticket") || null;
  var me = live.getAttribute("data-me");
  var after = live.getAttribute("data-after") || "0";
  var announcer = document.getElementById("live-announce");
  var newerReply = null;

  function announce(text) { if (announcer) { announcer.textContent = text; } }

  var words = {
    created: "submitted", message_added: "added a message to", assigned: "assigned", unassigned: "unassigned",
    resolved: "resolved", reopened: "reopened", archived: "archived", restored: "restored",
    status_changed: "changed the status of", updated: "updated", deleted: "deleted"
  };
  function describe(ev) {
    var who = ev.actor || (ev.action === "created" ? "A visitor" : "Someone");
    if (ev.action === "created") { return "New ticket " + ev.ticket_number; }
    if (ev.action === "message_added") {
      var kind = ev.message_kind === "note" ? "an internal note" : ev.message_kind === "customer" ? "a customer message" : "a reply";
      return (ev.message_kind === "customer" ? "New customer message" : who + " added " + kind) + " on " + ev.ticket_number;
    }
    return who + " " + (words[ev.action] || "changed") + " " + ev.ticket_number;
  }

  // The page as the server renders it now, for the parts that changed; one fetch at a time.
  var fetching = false, again = false;
  function refresh(apply) {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html", "X-ContactDesk-Live": "refresh" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) { apply(new DOMParser().parseFromString(html, "text/html")); } })
      .catch(function () { /* the next event tries again */ })
      .then(function () { fetching = false; if (again) { again = false; refresh(apply); } });
  }
  function swap(fresh, selector) {
    var now = document.querySelector(selector), next = fresh.querySelector(selector);
    if (now && next) { now.replaceWith(document.importNode(next, true)); }
  }

  // The queue: a bar for new tickets, changed rows updated where they are (their tick boxes kept).
  var newCount = 0;
  function onQueue(ev) {
    if (ev.action === "created") {
      newCount++;
      var bar = document.getElementById("live-new");
      if (bar) {
        document.getElementById("live-new-count").textContent = newCount + (newCount === 1 ? " new ticket" : " new tickets") + " —";
        bar.hidden = false;
      }
      announce(describe(ev));
      return;
    }
    if (!document.querySelector('tr[data-ticket="' + ev.ticket_number + '"]')) { return; }
    announce(describe(ev));
    refresh(function (fresh) {
      document.querySelectorAll("tr[data-ticket]").forEach(function (row) {
        var next = fresh.querySelector('tr[data-ticket="' + row.getAttribute("data-ticket") + '"]');
        if (!next) { row.classList.add("live-gone"); return; }
        for (var i = 1; i < row.cells.length && i < next.cells.length; i++) {
          row.cells[i].replaceWith(document.importNode(next.cells[i], true));
        }
      });
    });
  }

  // The ticket page: thread, status, facts and history replaced; the forms (what is being typed) kept.
  function onTicket(ev) {
    if (ev.ticket_id !== ticket) { return; }
    if (ev.action === "message_added" && ev.message_kind === "reply" && ev.actor_id && ev.actor_id !== me) { newerReply = ev; }
    announce(describe(ev));
    refresh(function (fresh) {
      ["#thread", "#status", "dl.facts", "#history"].forEach(function (s) { swap(fresh, s); });
    });
  }

  var lastId = null, source = null;
  function connect() {
    source = new EventSource("/admin/events?after=" + encodeURIComponent(lastId || after));
    source.addEventListener("ready", function () { live.setAttribute("data-state", "open"); });
    source.addEventListener("ticket", function (e) {
      lastId = e.lastEventId || lastId;
      var ev = JSON.parse(e.data);
      if (ticket) { onTicket(ev); } else { onQueue(ev); }
    });
    source.addEventListener("presence", function (e) {
      var ev = JSON.parse(e.data);
      if (ticket && ev.ticket_id === ticket) { soon(beat); }
    });
    source.addEventListener("reset", function () {
      if (ticket) { onTicket({ ticket_id: ticket, action: "updated" }); } else { location.reload(); }
    });
    source.addEventListener("error", function () {
      live.setAttribute("data-state", "reconnecting");
      // The browser retries by itself after a lost connection; after a refusal (signed out, a proxy's
      // error page) it gives up, so a new stream is opened a little later.
      if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
    });
  }
  connect();

  if (!ticket) { return; }

  // Presence: a heartbeat every few seconds, at once when typing starts or stops, and a goodbye.
  var url = "/admin/contact/" + ticket + "/presence";
  var list = document.getElementById("presence-list"), section = document.getElementById("presence");
  var body = document.getElementById("reply-body");
  var typingUntil = 0, sentTyping = false, timer = null;
  function typing() { return Date.now() < typingUntil; }
  function soon(f) { clearTimeout(timer); timer = setTimeout(f, 200); }
  function form(leaving) {
    var token = document.querySelector('input[name="__RequestVerificationToken"]');
    var data = new FormData();
    if (token) { data.append("__RequestVerificationToken", token.value); }
    sentTyping = !leaving && typing();
    data.append("typing", sentTyping ? "true" : "false");
    if (leaving) { data.append("leaving", "true"); }
    return data;
  }
  function render(out) {
    if (!out || !list) { return; }
    list.replaceChildren.apply(list, out.viewers.map(function (v) {
      var item = document.createElement("li");
      item.className = v.typing ? "typing" : "viewing";
      item.textContent = v.name + (v.typing ? " is writing a reply" : " is viewing this ticket");
      return item;
    }));
    section.hidden = out.viewers.length === 0;
  }
  function beat() {
    fetch(url, { method: "POST", body: form(false), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(render)
      .catch(function () { /* the next beat tries again */ });
  }
  if (body) {
    body.addEventListener("input", function () {
      typingUntil = Date.now() + 6000;
      if (!sentTyping) { beat(); }
    });
  }
  setInterval(function () { if (sentTyping && !typing()) { beat(); } }, 1000);
  setInterval(beat, 10000);
  window.addEventListener("pagehide", function () { navigator.sendBeacon(url, form(true)); });
  beat();

  // Someone else replied since this page was loaded: ask before sending (the chosen files stay chosen).
  var reply = document.getElementById("reply");
  if (reply) {
    reply.addEventListener("submit", function (e) {
      var submitter = e.submitter;
      if (!newerReply || !submitter || submitter.value === "note" || reply.querySelector('input[name="confirm_after_newer"]')) { return; }
      e.preventDefault();
      var seconds = Math.max(1, Math.round((Date.now() - Date.parse(newerReply.at)) / 1000));
      var ago = seconds < 60 ? seconds + (seconds === 1 ? " second" : " seconds")
        : Math.round(seconds / 60) + (Math.round(seconds / 60) === 1 ? " minute" : " minutes");
      var prompt = document.createElement("div");
      prompt.className = "collision";
      prompt.id = "collision";
      prompt.setAttribute("role", "alert");
      var text = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = (newerReply.actor || "Someone") + " replied " + ago + " ago.";
      text.append(strong, " Read the reply above before you answer; your text is kept below.");
      var confirm = document.createElement("input");
      confirm.type = "hidden"; confirm.name = "confirm_after_newer"; confirm.value = "true";
      var send = document.createElement("button");
      send.type = "button"; send.className = "primary"; send.textContent = "Send anyway";
      send.addEventListener("click", function () { reply.append(confirm); reply.requestSubmit(submitter); });
      var actions = document.createElement("p");
      actions.append(send);
      prompt.append(text, actions);
      var old = document.getElementById("collision");
      if (old) { old.remove(); }
      reply.querySelector("h3").after(prompt);
      send.focus();
    });
  }
})();
