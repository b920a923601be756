"""The one family of errors a person can act on (issue 10), as Saleor's error codes: every domain
refusal is a ``GuichetError`` with a stable ``code`` (the contract: tests, API clients and logs rely on
it) and a message written for a person (it may change). Each app's family root subclasses it.

It is mapped once to a page message (``refusals_as_messages`` / ``refusals_on_form``, used by the
portal's and the back office's views instead of each view choosing what to catch) and once to an API
error (``api_error``: ``{"detail", "code"}`` with ``status``, registered in ``guichet.api.v1``).
"""

from __future__ import annotations

from collections.abc import Iterator
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


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[None]:
    """Run a view's action: a refusal becomes the page's error message and the rest of the block is
    skipped; the view then redirects (or renders) as it would after success."""
    try:
        yield
    except GuichetError as exc:
        messages.error(request, message_for(exc))


@contextmanager
def refusals_on_form(form: Any) -> Iterator[None]:
    """Same, for a form page: the refusal is shown at the top of the form (``form.errors`` is set, so
    ``form.errors`` tells the view the action did not happen)."""
    try:
        yield
    except GuichetError as exc:
        form.add_error(None, message_for(exc))
