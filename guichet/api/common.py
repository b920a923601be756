"""What every API route shares: one error body with a stable code, the request guard (JSON bodies only,
CSRF on cookie-authenticated calls) and the amount parser.

Errors always answer ``{"detail": "<a sentence for a person>", "code": "<stable code>"}`` (plus
``errors`` for an invalid body); the codes are the contract clients rely on, the sentences may change:

| status | code | when |
|---|---|---|
| 400 | ``malformed_body`` | the body is not JSON |
| 401 | ``sign_in_required`` | the route needs the customer's session |
| 403 | ``csrf_failed`` | the session cookie without a valid CSRF token, or from a foreign Origin |
| 404 | ``not_found`` | the contract is not the customer's |
| 409 | ``invalid_amount`` | an amount the schema allows but beyond what the products lend |
| 409 | ``refused`` | a body the schema allows, refused by a business rule (range, usury, term…) |
| 409 | other codes | any other domain refusal: the ``code`` of its ``guichet.errors.GuichetError`` |
| 415 | ``unsupported_media_type`` | a body that is not ``application/json`` |
| 422 | ``invalid_input`` | the body does not match the schema (``errors`` lists the fields) |

422 means "does not match the schema" and nothing else: a body that matches it is either served or
refused with 409, which is what schemathesis checks in CI (``tests/integration/security``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from ninja.utils import check_csrf

from guichet.credit import Money
from guichet.errors import GuichetError, api_error
from guichet.payments.amounts import parse_amount

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HTTP_CODES = {400: "malformed_body", 401: "sign_in_required", 403: "csrf_failed", 404: "not_found"}


class FieldError(Schema):
    loc: list[str]
    msg: str


class ErrorOut(Schema):
    detail: str
    code: str
    errors: list[FieldError] | None = None  # only with ``invalid_input``: what is wrong, field by field


def errors(*statuses: int) -> dict[int, Any]:
    """The error responses of a route: the ones every POST can give, plus ``statuses``."""
    declared: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 415: ErrorOut, 422: ErrorOut}
    declared.update({s: ErrorOut for s in statuses})
    return declared


class ApiError(HttpError):
    """An HTTP error with its stable code."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(status, detail)
        self.code = code


def _body(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = getattr(exc, "code", None) or HTTP_CODES.get(exc.status_code, "error")
    detail = str(exc)
    if exc.status_code == 400 and not isinstance(exc, ApiError):
        detail = _("Le corps de la requête n'est pas du JSON valide.")
    return _body(exc.status_code, detail, code)


def on_guichet_error(request: HttpRequest, exc: GuichetError) -> HttpResponse:
    """Every domain refusal a route lets through: its status and stable code (``guichet.errors``)."""
    status, body = api_error(exc)
    return JsonResponse(body, status=status)


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors
    ]
    where = ", ".join(".".join(f["loc"][1:] or f["loc"]) for f in fields)
    detail = _("Requête invalide : vérifiez %(fields)s.") % {"fields": where or _("le corps")}
    return JsonResponse({"detail": detail, "code": "invalid_input", "errors": fields}, status=422)


def guard(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Applied to every operation before validation (OWASP ASVS 4 V13.2.5 / V4.2.2): a body must be
    JSON, and a call that carries the session cookie must carry the CSRF token and come from this
    site; otherwise a foreign page could post ``text/plain`` with the customer's cookie (issue 11, 6)."""

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in UNSAFE:
            content_type = request.content_type or ""
            if content_type != "application/json":
                return _body(
                    415,
                    _("Envoyez le corps en JSON (Content-Type: application/json)."),
                    "unsupported_media_type",
                )
            if settings.SESSION_COOKIE_NAME in request.COOKIES and check_csrf(request) is not None:
                return _body(
                    403,
                    _("Jeton CSRF absent ou invalide : rechargez la page et réessayez."),
                    "csrf_failed",
                )
        return run(request, *args, **kwargs)

    return guarded


def money_in(value: str | None, label: str) -> Money:
    """An amount of the body, parsed and bounded by ``payments.amounts`` (a refusal is ``AmountRefused``:
    409 ``invalid_amount`` through ``on_guichet_error``)."""
    amount = parse_amount(value, label=label, required=True)
    assert amount is not None  # required=True
    return amount
