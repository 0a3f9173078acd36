// The reply box's canned-response picker: shows the chosen response rendered for this ticket.
// Only a convenience: without it the choice is posted with the form all the same.
(function () {
  "use strict";
  var select = document.getElementById("reply-canned");
  var preview = document.getElementById("reply-canned-preview");
  var text = document.getElementById("reply-canned-text");
  if (!select || !preview || !text) {
    return;
  }
  var latest = 0;
  select.addEventListener("change", function () {
    var id = select.value;
    var request = ++latest;
    if (!id) {
      preview.hidden = true;
      text.textContent = "";
      return;
    }
    fetch("/admin/canned-responses/" + encodeURIComponent(id) + "/render?ticket_id=" + encodeURIComponent(select.dataset.ticket),
      { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (body) {
        if (request === latest) {
          text.textContent = body.body;
          preview.hidden = false;
        }
      })
      .catch(function () {
        if (request === latest) {
          text.textContent = "The preview could not be loaded; the response is still added when you send.";
          preview.hidden = false;
        }
      });
  });
})();
