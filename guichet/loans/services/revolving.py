"""Revolving credit (crédit renouvelable): open a line, draw on it, draw up its monthly statements.

Rules (docs/credit.md §5): interest per stretch of days at the tier of the amount USED (seed 004),
with one convention for every line (``revolving_line.INTEREST_CONVENTION``, daily) with which the
disclosed TAEG is also computed (Annex I part II assumptions, ``credit.revolving.disclosed_taeg``);
the minimum installment clears the used amount within 36/60 months of the last drawdown (L312-65,
D312-27 to D312-29); usury is judged on the amount actually used (L314-6 avis: "montant
effectivement utilisé").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.rates import round_taeg
from guichet.credit.revolving import SPEED_MONTHS, insurance_rate_for, revolving_taeg, tier_for
from guichet.loans.errors import ContractRefused, CreditLimitExceeded
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.revolving_line import INTEREST_CONVENTION, line_state, line_states, statement_for, tiers_of

from .contracts import _add_participants, _participants, new_contract_number, post_drawdown, require_active
from .ledger import contract_account, lender_account, post_entry
from .terms import check_usury, product_terms


def _require_revolving(contract: Contract) -> None:
    if contract.kind != Contract.Kind.REVOLVING:
        raise ContractRefused(f"Le contrat {contract.number} n'est pas un crédit renouvelable.")


@transaction.atomic
def open_revolving(
    *,
    product_code: str,
    limit: Money,
    start_on: date,
    customers: Sequence[Any],
    speed: str = Contract.Speed.CONFORT,
    debit_day: int = 5,
    insured: bool = False,
    insurance_adhesion_on: date | None = None,
    debit_rate: Decimal | None = None,
    number: str | None = None,
    payment_method: str = Contract.PaymentMethod.DIRECT_DEBIT,
    bank_account_masked: str = "",
    product_name: str | None = None,
) -> Contract:
    """Open a revolving credit with a limit and nothing drawn yet (``draw_revolving`` draws).

    The tiers are the catalogue's (rate by amount used); ``debit_rate`` only serves a product the
    catalogue does not know (one tier). The stored debit rate is the limit's tier and the TAEG the
    one disclosed for it: Annex I part II assumptions (the limit drawn in full on ``start_on``),
    computed with the line's own interest convention (daily), as every statement charges it.
    """
    if speed not in SPEED_MONTHS:
        raise ContractRefused(f"Vitesse de remboursement inconnue : « {speed} ».")
    people = _participants(None, customers)
    terms = product_terms(
        product_code=product_code, amount=limit, term_months=None, on=start_on, debit_rate=debit_rate
    )
    adhesion = insurance_adhesion_on or start_on
    contract = Contract(
        number=number or new_contract_number(),
        kind=Contract.Kind.REVOLVING,
        product_code=product_code,
        product=terms.product if getattr(terms.product, "pk", None) else None,
        product_name=terms.product_name if terms.product else (product_name or terms.product_name),
        currency=limit.currency.code,
        principal_minor=0,
        credit_limit_minor=limit.minor,
        debit_rate=terms.debit_rate,
        taeg=Decimal(0),
        start_on=start_on,
        first_due_on=add_months(start_on, 1, day=debit_day),
        debit_day=debit_day,
        status=Contract.Status.OPEN,
        opened_at=timezone.now(),
        revolving_speed=speed,
        payment_method=payment_method,
        bank_account_masked=bank_account_masked,
        insurance_kind=Contract.InsuranceKind.ON_OUTSTANDING if insured else Contract.InsuranceKind.NONE,
        insurance_rate=insurance_rate_for(adhesion, terms.product_name) if insured else None,
        insurance_adhesion_on=adhesion if insured else None,
    )
    if contract.product_id:
        contract.debit_rate = tier_for(limit, tiers_of(contract)).debit_rate
    taeg = revolving_taeg(
        debit_rate=contract.debit_rate, credit_limit=limit, interest=INTEREST_CONVENTION, drawn_on=start_on
    )
    contract.taeg = round_taeg(taeg)
    contract.save()
    _add_participants(contract, people)
    return contract


def taeg_for_used(contract: Contract, used: Money, on: date) -> Decimal:
    """The TAEG of the amount actually used, at its tier's debit rate (seed 004), drawn on ``on``:
    Annex I part II assumptions with the line's interest convention. Usury is judged on it, in the
    category of the amount used; each tier is priced for its own category, so the TAEG is not
    blended across tiers here (a 3 740 € balance drawn in full and repaid through the ≤ 3 000 €
    tier would give 16 %, above the 3 000–6 000 € ceiling, though no euro is charged above 9.38 %
    while it is in that category)."""
    rate = tier_for(used, tiers_of(contract)).debit_rate
    return round_taeg(
        revolving_taeg(debit_rate=rate, credit_limit=used, interest=INTEREST_CONVENTION, drawn_on=on)
    )


@transaction.atomic
def draw_revolving(*, contract: Contract, amount: Money, on: date, key: str) -> JournalEntry:
    """Draw on a revolving credit within the available amount; usury judged on the amount used."""
    require_active(contract)
    _require_revolving(contract)
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if amount.minor <= 0:
        raise ContractRefused("Le montant d'une utilisation doit être positif.")
    if contract.use_stopped_on is not None:
        raise ContractRefused(
            f"Vous avez demandé la clôture de ce crédit le {contract.use_stopped_on:%d/%m/%Y} :"
            " aucune nouvelle utilisation n'est possible."
        )
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    state = line_state(contract)
    if amount > state.available:
        raise CreditLimitExceeded(
            f"Montant disponible insuffisant : {state.available} disponibles, {amount} demandés."
        )
    check_usury(taeg=taeg_for_used(contract, state.used + amount, on), amount=state.used + amount, on=on)
    return post_drawdown(contract=contract, amount=amount, on=on, key=key)


def capital_after_last_drawdown(contract: Contract) -> Money | None:
    """K of D312-27: the principal owed right after the latest drawdown (``None`` if never drawn)."""
    return line_state(contract).k


def post_revolving_statement(
    *,
    contract: Contract,
    period_start: date | None = None,
    period_end: date,
    key: str,
    tiers: Any = None,
) -> JournalEntry | None:
    """Monthly statement: interest, insurance and the minimum capital share fall due on ``period_end``.

    The period runs from the last statement (or the first drawdown); ``period_start`` and ``tiers``
    are accepted for older callers and ignored — the ledger says where the period starts. A
    statement depends on the balance when it is drawn up, so a replayed key returns the first one.
    """
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    return _post(line_state(contract), period_end, key)


def _post(state: Any, period_end: date, key: str) -> JournalEntry | None:
    contract = state.contract
    if state.used.is_zero() or period_end <= state.period_start:
        return None
    statement = statement_for(state, period_end)
    cur = contract.currency
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.INSTALLMENT_DUE,
        effective_on=period_end,
        contract=contract,
        memo=f"Relevé du {state.period_start:%d/%m/%Y} au {period_end:%d/%m/%Y}",
        lines=[
            (contract_account(contract, "due:interest"), statement.interest),
            (lender_account("income:interest", cur), -statement.interest),
            (contract_account(contract, "due:insurance"), statement.insurance),
            (lender_account("payable:insurance", cur), -statement.insurance),
            (contract_account(contract, "due:principal"), statement.capital_repaid),
            (contract_account(contract, "principal"), -statement.capital_repaid),
        ],
    )


def close_revolving_statements(*, contracts: Iterable[Contract], on: date) -> int:
    """Accrue interest and insurance and close the statement of every revolving line in
    ``contracts`` whose debit day is ``on`` (idempotent: key ``statement:<number>:<date>``).

    The entry point for the daily business-day run: it reads the lines' ledgers in two queries
    whatever their number, then writes one entry per line with something used. Returns the number
    of statements written.
    """
    due = [
        c for c in contracts if c.kind == Contract.Kind.REVOLVING and c.is_active and c.debit_day == on.day
    ]
    keys = {c.pk: f"statement:{c.number}:{on.isoformat()}" for c in due}
    done = set(
        JournalEntry.objects.filter(idempotency_key__in=keys.values()).values_list(
            "idempotency_key", flat=True
        )
    )
    written = 0
    for pk, state in line_states([c for c in due if keys[c.pk] not in done]).items():
        written += _post(state, on, keys[pk]) is not None
    return written
