"""Direct-debit mandates: create one per contract, change bank details (SMS step-up, new mandate,
old one revoked).

Unique mandate reference (≤ 35 characters, EPC rulebook): ``GUI-<contract>-<version>-<random>``.
The creditor identifier comes from the lender profile (``sepa_creditor_id``). The XPF lender has
no SEPA creditor id: its mandates use the local channel (see ``guichet.payments.sepa``).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.events import record_event
from guichet.lenders.profile import get_profile
from guichet.loans.models import Contract

from ..errors import MandateRefused
from ..identity import require_identity_verified
from ..models import Mandate
from ..sepa import BankDetails, BankDetailsInvalid, validate_bank_details
from ..stepup import binding, issue_code, sms_operation, verify_code

PURPOSE_BANK_DETAILS = "bank_details"


def _reference(contract: Contract) -> str:
    count = Mandate.objects.filter(contract=contract).count() + 1
    return f"GUI-{contract.number}-{count:02d}-{secrets.token_hex(3).upper()}"


def _check(contract: Contract, holder_name: str, iban: str, bic: str) -> BankDetails:
    if not contract.is_active:
        raise MandateRefused(_("Ce contrat n'est pas en cours : aucun prélèvement n'est possible."))
    if not holder_name.strip():
        raise MandateRefused(_("Indiquez le nom du titulaire du compte."))
    profile = get_profile()
    try:
        return validate_bank_details(iban=iban, bic=bic, sepa=profile.uses_sepa)
    except BankDetailsInvalid as exc:
        raise MandateRefused(str(exc)) from None


def _new_mandate(contract: Contract, holder_name: str, details: BankDetails, signed_on: date) -> Mandate:
    """One place that turns checked bank details into a mandate, for a first mandate and a replacement.

    The contract shows the account of its active mandate: it is written here and nowhere else, so
    the contract page and the debits can never name two different accounts.
    """
    profile = get_profile()
    contract.bank_account_masked = details.masked
    contract.save(update_fields=["bank_account_masked"])
    return Mandate.objects.create(
        contract=contract,
        reference=_reference(contract),
        creditor_id=profile.sepa_creditor_id,
        channel=Mandate.Channel.SEPA if profile.uses_sepa else Mandate.Channel.LOCAL,
        holder_name=holder_name.strip()[:70],
        iban=details.iban,
        bic=details.bic,
        signed_on=signed_on,
    )


def create_mandate(
    *, contract: Contract, holder_name: str, iban: str, bic: str = "", signed_on: date | None = None
) -> Mandate:
    """Record the contract's direct-debit mandate (the only active one; refused if one exists)."""
    details = _check(contract, holder_name, iban, bic)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        if Mandate.objects.filter(contract=contract, status=Mandate.Status.ACTIVE).exists():
            raise MandateRefused(_("Ce contrat a déjà un mandat actif : modifiez les coordonnées bancaires."))
        return _new_mandate(contract, holder_name, details, signed_on or timezone.localdate())


def _bank_binding(contract: Contract, iban: str) -> str:
    return binding(operation=PURPOSE_BANK_DETAILS, contract_number=contract.number, extra=iban)


def request_bank_details_change(*, customer, contract: Contract, holder_name: str, iban: str, bic: str = ""):
    """Check the new bank details, then send the SMS code bound to this contract and this IBAN."""
    require_identity_verified(customer)
    details = _check(contract, holder_name, iban, bic)
    operation = sms_operation(
        gettext_lazy("prélever désormais le compte se terminant par %(end)s (contrat %(number)s)"),
        end=details.iban[-4:],
        number=contract.number,
    )
    issued = issue_code(
        purpose=PURPOSE_BANK_DETAILS,
        bound_to=_bank_binding(contract, details.iban),
        customer=customer,
        operation=operation,
    )
    return details, issued


def change_bank_details(
    *, customer, contract: Contract, holder_name: str, iban: str, bic: str = "", code: str
) -> Mandate:
    """Confirm with the SMS code: the old mandate is revoked and a new one, signed today, replaces it."""
    require_identity_verified(customer)
    details = _check(contract, holder_name, iban, bic)
    # Outside the transaction: a wrong try must stay counted (see customers.codes).
    verify_code(
        purpose=PURPOSE_BANK_DETAILS,
        bound_to=_bank_binding(contract, details.iban),
        code=code,
        customer=customer,
    )
    with transaction.atomic():
        old = (
            Mandate.objects.select_for_update()
            .filter(contract=contract, status=Mandate.Status.ACTIVE)
            .first()
        )
        if old is not None:
            old.status = Mandate.Status.REVOKED
            old.revoked_at = timezone.now()
            old.save(update_fields=["status", "revoked_at"])
        new = _new_mandate(contract, holder_name, details, timezone.localdate())
        if old is not None:
            old.replaced_by = new
            old.save(update_fields=["replaced_by"])
    _audit(customer, "bank_details_changed", contract=contract.number, mandate=new.reference)
    return new


def _audit(customer, kind: str, **data: object) -> None:
    record_event(user=customer.user, kind=kind, **data)
