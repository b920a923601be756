"""What the signing page may offer now — another SMS code, a withdrawal — asked of the rules the
services enforce (the code cooldown of ``customers.codes``, ``lifecycle.withdrawal_allowed``), so the
page never re-decides them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from guichet.customers.codes import resend_wait

from .journal import Kind
from .lifecycle import withdrawal_allowed
from .models import SignatureRequest
from .services import CODE_PURPOSE


@dataclass(frozen=True)
class SignPageState:
    code_sent: bool
    resend_wait: int  # seconds before ``send_signature_code`` accepts another code (0: now)
    withdrawal_open: bool  # ``withdraw`` would accept now (signed, L312-19 deadline not passed)


def sign_page_state(sig: SignatureRequest) -> SignPageState:
    signed = sig if sig.signed_at else None
    return SignPageState(
        code_sent=sig.events.filter(kind=Kind.CODE_SENT).exists(),
        resend_wait=resend_wait(purpose=CODE_PURPOSE, customer=sig.customer),
        withdrawal_open=withdrawal_allowed(application=sig.application, signed=signed, now=timezone.now()),
    )
