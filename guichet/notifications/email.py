"""Emails rendered from ``notifications/email/<template>.txt`` (and ``.html`` when present) in the
recipient's language, sent through Django's configured backend (SMTP in production and tests)."""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.lenders.mentions import warning_text
from guichet.lenders.profile import get_profile

from .outbox import hold_email, holding


def send_email(
    *,
    to: str,
    subject: str | Promise,
    template: str,
    context: dict[str, Any],
    language: str = "fr",
    advertises_credit: bool = False,
) -> None:
    """Render and send one email; ``subject`` (a msgid, best passed as ``gettext_lazy``) is translated in
    ``language`` — an eager ``gettext`` would already be in the language of whoever triggered the email.

    ``advertises_credit``: the email promotes or simulates credit, so it ends with the compulsory
    sentence of L312-5 (ordonnance n° 2025-880) — added here, so that no template can forget it.
    """
    profile = get_profile()
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {"lender": profile, "site_url": settings.GUICHET_SITE_URL.rstrip("/"), **context}
        body = render_to_string(f"notifications/email/{template}.txt", ctx)
        footer = str(FOOTER)
        if footer not in body:  # every email says it is automatic, in its text part as in its HTML
            body = f"{body.rstrip()}\n\n{footer}\n"
        try:
            html = render_to_string(f"notifications/email/{template}.html", ctx)
        except TemplateDoesNotExist:
            html = _branded_html(body, template, ctx)
        if advertises_credit:
            body = f"{body.rstrip()}\n\n{warning_text()}\n"
            if html:
                html = html.replace("</body>", f"<p><strong>{escape(warning_text())}</strong></p></body>")
        message = EmailMultiAlternatives(
            subject=f"{profile.name} — {_subject_in_language(subject)}",
            body=body,
            from_email=formataddr((profile.name, profile.sender_email or settings.DEFAULT_FROM_EMAIL)),
            to=[to],
        )
        if html:
            message.attach_alternative(html, "text/html")
        if holding():  # a business-day chunk: sent after its transaction commits (issue 14)
            hold_email(message)
        else:
            message.send()


FOOTER = gettext_lazy("Cet email a été envoyé automatiquement. Veuillez ne pas y répondre.")
#: Emails whose link resets a password; every other link opens the customer space.
RESET_TEMPLATES = ("password_reset", "lockout", "suspended")


def _branded_html(body: str, template: str, ctx: dict[str, Any]) -> str:
    """The HTML part of an email that has no HTML template of its own: the text in the lender's layout,
    its link as a button (seed 003: « connecter à votre espace client »), the lender's footer."""
    link = ctx.get("link") or (
        f"{ctx['site_url']}{ctx['documents_path']}" if ctx.get("documents_path") else ""
    )
    label = (
        _("Réinitialiser mon mot de passe")
        if template in RESET_TEMPLATES
        else _("Me connecter à mon espace client")
    )
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    paragraphs = [p for p in paragraphs if p != str(FOOTER)]  # the layout's footer says it
    if link:
        paragraphs = [p for p in paragraphs if p != link]  # the bare link becomes the button
    return render_to_string(
        "notifications/email/_layout.html",
        {**ctx, "paragraphs": paragraphs, "button_url": link, "button_label": label},
    )


def _subject_in_language(subject: str | Promise) -> str:
    """Called inside ``translation.override``: a lazy msgid resolves in the recipient's language."""
    return str(subject) if isinstance(subject, Promise) else translation.gettext(subject)


def absolute_url(path: str, request: Any = None) -> str:
    """A link for an email: from the request when there is one, else ``settings.GUICHET_SITE_URL``."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.GUICHET_SITE_URL.rstrip("/") + path
