"""Early repayment, end to end: quote (total or partial), confirmation with an SMS code bound to the
amount and the contract, and the posting when the transfer is received.

The figures come from ``guichet.credit.early_repayment`` on the contract's current schedule, both
when quoting and when posting, so the quote and the posting agree to the minor unit. The French
demo lenders claim the indemnity at its legal ceiling (L312-34 / D312-15), shown with its reason.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.early_repayment import Indemnity, PartialOutcome, partial_repayment, payoff_quote
from guichet.loans.invariants import check_balances
from guichet.loans.models import Contract, JournalEntry, Posting
from guichet.loans.selectors import principal_repaid_early
from guichet.loans.services import close_contract, make_due_through, replace_schedule
from guichet.loans.services.ledger import contract_account, lender_account, post_entry

from .. import selectors
from ..errors import EarlyRepaymentRefused, PostingRefused
from ..identity import require_identity_verified
from ..models import PaymentInstruction
from ..stepup import binding, issue_code, sms_operation, verify_code

PURPOSE = "early_repayment"
MODES = ("reduce_term", "reduce_installment")


@dataclass(frozen=True)
class EarlyQuote:
    """What the customer is shown and confirms; ``total`` is the amount to transfer."""

    contract: Contract
    on: date
    kind: str  # "total" | "partial"
    outstanding: Money
    principal: Money
    interest: Money
    indemnity: Indemnity
    arrears: Money
    falling_due: Money  # installments due by ``on`` that the ledger has not made due yet (total only)
    total: Money
    valid_until: date
    outcomes: dict[str, PartialOutcome]
    mode: str = ""

    @property
    def key(self) -> str:
        """Identifies this exact quote (contract, schedule version, date, amounts, mode)."""
        raw = "|".join(
            map(
                str,
                (
                    self.contract.number,
                    self.contract.current_schedule_id,
                    self.on,
                    self.kind,
                    self.total.minor,
                    self.mode,
                ),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()


def _check_contract(contract: Contract, on: date, today: date) -> None:
    if contract.kind == Contract.Kind.REVOLVING:
        raise EarlyRepaymentRefused(
            _(
                "Un crédit renouvelable se rembourse en réglant le montant utilisé :"
                " aucun remboursement anticipé à calculer."
            )
        )
    if not contract.is_active:
        raise EarlyRepaymentRefused(_("Ce contrat est soldé ou n'est pas en cours : rien à rembourser."))
    if on < today:
        raise EarlyRepaymentRefused(_("La date de remboursement ne peut pas être dans le passé."))
    last = selectors.schedule_lines(contract)[-1].due_on
    if on > last:
        raise EarlyRepaymentRefused(_("La date choisie est après la dernière échéance du contrat."))


def quote_early_repayment(
    *, contract: Contract, on: date, amount: Money | None = None, mode: str = "", today: date | None = None
) -> EarlyQuote:
    """Total payoff (``amount`` None) or partial repayment of ``amount`` on ``on``, with both modes.

    A payoff includes everything due up to ``on``: the ledger's arrears and the installments falling
    due by that date that servicing has not posted yet (``falling_due``). The D312-15 threshold
    counts the principal repaid early on this contract over the twelve months before ``on``, read
    from the ledger.
    """
    today = today or timezone.localdate()
    _check_contract(contract, on, today)
    schedule = selectors.credit_schedule(contract)
    paid = selectors.rows_due_by(contract, on)
    arrears = selectors.due_unpaid(contract)
    earlier = principal_repaid_early(contract, after=add_months(on, -12), through=on)
    payoff = payoff_quote(schedule=schedule, on=on, paid_through=paid, repaid_earlier_12_months=earlier)
    if amount is None:
        falling_due = selectors.due_not_yet_posted(contract, on)
        return EarlyQuote(
            contract,
            on,
            "total",
            payoff.outstanding,
            payoff.outstanding,
            payoff.accrued_interest,
            payoff.indemnity,
            arrears,
            falling_due,
            payoff.total + arrears + falling_due,
            payoff.valid_until,
            {},
        )
    return _partial_quote(contract, schedule, on, amount, mode, paid, payoff, arrears, earlier)


def _partial_quote(contract, schedule, on, amount, mode, paid, payoff, arrears, earlier) -> EarlyQuote:
    if amount.currency != contract.currency_obj:
        raise EarlyRepaymentRefused(_("Le montant doit être en %(cur)s.") % {"cur": contract.currency})
    if amount.minor <= 0:
        raise EarlyRepaymentRefused(_("Indiquez un montant positif."))
    if arrears:
        raise EarlyRepaymentRefused(
            _("Réglez d'abord les échéances impayées (%(a)s) avant un remboursement partiel.")
            % {"a": arrears}
        )
    repayable = payoff.outstanding - (schedule.residual_value or contract.money(0))
    if amount >= repayable + payoff.accrued_interest:
        raise EarlyRepaymentRefused(
            _("Ce montant dépasse ou égale le solde à rembourser (%(t)s) : demandez un remboursement total.")
            % {"t": payoff.total}
        )
    if mode and mode not in MODES:
        raise EarlyRepaymentRefused(_("Choisissez : réduire la durée ou réduire la mensualité."))
    try:
        outcomes = {
            m: partial_repayment(
                schedule=schedule,
                on=on,
                amount=amount,
                mode=m,
                paid_through=paid,
                repaid_earlier_12_months=earlier,
            )
            for m in MODES
        }
    except ValueError as exc:
        raise EarlyRepaymentRefused(str(exc)) from None
    first = outcomes[mode or "reduce_term"]
    return EarlyQuote(
        contract,
        on,
        "partial",
        payoff.outstanding,
        first.principal_repaid,
        first.accrued_interest,
        first.indemnity,
        arrears,
        contract.money(0),
        amount + first.indemnity.amount,
        on,
        outcomes,
        mode,
    )


def _bound(quote: EarlyQuote) -> str:
    return binding(
        operation=PURPOSE, contract_number=quote.contract.number, amount=quote.total, extra=quote.key
    )


def request_early_repayment_code(*, customer, quote: EarlyQuote):
    """Send the SMS code that confirms exactly this amount on this contract."""
    require_identity_verified(customer)
    operation = sms_operation(
        gettext_lazy("votre remboursement anticipé de %(amount)s (contrat %(number)s)"),
        amount=quote.total,
        number=quote.contract.number,
    )
    return issue_code(purpose=PURPOSE, bound_to=_bound(quote), customer=customer, operation=operation)


def confirm_early_repayment(*, customer, quote: EarlyQuote, code: str) -> PaymentInstruction:
    """Check the code, then record the instruction with its transfer reference (one per quote)."""
    require_identity_verified(customer)
    if quote.kind == "partial" and quote.mode not in MODES:
        raise EarlyRepaymentRefused(_("Choisissez : réduire la durée ou réduire la mensualité."))
    verify_code(purpose=PURPOSE, bound_to=_bound(quote), code=code, customer=customer)
    return create_instruction(customer=customer, quote=quote)


def create_instruction(*, customer, quote: EarlyQuote) -> PaymentInstruction:
    """The payment instruction for ``quote``; a second call for the same quote returns the first."""
    kind = (
        PaymentInstruction.Kind.EARLY_TOTAL
        if quote.kind == "total"
        else PaymentInstruction.Kind.EARLY_PARTIAL
    )
    try:
        with transaction.atomic():
            return PaymentInstruction.objects.create(
                contract=quote.contract,
                customer=customer,
                kind=kind,
                mode=quote.mode,
                reference=f"RA{quote.contract.number}{secrets.token_hex(3).upper()}",
                quote_key=quote.key,
                amount_minor=quote.total.minor,
                currency=quote.total.currency.code,
                principal_minor=quote.principal.minor,
                interest_minor=quote.interest.minor,
                indemnity_minor=quote.indemnity.amount.minor,
                repay_on=quote.on,
                valid_until=quote.valid_until,
            )
    except IntegrityError:
        existing = PaymentInstruction.objects.filter(quote_key=quote.key).first()
        if existing is None:
            raise
        return existing


def _early_lines(contract: Contract, q: EarlyQuote) -> list[tuple[str, Money]]:
    lines = [
        (lender_account("clearing", contract.currency), q.total),
        (contract_account(contract, "principal"), -q.principal),
        (lender_account("income:interest", contract.currency), -q.interest),
        (lender_account("income:fees", contract.currency), -q.indemnity.amount),
    ]
    if q.arrears:
        lines += _arrears_lines(contract)
    return lines


def _arrears_lines(contract: Contract) -> list[tuple[str, Money]]:
    from django.db.models import Sum

    rows = (
        Posting.objects.filter(account__contract=contract, account__code__contains=":due:")
        .values("account__code")
        .annotate(s=Sum("amount_minor"))
    )
    return [(r["account__code"], contract.money(-r["s"])) for r in rows if r["s"]]


def post_received_payment(
    *, reference: str, amount: Money, received_on: date | None = None
) -> PaymentInstruction:
    """Post the transfer that pays instruction ``reference``; replaying it posts nothing more."""
    with transaction.atomic():
        instr = (
            PaymentInstruction.objects.select_for_update(of=("self",))
            .select_related("contract", "customer")
            .filter(reference=reference)
            .first()
        )
        if instr is None:
            raise PostingRefused(f"No payment instruction with reference {reference!r}.")
        if instr.status == PaymentInstruction.Status.POSTED:
            return instr
        if amount != instr.amount:
            raise PostingRefused(
                f"Received {amount} but instruction {reference} expects {instr.amount}: nothing posted."
            )
        contract = Contract.objects.select_for_update().get(pk=instr.contract_id)
        if instr.kind == PaymentInstruction.Kind.EARLY_TOTAL:  # a payoff closes: all due by then is due
            make_due_through(contract=contract, on=instr.repay_on)
        q = quote_early_repayment(
            contract=contract,
            on=instr.repay_on,
            amount=None
            if instr.kind == "early_total"
            else amount - Money(instr.indemnity_minor, amount.currency),
            mode=instr.mode,
            today=instr.repay_on,
        )
        overpaid = _already_paid_since_quote(q, instr)
        lines = _early_lines(contract, q)
        memo = f"Remboursement anticipé {reference}"
        if overpaid:  # the quote is honoured: what was paid twice waits in suspense, to be refunded
            lines[0] = (lender_account("clearing", contract.currency), instr.amount)
            lines.append((contract_account(contract, "suspense"), -overpaid))
            memo += f" ; trop-perçu {overpaid} (échéance déjà prélevée) à rembourser"
        post_entry(
            key=f"early:{reference}",
            kind=JournalEntry.Kind.EARLY_REPAYMENT,
            effective_on=instr.repay_on,
            lines=lines,
            contract=contract,
            memo=memo,
        )
        _apply_to_schedule(contract, q, instr)
        check_balances([contract.pk])  # nothing due below zero; a suspense is only ever owed to the customer
        instr.status, instr.posted_at = PaymentInstruction.Status.POSTED, timezone.now()
        instr.save(update_fields=["status", "posted_at"])
    return instr


def _already_paid_since_quote(q: EarlyQuote, instr: PaymentInstruction) -> Money:
    """What the customer paid twice since confirming ``instr`` (zero when nothing changed); refuses,
    with the reason, a posting whose quote no longer holds.

    A payoff quote includes the installments due by its date. If one of them was collected in the
    meantime (the direct debit of that same due day), today's figures are lower by exactly the amount
    collected: principal, interest and indemnity unchanged, less due. The lender then honours the
    confirmed quote to the minor unit (the transfer received is posted in full, the contract closes)
    and keeps the installment paid twice in the contract's suspense account, to refund it.
    Anything else (a changed principal or interest, more due than quoted: a returned debit, late
    fees; a partial payment's figures) means the quote no longer holds: make a new one.
    """
    same_loan = (
        q.principal.minor == instr.principal_minor
        and q.interest.minor == instr.interest_minor
        and q.indemnity.amount.minor == instr.indemnity_minor
    )
    if same_loan and q.total == instr.amount:
        return Money(0, q.total.currency)
    if same_loan and q.kind == "total" and q.total < instr.amount:
        return instr.amount - q.total
    if not same_loan:
        reason = "the principal, interest or indemnity changed"
    else:
        reason = f"the amounts due by {q.on} are now {q.arrears + q.falling_due}, not as quoted"
    raise PostingRefused(
        f"The contract changed since the quote {instr.reference} was made ({reason}); make a new quote."
    )


def _apply_to_schedule(contract: Contract, q: EarlyQuote, instr: PaymentInstruction) -> None:
    from .documents import deliver_after_repayment

    if q.kind == "total":
        close_contract(contract=contract, on=q.on)
    else:
        replace_schedule(
            contract=contract,
            schedule=q.outcomes[q.mode].schedule,
            reason=f"Remboursement anticipé partiel {instr.reference}",
        )
    deliver_after_repayment(contract=contract, customer=instr.customer, total=q.kind == "total")
