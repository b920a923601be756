"""The one family of errors a person can act on (issue 10), as Saleor's error codes: every domain
refusal is a ``GuichetError`` with a stable ``code`` (the contract: tests, API clients and logs rely on
it) and a message written for a person (it may change). Each app's family root subclasses it.

It is mapped once to a page message (``refusals_as_messages`` / ``refusals_on_form``, used by the
portal's and the back office's views instead of each view choosing what to catch) and once to an API
error (``api_error``: ``{"detail", "code"}`` with ``status``, registered in ``guichet.api.v1``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


class GuichetError(Exception):
    """A refusal by a business rule: ``code`` names it for machines, ``str(exc)`` says it to people."""

    code: ClassVar[str] = "refused"
    status: ClassVar[int] = 409  # the API's status: a body the schema allows, refused by a rule


def message_for(exc: GuichetError) -> str:
    """The sentence shown to the person, on a page or in the API's ``detail``."""
    return str(exc) or _("Opération refusée.")


def api_error(exc: GuichetError) -> tuple[int, dict[str, str]]:
    """``(status, {"detail", "code"})`` for the API."""
    return exc.status, {"detail": message_for(exc), "code": exc.code}


class Refusal:
    """What a ``refusals_*`` block leaves the view: the refusal it caught, if any. ``if refused:`` says
    the action did not happen; ``refused.code`` lets a view that answers one refusal differently on
    purpose (a wrong code keeps the code field, a dead link shows its own page) decide by the stable
    code, never by catching a class itself."""

    error: GuichetError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def code(self) -> str | None:
        return self.error.code if self.error is not None else None

    @property
    def message(self) -> str:
        return message_for(self.error) if self.error is not None else ""


@contextmanager
def refusals(into: Refusal | None = None) -> Iterator[Refusal]:
    """Run a view's action and keep the refusal (the rest of the block is skipped), for a page that shows
    it its own way (e.g. ``context["error"] = refused.message``)."""
    refused = into if into is not None else Refusal()
    try:
        yield refused
    except GuichetError as exc:
        refused.error = exc


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[Refusal]:
    """Run a view's action: a refusal becomes the page's error message and the rest of the block is
    skipped; the view then redirects (or renders) as it would after success."""
    with refusals() as refused:
        yield refused
    if refused:
        messages.error(request, refused.message)


@contextmanager
def refusals_on_form(
    form: Any, field: str | None = None, *, fields: Mapping[str, str | None] | None = None
) -> Iterator[Refusal]:
    """Same, for a form page: the refusal is shown on the form (``form.errors`` is set, so ``form.errors``
    tells the view the action did not happen): at the top, or on ``field``, or on the field that
    ``fields`` names for the refusal's code (``{"code_refused": "code"}``; other codes go to ``field``)."""
    with refusals() as refused:
        yield refused
    if refused:
        where = (fields or {}).get(refused.code or "", field)
        form.add_error(where, refused.message)
