"""Customer-space pages of a revolving line: request a drawdown by transfer (quote → SMS code bound to
the amount → posted). Thin: parse the form, call one service of ``guichet.payments``, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.customers.decorators import customer_required, sensitive_page
from guichet.customers.exceptions import CodeError
from guichet.lenders.formatting import format_money
from guichet.payments.amounts import parse_amount
from guichet.payments.errors import IdentityNotVerified, PaymentsError
from guichet.payments.services import revolving_drawdown as drawdowns

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
    except (ValueError, PaymentsError) as exc:
        context["error"], context["kyc_locked"] = str(exc), isinstance(exc, IdentityNotVerified)
    except CodeError as exc:
        context["error"], context["code_sent"] = str(exc), True
    return render(request, "portal/revolving/drawdown.html", context)


urlpatterns: list[URLPattern] = [
    path("espace/contrats/<str:number>/utilisation/", drawdown, name="revolving_drawdown"),
]
