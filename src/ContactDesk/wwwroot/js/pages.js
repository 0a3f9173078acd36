// On every page, after the server's HTML: times in the reader's own time zone, and the first field
// with an error focused. Every page reads right without this script (times are then in UTC).
(function () {
  "use strict";
  var withSeconds = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" };
  var withMinutes = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };

  // <time datetime="…Z" data-local title="… UTC">: the text becomes local; the title keeps the UTC time on hover.
  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (time) {
      var at = new Date(time.getAttribute("datetime"));
      if (isNaN(at.getTime())) { return; }
      time.textContent = at.toLocaleString(undefined, time.getAttribute("data-local") === "seconds" ? withSeconds : withMinutes);
    });
  }

  window.ContactDesk = window.ContactDesk || {};
  window.ContactDesk.localTimes = localTimes; // for parts of a page added later
  localTimes(document);

  // After a server-side validation error, start where the correction is needed.
  var invalid = document.querySelector("main [aria-invalid=true]");
  if (invalid && typeof invalid.focus === "function") { invalid.focus(); }
})();
