/* E-signature page: page counter "n/N", reports "viewed" and "scrolled to end" to the server,
   unlocks the consent box at the end of the document, and counts down the SMS resend cooldown.
   The server re-checks every step: this script only makes the page pleasant, never the rule. */
(function () {
  "use strict";
  var doc = document.getElementById("sign-doc");
  var resend = document.getElementById("resend");

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function report(kind) {
    var body = new FormData();
    body.append("kind", kind);
    return fetch(doc.dataset.eventUrl, {
      method: "POST", body: body, credentials: "same-origin", headers: {"X-CSRFToken": csrf()}
    }).then(function (response) { return response.ok; }, function () { return false; });
  }

  function setupDocument() {
    var total = parseInt(doc.dataset.pages, 10);
    var counter = document.getElementById("page-counter");
    var consent = document.getElementById("consent");
    var getCode = document.getElementById("get-code");
    var hint = document.getElementById("scroll-hint");
    var end = document.getElementById("doc-end");
    var imgs = Array.prototype.slice.call(doc.querySelectorAll("img[data-page]"));
    var ended = doc.dataset.scrolled === "1";
    var viewed = report("viewed");

    function updateButton() {
      if (getCode) { getCode.disabled = !(consent && consent.checked); }
    }
    function unlock() {
      if (consent && !consent.checked) { consent.disabled = false; }
      if (hint) { hint.hidden = true; }
      doc.dataset.scrolled = "1";
      updateButton();
    }
    function currentPage() {
      var middle = doc.scrollTop + doc.clientHeight / 2;
      var n = 1;
      imgs.forEach(function (img) { if (img.offsetTop <= middle) { n = parseInt(img.dataset.page, 10); } });
      if (doc.scrollTop + doc.clientHeight >= doc.scrollHeight - 4) { n = total; }
      return n;
    }
    function onScroll() { counter.textContent = currentPage() + "/" + total; }

    if (consent) { consent.addEventListener("change", updateButton); }
    doc.addEventListener("scroll", onScroll, {passive: true});
    onScroll();
    // The server accepts "scrolled to the end" only once it has served every page image. On a slow
    // line the end can come into view before the last images have arrived, so wait for them, and if
    // the server still says no, try again a few times, then watch the end of the document again
    // (it used to give up for good: the consent box then stayed locked).
    function pagesLoaded() {
      return Promise.all(imgs.map(function (img) {
        if (img.complete) { return Promise.resolve(); }
        return new Promise(function (done) {
          img.addEventListener("load", done, {once: true});
          img.addEventListener("error", done, {once: true});
        });
      }));
    }
    function reportEnd(triesLeft) {
      return report("scrolled_to_end").then(function (ok) {
        if (ok) { unlock(); return; }
        if (triesLeft > 0) {
          window.setTimeout(function () { reportEnd(triesLeft - 1); }, 1000);
          return;
        }
        ended = false;
        observer.observe(end);
      });
    }
    var observer = new IntersectionObserver(function (entries) {
      if (ended || !entries.some(function (e) { return e.isIntersecting; })) { return; }
      ended = true;
      observer.disconnect();
      viewed.then(pagesLoaded).then(function () { return reportEnd(3); });
    }, {root: doc, threshold: 1.0});
    if (!ended) { observer.observe(end); }
  }

  function setupResend() {
    var wait = parseInt(resend.dataset.wait || "0", 10);
    var label = document.getElementById("resend-wait");
    function tick() {
      if (wait <= 0) { resend.disabled = false; label.textContent = ""; return; }
      resend.disabled = true;
      label.textContent = "(" + wait + " s)";
      wait -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  if (doc) { setupDocument(); }
  if (resend) { setupResend(); }
})();
