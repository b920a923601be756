"""Changes to a revolving line asked by its holder: early repayment, debit day, speed, closure.

- Early repayment, in part or in full, at any time and without indemnity (Code de la consommation
  L312-34: no indemnity "pour les contrats de crédit renouvelable"; docs/credit.md §4). What has
  fallen due is paid first; a full repayment also pays the interest accrued since the last
  statement, per stretch at the tier of the amount used.
- Debit day: one of the lender's days (profile ``debit_date``), not when a statement falls due within
  ``min_days_before_next_debit`` days; the next period simply runs from the last statement to the
  new day, interest by the day as always (no adjustment entry is needed).
- Speed (Confort / Rapide / Express, seed 004: the ≤ 3 000 € rate depends on it): the sibling
  product of the same tariff; D312-27's period restarts on the balance owed that day.
- Closure by the holder, free (L312-65: the contract sets how the sums still owed are repaid when
  the borrower "demande à ne plus bénéficier de son ouverture de crédit"): no more drawdowns; a line
  with nothing owed is closed at once, otherwise the amount used is repaid on the contract's terms.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.selectors import product_on
from guichet.credit import Money
from guichet.credit.rates import round_taeg
from guichet.credit.revolving import SPEED_MONTHS, period_interest, revolving_taeg, tier_for
from guichet.lenders.profile import get_profile
from guichet.loans.errors import ContractRefused
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.positions import position_of
from guichet.loans.revolving_line import INTEREST_CONVENTION, line_state, next_debit_day, segments, tiers_of

from .contracts import require_active
from .ledger import contract_account, lender_account, post_entry
from .servicing import post_payment


def _require_line(contract: Contract) -> None:
    if contract.kind != Contract.Kind.REVOLVING:
        raise ContractRefused(f"Le contrat {contract.number} n'est pas un crédit renouvelable.")
    require_active(contract)


def accrued_interest(contract: Contract, on: date) -> Money:
    """Interest since the last statement up to ``on``, per stretch at the tier of the amount used."""
    state = line_state(contract)
    if on <= state.period_start or state.used.is_zero():
        return contract.money(0)
    return period_interest(
        segments(state, state.period_start, on), state.tiers, convention=INTEREST_CONVENTION
    )


def payoff_amount(contract: Contract, on: date) -> Money:
    """Everything owed on ``on``: what fell due and is unpaid, the amount used, the accrued interest."""
    due = position_of(contract.pk).due_unpaid_minor
    return contract.money(due) + line_state(contract).used + accrued_interest(contract, on)


@transaction.atomic
def repay_revolving(*, contract: Contract, amount: Money, on: date, key: str) -> JournalEntry:
    """Repay ``amount`` early, without indemnity (L312-34); the full payoff also settles the interest
    accrued since the last statement. More than the payoff is refused with the payoff amount."""
    _require_line(contract)
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if amount.currency != contract.currency_obj or amount.minor <= 0:
        raise ContractRefused("Le montant d'un remboursement doit être positif, dans la devise du contrat.")
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    payoff, accrued = payoff_amount(contract, on), accrued_interest(contract, on)
    if amount > payoff:
        raise ContractRefused(
            f"Le montant dépasse la somme due pour tout rembourser : {payoff} au {on:%d/%m/%Y}."
        )
    if amount == payoff and accrued.minor:
        post_entry(
            key=f"{key}:accrued",
            kind=JournalEntry.Kind.INTEREST,
            effective_on=on,
            contract=contract,
            memo=f"Intérêts courus au {on:%d/%m/%Y} (remboursement total)",
            lines=[
                (contract_account(contract, "due:interest"), accrued),
                (lender_account("income:interest", contract.currency), -accrued),
            ],
        )
    return post_payment(contract=contract, amount=amount, on=on, key=key, kind="early_repayment",
                        memo=f"Remboursement anticipé du {on:%d/%m/%Y}, sans indemnité")  # fmt: skip


def check_debit_day(contract: Contract, new_day: int, today: date) -> date:
    """The first statement on the new day, or ``ContractRefused`` saying which rule stops it."""
    _require_line(contract)
    policy = get_profile().debit_date
    if new_day not in policy.allowed_days:
        days = ", ".join(str(d) for d in policy.allowed_days)
        raise ContractRefused(f"Choisissez l'un de ces jours de prélèvement : {days}.")
    if new_day == contract.debit_day:
        raise ContractRefused(f"Vos échéances sont déjà prélevées le {new_day} du mois.")
    coming = next_debit_day(contract, today)
    if (coming - today).days < policy.min_days_before_next_debit:
        raise ContractRefused(
            f"Votre prochaine échéance, le {coming:%d/%m/%Y}, est à moins de "
            f"{policy.min_days_before_next_debit} jours : réessayez après elle."
        )
    state = line_state(contract)
    first = next_debit_day(
        Contract(debit_day=new_day, start_on=contract.start_on), max(state.period_start, today)
    )
    return first


@transaction.atomic
def change_revolving_debit_day(*, contract: Contract, new_day: int, today: date) -> date:
    """Move the line's statements to ``new_day``; returns the first statement on the new day."""
    first = check_debit_day(contract, new_day, today)
    contract.debit_day = new_day
    contract.save(update_fields=["debit_day"])
    return first


def sibling_product(contract: Contract, speed: str, on: date):  # type: ignore[no-untyped-def]
    """The product of the same family at another speed in the tariff in force (``accessio-rapide``)."""
    if speed not in SPEED_MONTHS or not speed:
        raise ContractRefused(f"Vitesse de remboursement inconnue : « {speed} ».")
    base = contract.product_code.rsplit("-", 1)[0] if contract.revolving_speed else contract.product_code
    try:
        return product_on(f"{base}-{speed}", on)
    except CatalogueError as exc:
        raise ContractRefused(f"{contract.product_name} n'existe pas en vitesse « {speed} ».") from exc


@transaction.atomic
def change_revolving_speed(*, contract: Contract, speed: str, on: date) -> Contract:
    """Switch the line to ``speed``: the sibling product's tiers from now, D312-27's period restarted."""
    _require_line(contract)
    if speed == contract.revolving_speed:
        raise ContractRefused(
            f"Votre crédit est déjà en vitesse « {contract.get_revolving_speed_display()} »."
        )
    product = sibling_product(contract, speed, on)
    contract.product, contract.product_code, contract.product_name = product, product.code, product.name
    contract.revolving_speed, contract.speed_changed_on = speed, on
    limit = contract.money(contract.credit_limit_minor)
    contract.debit_rate = tier_for(limit, tiers_of(contract)).debit_rate
    contract.taeg = round_taeg(
        revolving_taeg(
            debit_rate=contract.debit_rate, credit_limit=limit, interest=INTEREST_CONVENTION, drawn_on=on
        )
    )
    contract.save()
    return contract


@transaction.atomic
def stop_revolving(*, contract: Contract, on: date) -> Contract:
    """The holder closes the line, free: closed at once when nothing is owed, else no more drawdowns
    and the amount used repaid on the contract's terms (L312-65)."""
    _require_line(contract)
    position = position_of(contract.pk)
    contract.use_stopped_on = contract.use_stopped_on or on
    fields = ["use_stopped_on"]
    if position.outstanding_principal_minor == 0 and position.due_unpaid_minor == 0:
        contract.status, contract.closed_at = Contract.Status.CLOSED, timezone.now()
        fields += ["status", "closed_at"]
    contract.save(update_fields=fields)
    return contract
