"""Customer-space pages: simulations (new credit — public —, early-repayment impact, consolidation).

Each page posts its form to the server, which calls the same service function as the JSON API
(``guichet.payments.simulations``); ``simulations.js`` enhances the new-credit form by calling the
API with fetch() and updating the results without a reload.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.catalogue.selectors import products_on, tariff_version
from guichet.credit.simulate import ExternalDebt
from guichet.errors import refusals
from guichet.lenders.profile import get_profile
from guichet.loans.selectors import contracts_for
from guichet.payments.amounts import parse_amount
from guichet.payments.simulations import (
    consolidation_limits,
    insurance_choices,
    own_debts,
    revolving_external_debt,
    revolving_line_debt,
    simulate_buyback,
    simulate_product,
)

PUBLIC_PRODUCT_FAMILIES = ("amortizable", "personal_loan")


def _products():
    # No tariff in force gives no products (not an error): the page then explains instead of failing.
    products = products_on(on=timezone.localdate(), kind="amortizable")
    # and every revolving product of the catalogue (issue 12): amount used, speed, insurance
    return [p for p in products if p.family in PUBLIC_PRODUCT_FAMILIES] + _revolving_products()


def _revolving_products():
    return products_on(on=timezone.localdate(), kind="revolving")


def simulations(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/simulations/index.html")


def simulate_credit(request: HttpRequest) -> HttpResponse:
    """The new-credit simulation. Its content is the same for everyone who sends the same form on
    the same day under the same tariff, so it is a public cached fragment (issue 15): the products,
    insurance choices and result are computed only when the fragment is missing."""
    data = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()

    @functools.cache
    def computed() -> dict:
        products = _products()
        found: dict = {
            "products": products,
            "insurance_choices": insurance_choices(products=products, on=today),
        }
        if data.get("product"):
            try:
                with refusals() as refused:
                    amount = parse_amount(data.get("amount", ""))
                    if amount is None:
                        raise ValueError(_("Indiquez le montant souhaité."))
                    found["result"] = simulate_product(
                        product_code=data["product"],
                        amount=amount,
                        term_months=int(data.get("term", "0") or 0) or None,
                        on=today,
                        insurance_option=int(data.get("insurance") or 0) or None,
                    )
            except ValueError as exc:  # an input typed wrong: the form's, not a business refusal
                found["error"] = str(exc)
            if refused:
                found["error"] = refused.message
        return found

    context: dict = {
        "products": lambda: computed()["products"],  # a template calls them: only on a cache miss
        "insurance_choices": lambda: computed()["insurance_choices"],
        "result": lambda: computed().get("result"),
        "error": lambda: computed().get("error"),
        "form": data,
        "currency": get_profile().currency.code,
        # A first amount the lender's own products lend: 10 000 € is 10 000 francs CFP (84 €) in XPF.
        "default_amount": "10000" if get_profile().currency.exponent else "1000000",
        # Cached by the tariff in force and the form's values (a POST, which this form never sends, is not).
        "fragment": "simulation" if request.method == "GET" else "",
        "tariff_version": tariff_version(today),
        "form_values": sorted(request.GET.lists()),
    }
    return render(request, "portal/simulations/credit.html", context)


def _external(data) -> list[ExternalDebt]:
    debts = []
    for k in range(1, 4):
        raw = [data.get(f"ext{k}_{f}", "").strip() for f in ("outstanding", "installment", "months")]
        if not any(raw):
            continue
        outstanding, installment = parse_amount(raw[0]), parse_amount(raw[1])
        if outstanding is None or installment is None or not raw[2].isdigit():
            raise ValueError(
                _(
                    "Crédit extérieur n° %(k)d : indiquez le capital restant dû,"
                    " la mensualité et le nombre de mois."
                )
                % {"k": k}
            )
        debts.append(ExternalDebt(outstanding, installment, int(raw[2])))
    return debts


def simulate_consolidation(request: HttpRequest) -> HttpResponse:
    customer = getattr(request.user, "customer", None) if request.user.is_authenticated else None
    today = timezone.localdate()
    contracts = (
        [c for c in contracts_for(customer) if c.is_active and c.kind in ("amortizable", "revolving")]
        if customer
        else []
    )
    # a revolving line shows its payoff today and is ticked until the form is sent (issue 12)
    lines = {c.number: revolving_line_debt(c, today) for c in contracts if c.kind == "revolving"}
    contracts = [c for c in contracts if c.kind == "amortizable" or lines.get(c.number)]
    data = request.POST if request.method == "POST" else request.GET
    context: dict = {
        "contracts": contracts,
        "lines": {n: d for n, d in lines.items() if d},
        "form": data,
        "selected": data.getlist("contracts") if data else [n for n, d in lines.items() if d],
        "limits": consolidation_limits(on=today, currency=get_profile().currency),
        "revolving_products": _revolving_products(),
    }
    if data.get("term"):
        try:
            with refusals() as refused:
                on = timezone.localdate()
                selected = context["selected"]
                debts = own_debts(customer=customer, numbers=selected, on=on) if customer and selected else []
                debts += _external(data)
                if data.get("rev_used", "").strip():
                    used = parse_amount(data["rev_used"])
                    if used is None or not used.minor:
                        raise ValueError(_("Indiquez le montant utilisé sur votre crédit renouvelable."))
                    product = data.get("rev_product") or ""
                    debts.append(revolving_external_debt(used=used, product_code=product, on=on))
                context["result"] = simulate_buyback(
                    debts=debts,
                    term_months=int(data["term"]),
                    on=on,
                    extra_cash=parse_amount(data.get("extra", "")),
                )
        except ValueError as exc:  # an input typed wrong: the form's, not a business refusal
            context["error"] = str(exc)
        if refused:
            context["error"] = refused.message
    return render(request, "portal/simulations/consolidation.html", context)


urlpatterns: list[URLPattern] = [
    path("simulations/", simulations, name="simulations"),
    path("simulations/credit/", simulate_credit, name="simulate_credit"),
    path("simulations/regroupement/", simulate_consolidation, name="simulate_consolidation"),
]
