/* Marks each password rule met (green) or unmet (red) as the person types.
   The rules come from the page (data-rule / data-min), rendered from the lender profile,
   so the browser and the server check exactly the same thing. */
(function () {
  "use strict";
  var tests = {
    lower: function (v) { return /\p{Ll}/u.test(v); },
    upper: function (v) { return /\p{Lu}/u.test(v); },
    digit: function (v) { return /\p{Nd}/u.test(v); },
    special: function (v) { return /[^\p{L}\p{N}]/u.test(v); }
  };
  function check(list, input) {
    var value = input.value;
    var unmet = 0;
    list.querySelectorAll("li[data-rule]").forEach(function (li) {
      var rule = li.getAttribute("data-rule");
      var ok = rule === "min"
        ? Array.from(value).length >= parseInt(li.getAttribute("data-min"), 10)
        : (tests[rule] ? tests[rule](value) : true);
      li.classList.toggle("met", ok);
      li.classList.toggle("unmet", !ok);
      li.setAttribute("aria-label", li.textContent + (ok ? " ✓" : " ✗"));
      if (!ok) { unmet += 1; }
    });
    input.setAttribute("aria-invalid", unmet ? "true" : "false");
  }
  function init() {
    document.querySelectorAll("ul[data-password-rules-for]").forEach(function (list) {
      var input = document.getElementById(list.getAttribute("data-password-rules-for"));
      if (!input) { return; }
      input.setAttribute("aria-describedby", "password-rules-sentence");
      input.addEventListener("input", function () { check(list, input); });
      check(list, input);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
