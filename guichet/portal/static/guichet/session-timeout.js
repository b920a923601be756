/* Inactivity warning: a minute before the session's idle limit (halfway for limits under two
   minutes) a dialog offers "Rester connecté", which POSTs to the keep-alive endpoint (an explicit
   action, so it counts as activity), or "Me déconnecter", which POSTs to the logout endpoint.
   It polls nothing: the timer restarts at each page load. At the limit the page goes to the login
   page, where the server (SessionTimeoutMiddleware) has already ended the session and says why. */
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) { return; }
  var idle = parseInt(box.dataset.idleSeconds, 10) || 15 * 60;
  var warn = Math.min(parseInt(box.dataset.warnSeconds, 10) || 60, Math.floor(idle / 2));
  var warnTimer, endTimer, dialog;

  function leaveForm() {
    var form = document.createElement("form");
    form.method = "post";
    form.action = box.dataset.signoutUrl;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = box.dataset.csrf;
    var leave = document.createElement("button");
    leave.type = "submit";
    leave.className = "secondary";
    leave.textContent = box.dataset.leave;
    form.append(token, leave);
    return form;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.id = "session-timeout-dialog";
    dialog.setAttribute("aria-labelledby", "session-timeout-title");
    dialog.setAttribute("aria-describedby", "session-timeout-text");
    var h = document.createElement("h2");
    h.id = "session-timeout-title";
    h.textContent = box.dataset.title;
    var p = document.createElement("p");
    p.id = "session-timeout-text";
    p.textContent = box.dataset.text;
    var stay = document.createElement("button");
    stay.type = "button";
    stay.textContent = box.dataset.stay;
    stay.addEventListener("click", keepAlive);
    var actions = document.createElement("div");
    actions.className = "actions";
    actions.append(stay, leaveForm());
    dialog.append(h, p, actions);
    document.body.appendChild(dialog);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () { if (!dialog.open) { dialog.showModal(); } }, (idle - warn) * 1000);
    endTimer = setTimeout(function () { window.location.assign(box.dataset.loginUrl); }, (idle + 2) * 1000);
  }

  function keepAlive() {
    fetch(box.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf }
    }).then(function (r) {
      if (r.status === 204) { dialog.close(); schedule(); } else { window.location.assign(box.dataset.loginUrl); }
    }, function () { window.location.assign(box.dataset.loginUrl); });
  }

  build();
  schedule();
})();
