"""Customer-space pages of a revolving line: request a drawdown by transfer (quote → SMS code bound to
the amount → posted). Thin: parse the form, call one service of ``guichet.payments``, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.cards import requests as card_requests
from guichet.cards.models import CardRequest
from guichet.cards.selectors import cards_for_contract
from guichet.cards.services import CardOperationRefused, set_fx_notice
from guichet.customers.decorators import customer_required, sensitive_page
from guichet.errors import refusals, refusals_as_messages
from guichet.lenders.formatting import format_money
from guichet.lenders.profile import get_profile
from guichet.loans.models import Contract
from guichet.loans.services.revolving_changes import payoff_amount
from guichet.payments.amounts import parse_amount
from guichet.payments.services import revolving_drawdown as drawdowns
from guichet.payments.services import revolving_requests as requests

from .payments import show_refusal
from .space import current_customer, customer_contract


@customer_required
@sensitive_page
def drawdown(request: HttpRequest, number: str) -> HttpResponse:
    customer = current_customer(request)
    contract = customer_contract(request, number)
    data = request.POST if request.method == "POST" else request.GET
    context: dict = {"contract": contract, "form": data}
    if not data.get("amount"):
        return render(request, "portal/revolving/drawdown.html", context)
    try:
        with refusals() as refused:
            raw = parse_amount(data["amount"], label=_("Montant"), cur=contract.currency_obj, required=True)
            amount = raw or contract.money(0)  # required=True never gives None; the quote refuses 0
            quote = drawdowns.quote_drawdown(contract=contract, amount=amount, on=timezone.localdate())
            context["quote"] = quote
            action = data.get("action", "")
            if request.method == "POST" and action == "send_code":
                drawdowns.request_drawdown_code(customer=customer, quote=quote)
                context["code_sent"] = True
            elif request.method == "POST" and action == "confirm":
                drawdowns.confirm_drawdown(customer=customer, quote=quote, code=data.get("code", ""))
                messages.success(
                    request,
                    _(
                        "Votre demande de %(amount)s est enregistrée :"
                        " le virement part vers votre compte %(iban)s."
                    )
                    % {"amount": format_money(amount), "iban": contract.bank_account_masked or "—"},
                )
                return redirect(reverse("portal:contract", args=[contract.number]))
    except ValueError as exc:  # the form's input, not a business refusal
        context["error"] = str(exc)
    show_refusal(context, refused)
    return render(request, "portal/revolving/drawdown.html", context)


DONE = {
    "repay": gettext_lazy(
        "Votre remboursement est enregistré : il sera prélevé sur votre compte %(iban)s, sans frais."
    ),
    "debit_day": gettext_lazy("Votre date de prélèvement a été changée."),
    "speed": gettext_lazy("Votre vitesse de remboursement a été changée."),
    "close": gettext_lazy(
        "Votre demande de clôture est enregistrée : aucune nouvelle utilisation n'est possible."
    ),
}


@customer_required
@sensitive_page
def manage(request: HttpRequest, number: str) -> HttpResponse:
    """Repay early, move the debit day, change the speed or close the line (SMS code each time)."""
    customer = current_customer(request)
    contract = customer_contract(request, number)
    data = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()
    context: dict = {
        "contract": contract,
        "form": data,
        "policy": get_profile().debit_date,
        "speeds": [s for s in Contract.Speed if s.value],
        "payoff": payoff_amount(contract, today) if contract.kind == Contract.Kind.REVOLVING else None,
    }
    op = data.get("op", "")
    if not op:
        return render(request, "portal/revolving/manage.html", context)
    try:
        with refusals() as refused:
            amount = (
                parse_amount(data.get("amount"), label=_("Montant"), cur=contract.currency_obj)
                if op == "repay"
                else None
            )
            day = int(data["day"]) if op == "debit_day" else None
            req = requests.preview(
                contract=contract, op=op, on=today, amount=amount, day=day, speed=data.get("speed", "")
            )
            context["req"] = req
            action = data.get("action", "")
            if request.method == "POST" and action == "send_code":
                requests.request_code(customer=customer, req=req)
                context["code_sent"] = True
            elif request.method == "POST" and action == "confirm":
                requests.confirm(customer=customer, req=req, code=data.get("code", ""))
                messages.success(
                    request,
                    DONE[op] % {"iban": contract.bank_account_masked or "—"} if op == "repay" else DONE[op],
                )
                return redirect(reverse("portal:contract", args=[contract.number]))
    except (ValueError, KeyError) as exc:  # the form's input (a day missing or not a number)
        context["error"] = str(exc)
    show_refusal(context, refused)
    return render(request, "portal/revolving/manage.html", context)


@customer_required
@sensitive_page
def card(request: HttpRequest, number: str) -> HttpResponse:
    """The line's card: caps used over their rolling windows, operations, security advice and
    opposition numbers; the holder chooses how she hears about currency conversions, or opts out; she
    asks for a PIN reissue, a replacement or declares an opposition, seeing the sheet's fee first and
    confirming with an SMS code bound to that request."""
    customer = current_customer(request)
    contract = customer_contract(request, number)
    today = timezone.localdate()
    views = cards_for_contract(contract, today)
    data = request.POST if request.method == "POST" else request.GET
    context: dict = {"contract": contract, "views": views, "form": data}
    context.update(request_kinds=CardRequest.Kind.choices, reasons=CardRequest.Reason.choices)
    mine = next((v.card for v in views if str(v.card.pk) == data.get("card")), None)
    if data.get("kind"):
        with refusals() as refused:
            if mine is None:
                raise CardOperationRefused(_("Carte inconnue."))
            req = card_requests.preview(card=mine, kind=data["kind"], on=today, reason=data.get("reason", ""))
            context["req"] = req
            action = data.get("action", "")
            if request.method == "POST" and action == "send_code":
                card_requests.request_code(customer=customer, req=req)
                context["code_sent"] = True
            elif request.method == "POST" and action == "confirm":
                card_requests.confirm(customer=customer, req=req, code=data.get("code", ""))
                messages.success(request, _("Votre demande est enregistrée (frais : %(fee)s).")
                                 % {"fee": format_money(req.fee)})  # fmt: skip
                return redirect(reverse("portal:revolving_card", args=[contract.number]))
        show_refusal(context, refused)
    elif request.method == "POST":
        with refusals_as_messages(request):
            if mine is None:
                raise CardOperationRefused(_("Carte inconnue."))
            set_fx_notice(card=mine, channel=request.POST.get("fx_notice", ""))
            messages.success(request, _("Votre choix est enregistré."))
            return redirect(reverse("portal:revolving_card", args=[contract.number]))
    context["requests"] = CardRequest.objects.filter(card__in=[v.card for v in views]).select_related(
        "card__contract"
    )[:20]
    return render(request, "portal/revolving/card.html", context)


urlpatterns: list[URLPattern] = [
    path("espace/contrats/<str:number>/carte/", card, name="revolving_card"),
    path("espace/contrats/<str:number>/utilisation/", drawdown, name="revolving_drawdown"),
    path("espace/contrats/<str:number>/credit-renouvelable/", manage, name="revolving_manage"),
]
