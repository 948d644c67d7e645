// The dashboard's only script: refresh the panel every few seconds, and ask before drastic actions.
// No framework, no inline code (the page's Content-Security-Policy allows this file only).
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  var status = document.getElementById("refresh-status");
  if (!panel || !status) {
    return;
  }
  var every = Math.max(1, Number(panel.getAttribute("data-refresh")) || 3) * 1000;
  var label = status.textContent;
  var busy = false;

  function show(text, css) {
    status.textContent = text;
    status.className = css;
  }

  function refresh() {
    // Not while hidden, while one is under way, or while the pointer or focus is on a form's button.
    if (busy || document.hidden || panel.querySelector("form:hover, form:focus-within")) {
      return;
    }
    busy = true;
    fetch("/ops/panel", { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign("/ops"); // the session ended: the sign-in form
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          panel.innerHTML = html; // rendered and escaped by the server
          show(label, "live");
        }
      })
      .catch(function () {
        show("stale: the last refresh failed at " + new Date().toLocaleTimeString(), "stale");
      })
      .then(function () {
        busy = false;
      });
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  window.setInterval(refresh, every);
})();
