"""The contract sheet: one set of figures for the contract page and every contract PDF.

Both the screen (``portal:contract``) and the documents (contract summary, amortization table,
credit and balance attestations) are built from ``contract_sheet``, which reads only the loans
selectors; so a PDF can never show another number than the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Money
from guichet.loans.models import Contract
from guichet.loans.selectors import ScheduleLineView, balance_of, schedule_of

from .models import Document
from .rendering import render_pdf


@dataclass(frozen=True)
class PdfKind:
    slug: str
    document_kind: str
    template: str
    title: Any


# URL slug -> what to render; the slugs are the French file names the customer downloads.
PDF_KINDS: dict[str, PdfKind] = {
    k.slug: k
    for k in (
        PdfKind(
            "recapitulatif", Document.Kind.CONTRACT_SUMMARY, "contract_summary", _("Récapitulatif du contrat")
        ),
        PdfKind(
            "tableau-amortissement",
            Document.Kind.AMORTIZATION_TABLE,
            "amortization_table",
            _("Tableau d'amortissement"),
        ),
        PdfKind(
            "attestation-credit",
            Document.Kind.CREDIT_ATTESTATION,
            "credit_attestation",
            _("Attestation de crédit"),
        ),
        PdfKind(
            "attestation-solde",
            Document.Kind.BALANCE_ATTESTATION,
            "balance_attestation",
            _("Attestation de solde"),
        ),
    )
}


@dataclass(frozen=True)
class Row:
    """One calendar line as shown: ``amount`` is what the customer pays (installment + insurance)."""

    number: int
    due_on: date
    amount: Money
    installment: Money
    interest: Money
    principal: Money
    insurance: Money
    balance_after: Money
    status: str
    status_label: str
    paid: bool
    past: bool


@dataclass(frozen=True)
class Person:
    name: str
    role: str


@dataclass(frozen=True)
class ContractSheet:
    contract: Contract
    on: date
    rows: tuple[Row, ...]  # the whole schedule
    participants: tuple[Person, ...]
    balance: Money  # outstanding principal
    arrears: Money
    percent_repaid: Decimal
    installment: Money | None
    total_interest: Money
    total_insurance: Money
    total_principal: Money
    total_due: Money

    # -- figures copied from the contract, named as the templates read them ---------------------
    def __getattr__(self, name: str) -> Any:
        contract_fields = {
            "number", "product_name", "start_on", "status", "term_months", "debit_rate", "taeg",
            "bank_account_masked", "credit_limit", "principal", "kind",
        }  # fmt: skip
        if name in contract_fields:
            return getattr(self.contract, name)
        raise AttributeError(name)

    @property
    def status_label(self) -> str:
        return str(self.contract.get_status_display())

    @property
    def payment_method_label(self) -> str:
        return str(self.contract.get_payment_method_display())

    @property
    def is_revolving(self) -> bool:
        return self.contract.kind == Contract.Kind.REVOLVING

    @property
    def is_lease(self) -> bool:
        return self.contract.kind == Contract.Kind.LEASE

    @property
    def is_closed(self) -> bool:
        return self.contract.status == Contract.Status.CLOSED

    @property
    def used(self) -> Money | None:
        return self.balance if self.is_revolving else None

    @property
    def available(self) -> Money | None:
        limit = self.contract.credit_limit
        return None if limit is None else limit - self.balance

    @property
    def insurance_monthly(self) -> Money | None:
        minor = self.contract.insurance_monthly_minor
        return self.contract.money(minor) if minor else None

    @property
    def insurance_rate(self) -> Decimal | None:
        """The insurance rate when it is a percentage of what is owed (revolving: monthly, seed 004)."""
        rate = self.contract.insurance_rate
        return Decimal(rate) if rate and self.is_revolving else None

    @property
    def speed_label(self) -> str:
        return str(self.contract.get_revolving_speed_display()) if self.contract.revolving_speed else ""

    @property
    def insurance_label(self) -> str:
        return str(self.contract.get_insurance_kind_display())

    @property
    def borrower_names(self) -> str:
        return str(_(" et ")).join(p.name for p in self.participants)

    @property
    def next_due(self) -> Row | None:
        return next((r for r in self.rows if not r.paid and r.due_on >= self.on), None)

    @property
    def remaining_count(self) -> int:
        return sum(1 for r in self.rows if not r.paid)

    @property
    def end_on(self) -> date | None:
        return self.rows[-1].due_on if self.rows else None

    def filtered(self, which: str) -> list[Row]:
        """``all``, ``upcoming`` (due today or later) or ``past`` rows, as the calendar filters show them."""
        if which == "upcoming":
            return [r for r in self.rows if r.due_on >= self.on]
        if which == "past":
            return [r for r in self.rows if r.due_on < self.on]
        return list(self.rows)


def _row(view: ScheduleLineView, on: date) -> Row:
    return Row(
        number=view.number,
        due_on=view.due_on,
        amount=view.total_due,
        installment=view.installment,
        interest=view.interest,
        principal=view.principal,
        insurance=view.insurance,
        balance_after=view.balance_after,
        status=view.status,
        status_label=view.status_label,
        paid=view.status == "paid",
        past=view.due_on < on,
    )


def _sum(contract: Contract, values: list[Money]) -> Money:
    return contract.money(sum(v.minor for v in values))


def contract_sheet(*, contract: Contract, on: date | None = None) -> ContractSheet:
    """Everything the contract page and the PDFs show, read once from the loans selectors."""
    on = on or timezone.localdate()
    balances = balance_of(contract, on)
    rows = tuple(_row(v, on) for v in schedule_of(contract, "all", on))
    people = contract.participants.select_related("customer").order_by("role", "pk")
    common = Counter(r.installment.minor for r in rows).most_common(1)
    return ContractSheet(
        contract=contract,
        on=on,
        rows=rows,
        participants=tuple(Person(p.customer.full_name, str(p.get_role_display())) for p in people),
        balance=balances.outstanding_principal,
        arrears=balances.arrears,
        percent_repaid=balances.percent_repaid,
        installment=contract.money(common[0][0]) if common else None,
        total_interest=_sum(contract, [r.interest for r in rows]),
        total_insurance=_sum(contract, [r.insurance for r in rows]),
        total_principal=_sum(contract, [r.principal for r in rows]),
        total_due=_sum(contract, [r.amount for r in rows]),
    )


def render_contract_pdf(*, contract: Contract, kind: str, language: str, on: date | None = None) -> bytes:
    """One contract document (``kind`` is a ``PDF_KINDS`` slug) in ``language``."""
    spec = PDF_KINDS[kind]
    sheet = contract_sheet(contract=contract, on=on)
    return render_pdf(
        template=f"documents/pdf/{spec.template}.html",
        context={"sheet": sheet, "issued_on": sheet.on},
        language=language,
    )
