"""Card operations presented by the card processor (docs/cards.md): one authorization per call.

The processor authenticates with the ``X-Card-Processor-Key`` header (``settings.GUICHET_CARD_API_KEY``;
no key configured: every call is refused). The body is the import file's line as JSON; the answer
says whether the operation is authorized and, if not, why (caps over rolling windows, available
amount, card in opposition). The same ``external_id`` twice returns the first decision.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from guichet.cards.imports import parse_operation
from guichet.cards.services import present_operation
from guichet.credit import Money

from ..common import ApiError, errors

router = Router(tags=["cards"])
Text = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class OperationIn(Schema):
    external_id: Text
    card: Text
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2027-01-15"])]
    kind: Annotated[str, Field(pattern=r"^(atm|payment)$")]
    amount: Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$", examples=["120.50"])]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])] = "EUR"
    ecb_rate: Annotated[str, Field(pattern=r"^[0-9]{1,8}(\.[0-9]{1,6})?$")] | None = None
    merchant: Annotated[str, Field(max_length=120)] = ""
    # a payment at a partner in several installments (docs/cards.md): the split product and the count
    split_product: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$")] | None = None
    split_installments: Annotated[int, Field(ge=2, le=48)] | None = None


class DecisionOut(Schema):
    external_id: str
    authorized: bool
    reason: str
    amount: str  # in the line's currency (converted for a foreign one)
    fee: str


def _check_key(request: HttpRequest) -> None:
    expected = getattr(settings, "GUICHET_CARD_API_KEY", "")
    given = request.headers.get("X-Card-Processor-Key", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "Clé du processeur de cartes absente ou invalide.", "processor_key_required")


@router.post("/operations", response={200: DecisionOut, **errors(401)}, auth=None)
def present(request: HttpRequest, body: OperationIn) -> DecisionOut:
    _check_key(request)
    # A refusal (a field the schema allows but the file format does not, an unknown card...) answers
    # 409 {"detail", "code": "refused"} through the one mapping (guichet.api.common.on_guichet_error).
    op = parse_operation({**body.dict(), "ecb_rate": body.ecb_rate or ""}, line=None)
    d = present_operation(card_reference=op.card, external_id=op.external_id, kind=op.kind, on=op.on,
                          amount_minor=op.amount_minor, currency_code=op.currency, ecb_rate=op.ecb_rate,
                          merchant=op.merchant, split_product=op.split_product,
                          split_installments=op.split_installments)  # fmt: skip
    return DecisionOut(
        external_id=d.operation.external_id,
        authorized=d.authorized,
        reason=d.reason,
        amount=_decimal(d.operation.amount),
        fee=_decimal(d.operation.card.contract.money(d.operation.fee_minor)),
    )


def _decimal(amount: Money) -> str:
    """Major units with the currency's own decimals (EUR "12.50", XPF "1790": no decimals)."""
    return f"{amount.amount:.{amount.currency.exponent}f}"
