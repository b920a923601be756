"""Site navigation tags: links to URL names that other apps may not have registered yet.

``{% nav_link "portal:payments" _("Paiements") %}`` renders nothing when the name does not
resolve, so the navigation can list every area before every area exists.
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from guichet.documents.selectors import unread_count
from guichet.lenders.profile import get_profile

register = template.Library()


def _resolve(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, name: str, label: str, badge: object = None) -> str:
    """An ``<a>`` to ``name`` with ``aria-current="page"`` when it is the current section, or nothing."""
    url = _resolve(name)
    if url is None:
        return ""
    request = context.get("request")
    path = getattr(request, "path", "")
    current = path == url or (url not in ("/", "/espace/") and path.startswith(url))
    badge_html = (
        format_html(
            ' <span class="badge badge-count">{}<span class="visually-hidden"> {}</span></span>',
            badge,
            _("non lus"),
        )
        if badge
        else ""
    )
    return format_html(
        '<a href="{}"{}>{}{}</a>',
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
        badge_html,
    )


@register.simple_tag
def url_or_none(name: str, *args: object) -> str | None:
    """The URL for ``name`` or ``None``: ``{% url_or_none "portal:complaints" as complaints_url %}``."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def unread_documents(context: template.Context) -> int:
    """How many documents the signed-in customer has not opened yet (0 for anyone else)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    customer = getattr(request, "customer", None) or getattr(user, "customer", None)
    if customer is None:
        return 0

    return unread_count(customer)


@register.simple_tag(takes_context=True)
def session_idle_seconds(context: template.Context) -> int:
    """The inactivity limit the page's countdown uses: the shorter one on ``sensitive_page`` views.

    Same rule as ``SessionTimeoutMiddleware`` applies to the next request, so the dialog and the
    server agree on when the session ends.
    """

    policy = get_profile().security
    request = context.get("request")
    sensitive = getattr(request, "guichet_sensitive_page", False)
    minutes = policy.sensitive_inactivity_minutes if sensitive else policy.inactivity_minutes
    return round(minutes * 60)
