"""Customer-space pages: payments (history, calendar, exports), early repayment, debit date, bank details,
scheduled transfers. Thin: parse the form, call one service of ``guichet.payments``, render.

Multi-step pages (quote → SMS code → confirmation) carry their inputs in the form and recompute the
quote at each step with the same service: nothing is trusted from the browser but the inputs.
"""

from __future__ import annotations

import csv
import functools
from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.credit.early_repayment import indemnity_free_threshold
from guichet.customers.decorators import customer_required, sensitive_page
from guichet.documents.rendering import render_pdf
from guichet.errors import Refusal, refusals
from guichet.lenders.profile import get_profile
from guichet.loans.selectors import contracts_for
from guichet.payments import selectors, services
from guichet.payments.amounts import parse_amount
from guichet.payments.models import ScheduledTransfer
from guichet.payments.wording import indemnity_reason

from .space import current_customer, customer_contract

KINDS = {
    "installment": _("Échéance"),
    "early_repayment": _("Remboursement anticipé"),
    "fee": _("Frais"),
    "return": _("Rejet"),
}


def parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ValueError(_("Date invalide : utilisez le format AAAA-MM-JJ.")) from None


# A code refused, or a new one asked for too soon: the code field stays open.
CODE_REFUSALS = frozenset({"code_refused", "code_cooldown"})


def show_refusal(context: dict, refused: Refusal) -> None:
    """A refused operation's page keeps what was typed and says why, on the page's error line; by the
    refusal's code, a wrong SMS code keeps the code field open and an unverified identity shows the way
    to verify it (``identity_not_verified``)."""
    if refused:
        context["error"] = refused.message
        context["kyc_locked"] = refused.code == "identity_not_verified"
        if refused.code in CODE_REFUSALS:
            context["code_sent"] = True


