"""The language of the interface: the header switcher, and the account's language applied at sign-in.

A signed-in person's language is ``user.language`` (emails and documents follow it too), so the header
switcher saves it. A visitor who picks a language on the sign-in page before signing in made an
explicit choice: it wins over the stored one and becomes the account's language. Otherwise the
stored language is applied at sign-in, on every device (the ``django_language`` cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from guichet.customers.models import Customer
from guichet.customers.profile_services import set_preferred_language

CHOSEN_KEY = "guichet_language_chosen"


def _save_for(user, language: str) -> None:
    customer = Customer.objects.filter(user=user).first()
    set_preferred_language(user=user, customer=customer, language=language)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie + redirect to ``next``), remembering the choice for the account."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            _save_for(request.user, language)
        else:
            request.session[CHOSEN_KEY] = language
    return response


def apply_account_language(request: HttpRequest, response: HttpResponse) -> None:
    """At sign-in: the language chosen just before (saved to the account) or the account's own."""
    user = request.user
    chosen = request.session.pop(CHOSEN_KEY, None)
    if chosen in dict(settings.LANGUAGES) and chosen != user.language:
        _save_for(user, chosen)
    language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
    )
