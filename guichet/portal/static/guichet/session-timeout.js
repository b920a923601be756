/* Inactivity warning: a minute before the session's idle limit a dialog offers "Rester connecté",
   which POSTs to the keep-alive endpoint (an explicit action, so it counts as activity).
   It polls nothing: the timer restarts at each page load. At the limit the page goes to the login
   page, where the server (SessionTimeoutMiddleware) has already ended the session. */
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = (parseInt(box.dataset.idleMinutes, 10) || 15) * 60;
  var warn = Math.min(parseInt(box.dataset.warnSeconds, 10) || 60, idle);
  var warnTimer, endTimer, dialog;

  function build() {
    dialog = document.createElement("dialog");
    dialog.id = "session-timeout-dialog";
    dialog.setAttribute("aria-labelledby", "session-timeout-title");
    var h = document.createElement("h2");
    h.id = "session-timeout-title";
    h.textContent = box.dataset.title;
    var p = document.createElement("p");
    p.textContent = box.dataset.text;
    var stay = document.createElement("button");
    stay.type = "button";
    stay.textContent = box.dataset.stay;
    stay.addEventListener("click", keepAlive);
    var leave = document.createElement("a");
    leave.className = "button secondary";
    leave.href = box.dataset.logoutUrl;
    leave.textContent = box.dataset.leave;
    dialog.append(h, p, stay, document.createTextNode(" "), leave);
    document.body.appendChild(dialog);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () { if (!dialog.open) { dialog.showModal(); } }, (idle - warn) * 1000);
    endTimer = setTimeout(function () { window.location.assign(box.dataset.logoutUrl); }, (idle + 2) * 1000);
  }

  function keepAlive() {
    fetch(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf }
    }).then(function (r) {
      if (r.status === 204) { dialog.close(); schedule(); } else { window.location.assign(box.dataset.logoutUrl); }
    });
  }

  build();
  schedule();
})();
