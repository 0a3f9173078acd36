// Suggested help articles on the contact form: as the visitor types a subject and message, ask
// /api/v1/kb/suggest (debounced) and list up to five links. Opening one is reported once per visit
// (a random id kept for this tab), and the form sends that id, so the dashboard can count the
// visits that found an answer and sent nothing. Without JavaScript none of this happens.
(function () {
  "use strict";
  var box = document.getElementById("kb-suggestions");
  var subject = document.getElementById("subject");
  var message = document.getElementById("message");
  if (!box || !subject || !message) return;
  var list = box.querySelector("ul");
  var status = document.getElementById("kb-suggestions-status");
  var visitField = document.getElementById("kb-visit-id");
  var api = box.getAttribute("data-api") || "";

  var visit = null;
  try {
    visit = sessionStorage.getItem("contactdesk.kb-visit");
    if (!visit) {
      visit = crypto.getRandomValues(new Uint32Array(4)).reduce(function (s, n) { return s + n.toString(16).padStart(8, "0"); }, "");
      sessionStorage.setItem("contactdesk.kb-visit", visit);
    }
  } catch (e) { visit = null; } // storage off: suggestions still work, they are just not counted
  if (visit && visitField) visitField.value = visit;

  var timer = 0, last = "", controller = null;

  function render(items) {
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = api + "/kb/" + encodeURIComponent(item.slug);
      link.textContent = item.title;
      link.addEventListener("click", opened);
      var excerpt = document.createElement("p");
      excerpt.className = "muted";
      excerpt.textContent = item.excerpt;
      li.append(link, excerpt);
      list.append(li);
    });
    box.hidden = items.length === 0;
    status.textContent = items.length === 0 ? "" :
      items.length + (items.length === 1 ? " help article may" : " help articles may") + " answer your question; they are listed after the message field.";
  }

  function opened() {
    if (!visit) return;
    fetch(api + "/api/v1/kb/suggest/opened", {
      method: "POST", keepalive: true, headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ visit_id: visit })
    }).catch(function () { });
  }

  function update() {
    var q = (subject.value + " " + message.value).trim().slice(0, 500);
    if (q === last) return;
    last = q;
    if (controller) controller.abort();
    if (q.length < 3) { render([]); return; }
    controller = new AbortController();
    fetch(api + "/api/v1/kb/suggest?q=" + encodeURIComponent(q), { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(render)
      .catch(function () { });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  }

  subject.addEventListener("input", schedule);
  message.addEventListener("input", schedule);
  // Back from an article: the browser may restore the typed text without input events.
  window.addEventListener("pageshow", function () { last = ""; update(); });
})();
