// Progressive enhancement of the new-credit simulation: the form works without JavaScript (GET to
// the page); with it, results come from the JSON API and update in place while the customer types.
(function () {
  "use strict";
  var form = document.getElementById("sim-credit");
  if (!form || !window.fetch) { return; }
  var output = document.getElementById("sim-output");
  var errors = document.getElementById("sim-error");
  var timer = null;
  var money = function (value, currency) {
    return new Intl.NumberFormat(document.documentElement.lang || "fr", { style: "currency", currency: currency }).format(Number(value));
  };
  var percent = function (value) {
    return new Intl.NumberFormat(document.documentElement.lang || "fr", { style: "percent", minimumFractionDigits: 2 }).format(Number(value));
  };
  function show(data) {
    var card = output.querySelector("#sim-result");
    // first result, or another kind of product (a revolving one shows other rows): the server renders the card
    if (!card || (card.dataset.kind || "amortizable") !== (data.kind || "amortizable")) { form.submit(); return; }
    var set = function (field, text) { var el = card.querySelector('[data-field="' + field + '"]'); if (el) { el.textContent = text; } };
    ["installment", "total_cost", "total_due", "insurance_monthly", "insurance_total"].forEach(function (f) { set(f, money(data[f], data.currency)); });
    if (data.kind === "revolving") {
      // the insurance row appears or goes with the option: let the server render it
      if (!data.insurance_rate !== !card.querySelector('[data-field="insurance_rate"]')) { form.submit(); return; }
      set("last_installment", money(data.last_installment, data.currency));
      set("months", String(data.term_months));
      if (data.insurance_rate) { set("insurance_rate_value", percent(data.insurance_rate)); }
    }
    set("debit_rate", percent(data.debit_rate));
    set("taeg", percent(data.taeg));
    set("representative_example", data.representative_example);
    set("usury_message", data.usury_message);
    var chart = card.querySelector('[data-field="chart_svg"]');
    if (chart) { chart.innerHTML = data.chart_svg; }  // server-built SVG, no script inside
    errors.textContent = "";
  }
  function run() {
    var body = { product_code: form.product.value, amount: form.amount.value.replace(/\s/g, "").replace(",", "."), term_months: parseInt(form.term.value, 10) || null, insurance_option: parseInt(form.insurance.value, 10) || null };
    // The API wants the CSRF token whenever the session cookie goes along (a signed-in customer).
    var token = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1];
    var headers = { "Content-Type": "application/json" };
    if (token) { headers["X-CSRFToken"] = decodeURIComponent(token); }
    fetch(form.dataset.api, { method: "POST", headers: headers, credentials: "same-origin", body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        if (res.ok) { show(res.data); return; }
        errors.innerHTML = "";
        var p = document.createElement("p");
        p.className = "msg msg-error"; p.setAttribute("role", "alert");
        p.textContent = res.data.detail || form.dataset.errorText;
        errors.appendChild(p);
      });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
}());