@customer_required
def payments(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
    kind = request.GET.get("type", "") if request.GET.get("type", "") in KINDS else ""
    number = request.GET.get("contrat", "")
    today = timezone.localdate()

    @functools.cache
    def contracts() -> list:
        return list(contracts_for(customer))

    def history():
        chosen = contracts()
        return selectors.payment_history(contracts=chosen, today=today, kind=kind, contract_number=number)

    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(history())
    if fmt == "pdf":
        return _pdf(customer, history())

    def mandates():
        active = selectors.active_mandates(contracts())
        return [(c, active.get(c.pk)) for c in contracts() if c.is_active]

    # The page's content is a cached fragment (``page_fragment``): these are computed only when it is missing.
    context = {
        "contracts": SimpleLazyObject(contracts),
        "history": SimpleLazyObject(history),
        "kinds": KINDS,
        "kind": kind,
        "number": number,
        "calendar": SimpleLazyObject(lambda: selectors.calendar_for(contracts=contracts(), today=today)),
        "mandates": SimpleLazyObject(mandates),
    }
    return render(request, "portal/payments/index.html", context)


def _csv(history) -> HttpResponse:
    """The history as a spreadsheet reads it: headers and values in the customer's language, dates
    and decimals written the local way, no internal reference (issue 16)."""
    statuses = {"rejected": _("Rejeté"), "pending": _("En cours")}
    comma = (get_language() or "fr").startswith("fr")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="historique-paiements.csv"'
    response.write("\ufeff")  # BOM: spreadsheets then read the accents as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Date"), _("Contrat"), _("Opération"), _("Statut"), _("Montant"), _("Devise")])
    for h in history:
        amount = str(h.amount.amount)
        writer.writerow(
            [
                h.on.strftime("%d/%m/%Y") if comma else h.on.isoformat(),
                h.contract_number,
                h.label,
                statuses.get(h.status, _("Payé")),
                amount.replace(".", ",") if comma else amount,
                h.amount.currency.code,
            ]
        )
    return response


def _pdf(customer, history) -> HttpResponse:
    pdf = render_pdf(
        template="payments/pdf/history.html",
        context={"history": history, "customer": customer, "issued_on": timezone.localdate()},
        language=customer.language or "fr",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="historique-paiements.pdf"'
    return response


@customer_required
@sensitive_page
def early_repayment(request: HttpRequest, number: str) -> HttpResponse:
    customer = current_customer(request)
    contract = customer_contract(request, number)
    data = request.POST if request.method == "POST" else request.GET
    context: dict = {
        "contract": contract,
        "today": timezone.localdate(),
        "form": data,
        "indemnity_free_up_to": indemnity_free_threshold(contract.currency_obj),
    }
    if not data.get("on"):
        return render(request, "portal/payments/early_repayment.html", context)
    try:
        with refusals() as refused:
            on, amount = parse_date(data["on"]), parse_amount(data.get("amount", ""))
            quote = services.quote_early_repayment(
                contract=contract, on=on, amount=amount, mode=data.get("mode", "")
            )
            context["quote"], context["indemnity_reason"] = quote, indemnity_reason(quote.indemnity)
            action = data.get("action", "")
            if request.method == "POST" and action == "send_code":
                services.request_early_repayment_code(customer=customer, quote=quote)
                context["code_sent"] = True
            elif request.method == "POST" and action == "confirm":
                instr = services.confirm_early_repayment(
                    customer=customer, quote=quote, code=data.get("code", "")
                )
                return redirect(
                    reverse("portal:early_repayment_done", args=[contract.number, instr.reference])
                )
    except ValueError as exc:  # a date typed wrong: the form's input, not a business refusal
        context["error"] = str(exc)
    show_refusal(context, refused)
    return render(request, "portal/payments/early_repayment.html", context)


@customer_required
def early_repayment_done(request: HttpRequest, number: str, reference: str) -> HttpResponse:
    contract = customer_contract(request, number)
    instr = contract.payment_instructions.filter(reference=reference).first()
    if instr is None:
        return redirect(reverse("portal:early_repayment", args=[contract.number]))
    return render(
        request,
        "portal/payments/early_done.html",
        {"contract": contract, "instruction": instr, "lender": get_profile()},
    )


@customer_required
@sensitive_page
def debit_date(request: HttpRequest, number: str) -> HttpResponse:
    customer = current_customer(request)
    contract = customer_contract(request, number)
    data = request.POST if request.method == "POST" else request.GET
    context: dict = {"contract": contract, "policy": get_profile().debit_date, "form": data}
    if not data.get("day"):
        return render(request, "portal/payments/debit_date.html", context)
    try:
        with refusals() as refused:
            day = int(data["day"])
            preview = services.preview_debit_date_change(contract=contract, new_day=day)
            context["preview"] = preview
            if request.method == "POST" and data.get("action") == "send_code":
                services.request_debit_date_code(customer=customer, preview=preview)
                context["code_sent"] = True
            elif request.method == "POST" and data.get("action") == "confirm":
                services.change_debit_date(
                    customer=customer, contract=contract, new_day=day, code=data.get("code", "")
                )
                messages.success(
                    request,
                    _(
                        "Votre date de prélèvement a été changée."
                        " Le nouveau tableau d'amortissement est dans vos documents."
                    ),
                )
                return redirect(reverse("portal:payments"))
    except ValueError:  # not a day number: the form's input, not a business refusal
        context["error"] = _("Choisissez un jour dans la liste.")
    show_refusal(context, refused)
    return render(request, "portal/payments/debit_date.html", context)


@customer_required
@sensitive_page
def bank_details(request: HttpRequest, number: str) -> HttpResponse:
    customer = current_customer(request)
    contract = customer_contract(request, number)
    data = request.POST if request.method == "POST" else {}
    context: dict = {"contract": contract, "mandate": selectors.active_mandate(contract), "form": data}
    if request.method == "POST":
        args = {
            "customer": customer,
            "contract": contract,
            "holder_name": data.get("holder", ""),
            "iban": data.get("iban", ""),
            "bic": data.get("bic", ""),
        }
        with refusals() as refused:
            if data.get("action") == "confirm":
                services.change_bank_details(**args, code=data.get("code", ""))
                messages.success(
                    request,
                    _("Vos coordonnées bancaires sont enregistrées : un nouveau mandat remplace l'ancien."),
                )
                return redirect(reverse("portal:payments"))
            services.request_bank_details_change(**args)
            context["code_sent"] = True
        show_refusal(context, refused)
    return render(request, "portal/payments/bank_details.html", context)


@customer_required
def transfers(request: HttpRequest, number: str) -> HttpResponse:
    customer = current_customer(request)
    contract = customer_contract(request, number)
    context: dict = {
        "contract": contract,
        "transfers": contract.scheduled_transfers.order_by("-created_at"),
        "form": request.POST,
    }
    if request.method == "POST" and request.POST.get("stop"):
        # Stopping a planned transfer: only an active one of this contract (anything else is a 404).
        planned = get_object_or_404(
            contract.scheduled_transfers, pk=request.POST["stop"], status=ScheduledTransfer.Status.ACTIVE
        )
        services.cancel_transfer(transfer=planned)
        messages.success(request, _("Le versement %(ref)s est arrêté.") % {"ref": planned.reference})
        return redirect(reverse("portal:transfers", args=[contract.number]))
    if request.method == "POST":
        try:
            with refusals() as refused:
                t = services.schedule_transfer(
                    customer=customer,
                    contract=contract,
                    amount=parse_amount(request.POST.get("amount", "")) or contract.money(0),
                    first_on=parse_date(request.POST.get("first_on", "")),
                    monthly=request.POST.get("monthly") == "1",
                )
                iban, bic = get_profile().transfer_account
                messages.success(
                    request,
                    _(
                        "Versement programmé. Envoyez votre virement à l'IBAN %(iban)s (BIC %(bic)s) "
                        "avec la référence %(ref)s."
                    )
                    % {"ref": t.reference, "iban": iban, "bic": bic},
                )
                return redirect(reverse("portal:transfers", args=[contract.number]))
        except ValueError as exc:  # a date typed wrong: the form's input, not a business refusal
            context["error"] = str(exc)
        show_refusal(context, refused)
    return render(request, "portal/payments/transfers.html", context)


urlpatterns: list[URLPattern] = [
    path("espace/paiements/", payments, name="payments"),
    path("espace/contrats/<str:number>/remboursement-anticipe/", early_repayment, name="early_repayment"),
    path(
        "contrats/<str:number>/remboursement-anticipe/<str:reference>/",
        early_repayment_done,
        name="early_repayment_done",
    ),
    path("espace/contrats/<str:number>/date-de-prelevement/", debit_date, name="debit_date"),
    path("espace/contrats/<str:number>/coordonnees-bancaires/", bank_details, name="bank_details"),
    path("espace/contrats/<str:number>/versements/", transfers, name="transfers"),
]
