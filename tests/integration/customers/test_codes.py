"""One-time codes: hashed, single use, expiring, bound to purpose and operation, 5 wrong tries kill
them, resend cooldown, a new code kills the old (DESIGN.md security baseline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guichet.customers.codes import INVITATION_ALPHABET
from guichet.customers.models import OneTimeCode
from guichet.customers.services import (
    CodeCooldown,
    CodeExhausted,
    CodeExpired,
    CodeInvalid,
    CodeUsed,
    issue_code,
    verify_code,
)
from tests.factories import make_customer, make_user

from .helpers import sms_code

pytestmark = pytest.mark.django_db
PAYEE = "early_repayment:contract=0123456789:amount=150000 EUR"


def test_sms_code_is_sent_to_the_mobile_and_only_its_hash_is_stored(sms_outbox) -> None:
    user = make_user()
    issued = issue_code(user=user, purpose="bank_details", bound_to="iban:FR76...", channel="sms")
    text = sms_outbox.last_to(user.customer.phone)["text"]
    assert sms_code(text) == issued.code and len(issued.code) == 6 and issued.code.isdigit()
    row = OneTimeCode.objects.get()
    assert issued.code not in row.code_hash and issued.code not in row.bound_to


def test_code_is_single_use_and_replay_is_refused(sms_outbox) -> None:
    user = make_user()
    issued = issue_code(user=user, purpose="early_repayment", bound_to=PAYEE)
    verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=issued.code)
    with pytest.raises(CodeUsed):
        verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=issued.code)


def test_five_wrong_tries_kill_the_code_even_for_the_right_one_after(sms_outbox) -> None:
    user = make_user()
    issued = issue_code(user=user, purpose="early_repayment", bound_to=PAYEE)
    wrong = "000000" if issued.code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(CodeInvalid):
            verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=wrong)
    with pytest.raises(CodeExhausted):
        verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=wrong)
    with pytest.raises(CodeExhausted):
        verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=issued.code)


def test_code_bound_to_other_parameters_or_purpose_is_refused(sms_outbox) -> None:
    user = make_user()
    issued = issue_code(user=user, purpose="early_repayment", bound_to=PAYEE)
    with pytest.raises(CodeInvalid):
        verify_code(
            user=user, purpose="early_repayment", bound_to=PAYEE.replace("150000", "990000"), code=issued.code
        )
    with pytest.raises(CodeInvalid):
        verify_code(user=user, purpose="bank_details", bound_to=PAYEE, code=issued.code)
    assert verify_code(user=user, purpose="early_repayment", bound_to=PAYEE, code=issued.code).used_at


def test_code_expires_after_profile_minutes(sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        issued = issue_code(user=user, purpose="bank_details", bound_to="x")
        traveller.shift(timedelta(minutes=10, seconds=1))
        with pytest.raises(CodeExpired):
            verify_code(user=user, purpose="bank_details", bound_to="x", code=issued.code)


def test_resend_waits_for_the_cooldown_and_the_new_code_kills_the_old(sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = issue_code(user=user, purpose="bank_details", bound_to="x")
        with pytest.raises(CodeCooldown):
            issue_code(user=user, purpose="bank_details", bound_to="x")
        traveller.shift(timedelta(seconds=61))
        second = issue_code(user=user, purpose="bank_details", bound_to="x")
        if first.code != second.code:
            with pytest.raises(CodeInvalid):
                verify_code(user=user, purpose="bank_details", bound_to="x", code=first.code)
        verify_code(user=user, purpose="bank_details", bound_to="x", code=second.code)


def test_signature_code_length_comes_from_the_profile(settings, sms_outbox) -> None:
    user = make_user()
    assert len(issue_code(user=user, purpose="signature", bound_to="sha256:abc").code) == 6  # fr.toml
    settings.GUICHET_LENDER = "nc"
    from guichet.lenders.profile import _profile_for

    _profile_for.cache_clear()
    other = make_user()
    assert len(issue_code(user=other, purpose="signature", bound_to="sha256:abc").code) == 4  # seed 003


def test_invitation_code_has_eight_characters_without_look_alikes(mailbox) -> None:
    customer = make_customer()
    codes = []
    for n in range(20):
        with time_machine.travel(timezone.now() + timedelta(minutes=2 * n), tick=False):
            codes.append(
                issue_code(customer=customer, purpose="invitation", bound_to="i", channel="email").code
            )
    assert all(len(c) == 8 and set(c) <= set(INVITATION_ALPHABET) for c in codes)
    assert not set("".join(codes)) & set("01OI")
    assert "Entrez le code de confirmation" in mailbox.text(mailbox.last_to(customer.email))


def test_code_typed_in_lower_case_with_spaces_is_accepted(mailbox) -> None:
    customer = make_customer()
    issued = issue_code(customer=customer, purpose="invitation", bound_to="i", channel="email")
    typed = " ".join([issued.code[:4].lower(), issued.code[4:]])
    assert verify_code(customer=customer, purpose="invitation", bound_to="i", code=typed)
