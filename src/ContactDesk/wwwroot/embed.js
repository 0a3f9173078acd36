/*
 * ContactDesk embeddable contact form.
 *   <div data-contactdesk-form></div>
 *   <script src="https://YOUR-CONTACTDESK/embed.js" defer></script>
 * Renders the form into every element with data-contactdesk-form and posts it to this
 * ContactDesk's API. The page's origin must be listed in ContactDesk's Cors:AllowedOrigins.
 * User text is only ever set as text, never as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script ? script.src : "/embed.js", window.location.href).origin;
  var categories = [["general", "General question"], ["bug", "Something is broken"], ["feature", "Feature request"],
    ["abuse", "Report abuse"], ["data", "My data / privacy"], ["account", "My account"], ["other", "Something else"]];

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function field(form, name, label, control) {
    var id = "cd-" + name + "-" + Math.random().toString(36).slice(2, 8);
    control.id = id;
    control.name = name;
    var wrapper = el("div", { "class": "cd-field" });
    wrapper.appendChild(el("label", { "for": id }, label));
    wrapper.appendChild(control);
    var error = el("p", { "class": "cd-error", id: id + "-error", hidden: "" });
    wrapper.appendChild(error);
    form.appendChild(wrapper);
    return { control: control, error: error };
  }

  function render(container) {
    var form = el("form", { "class": "cd-form", novalidate: "" });
    var fields = {
      name: field(form, "name", "Name *", el("input", { required: "", maxlength: "255", autocomplete: "name" })),
      email: field(form, "email", "Email *", el("input", { type: "email", required: "", maxlength: "254", autocomplete: "email" })),
      category: field(form, "category", "Topic", el("select")),
      subject: field(form, "subject", "Subject *", el("input", { required: "", maxlength: "255" })),
      message: field(form, "message", "Message *", el("textarea", { required: "", rows: "6", maxlength: "20000" }))
    };
    categories.forEach(function (c) { fields.category.control.appendChild(el("option", { value: c[0] }, c[1])); });
    // Honeypot, as on /contact: off-screen, out of the tab order and hidden from screen readers, so
    // only bots fill it in; the API then answers as if it had taken the message and stores nothing.
    var trapId = "cd-website-" + Math.random().toString(36).slice(2, 8);
    var trap = el("div", { "aria-hidden": "true" });
    trap.style.position = "absolute";
    trap.style.left = "-10000px";
    trap.style.width = "1px";
    trap.style.height = "1px";
    trap.style.overflow = "hidden";
    trap.appendChild(el("label", { "for": trapId }, "Leave this field empty"));
    var website = el("input", { id: trapId, name: "website", tabindex: "-1", autocomplete: "off" });
    trap.appendChild(website);
    form.appendChild(trap);
    var visit = suggestions(form, fields.subject.control, fields.message.control);
    var status = el("p", { "class": "cd-status", role: "status" });
    var button = el("button", { type: "submit" }, "Send message");
    form.appendChild(button);
    form.appendChild(status);
    var key = window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : String(Date.now()) + Math.random();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      status.textContent = "Sending…";
      Object.keys(fields).forEach(function (name) {
        fields[name].error.hidden = true;
        fields[name].control.removeAttribute("aria-invalid");
        fields[name].control.removeAttribute("aria-describedby");
      });
      var body = {};
      Object.keys(fields).forEach(function (name) { body[name] = fields[name].control.value; });
      if (website.value) { body.website = website.value; }
      if (visit.id && visit.opened) { body.kb_visit_id = visit.id; }
      fetch(base + "/api/v1/contact/submit", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, status: response.status, json: json }; });
      }).then(function (result) {
        button.disabled = false;
        if (result.ok) {
          // The focused button goes with the form: focus the message instead, so it is read out and focus is not lost.
          var done = el("p", { "class": "cd-success", role: "status", tabindex: "-1" },
            "Thank you — your ticket number is " + result.json.ticket_number + ". We have emailed you a confirmation.");
          container.replaceChildren(done);
          done.focus();
          return;
        }
        var errors = (result.json && result.json.errors) || {};
        Object.keys(errors).forEach(function (name) {
          if (fields[name]) {
            fields[name].error.textContent = errors[name].join(" ");
            fields[name].error.hidden = false;
            fields[name].control.setAttribute("aria-invalid", "true");
            fields[name].control.setAttribute("aria-describedby", fields[name].error.id);
          }
        });
        status.textContent = result.status === 429 ? "Too many messages from your address; please try again later."
          : (result.json && result.json.detail) || "Sending failed; please try again.";
      }).catch(function () {
        button.disabled = false;
        status.textContent = "Sending failed; please check your connection and try again.";
      });
    });
    container.replaceChildren(form);
  }

  // Help articles that may answer the question, listed as the visitor types (as on /contact): up to
  // five links, announced politely, opened in a new tab so the form keeps its text. Opening one is
  // reported once with a random visit id that the form then sends along.
  function suggestions(form, subject, message) {
    var visit = { id: Array.prototype.map.call(window.crypto.getRandomValues(new Uint8Array(16)),
      function (b) { return b.toString(16).padStart(2, "0"); }).join(""), opened: false };
    var box = el("section", { "class": "cd-suggestions", "aria-label": "Help articles that may answer your question" });
    box.hidden = true;
    var list = el("ul");
    box.appendChild(list);
    var live = el("p", { "aria-live": "polite", "class": "cd-suggestions-status" });
    form.appendChild(box);
    form.appendChild(live);
    var timer = 0, last = "";
    function opened() {
      if (visit.opened) return;
      visit.opened = true;
      fetch(base + "/api/v1/kb/suggest/opened", { method: "POST", keepalive: true, headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ visit_id: visit.id }) }).catch(function () { });
    }
    function update() {
      var q = (subject.value + " " + message.value).trim().slice(0, 500);
      if (q === last) return;
      last = q;
      if (q.length < 3) { box.hidden = true; live.textContent = ""; return; }
      fetch(base + "/api/v1/kb/suggest?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : []; }).then(function (items) {
        list.replaceChildren();
        items.forEach(function (item) {
          var link = el("a", { href: base + "/kb/" + encodeURIComponent(item.slug), target: "_blank", rel: "noopener" }, item.title);
          link.addEventListener("click", opened);
          var li = el("li");
          li.appendChild(link);
          list.appendChild(li);
        });
        box.hidden = items.length === 0;
        live.textContent = items.length ? items.length + (items.length === 1 ? " help article" : " help articles") + " may answer your question." : "";
      }).catch(function () { });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(update, 300); }
    subject.addEventListener("input", schedule);
    message.addEventListener("input", schedule);
    return visit;
  }

  function start() { document.querySelectorAll("[data-contactdesk-form]").forEach(render); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
