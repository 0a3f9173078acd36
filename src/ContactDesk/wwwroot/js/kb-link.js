// The ticket page's article search: type words, pick an article, and its Markdown link is inserted
// into the reply text at the cursor. Moderators also find internal articles here.
(function () {
  "use strict";
  var box = document.getElementById("kb-link");
  var reply = document.getElementById("reply-body");
  if (!box || !reply) return;
  var input = document.getElementById("kb-link-q");
  var status = document.getElementById("kb-link-status");
  var list = box.querySelector("ul");
  box.hidden = false;
  var timer = 0, controller = null;

  function insert(article) {
    var text = "[" + article.title.replace(/[\[\]]/g, "") + "](" + article.url + ")";
    var start = reply.selectionStart, end = reply.selectionEnd;
    reply.value = reply.value.slice(0, start) + text + reply.value.slice(end);
    reply.focus();
    reply.setSelectionRange(start + text.length, start + text.length);
    status.textContent = "Link to \u201C" + article.title + "\u201D inserted into the reply.";
  }

  function render(items) {
    list.replaceChildren();
    items.forEach(function (article) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = article.title + (article.status === "published" ? "" : " (" + article.status + ")");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Insert link";
      button.setAttribute("aria-label", "Insert link to " + article.title);
      button.addEventListener("click", function () { insert(article); });
      li.append(name, button);
      list.append(li);
    });
    status.textContent = items.length === 0 ? "No articles found." : items.length + (items.length === 1 ? " article found." : " articles found.");
  }

  function search() {
    var q = input.value.trim();
    if (controller) controller.abort();
    if (q.length < 2) { list.replaceChildren(); status.textContent = ""; return; }
    controller = new AbortController();
    fetch("/admin/kb-links?q=" + encodeURIComponent(q), { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(render)
      .catch(function () { });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 250); });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); } });
})();
