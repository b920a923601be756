"""``{% page_fragment "name" vary… [public] %}…{% endpage_fragment %}``: a page's costly part, cached.

The key is the fragment's name, the signed-in customer (``request.customer``, set by
``customer_required``) and their version stamp (``guichet.customers.page_cache``), the active
language, the lender's date and the ``vary`` values (a contract number, a filter). Anyone without a
customer on the request (anonymous, staff) gets the fragment rendered, never cached, and so does
everyone when the cache fails. A ``public`` fragment (the simulation page: the same for everyone)
is keyed without a customer, by the values it varies on. The view passes what the fragment needs
as lazy values (``SimpleLazyObject``), so that a page served from the cache never computes them.

A fragment may hold forms: the request's CSRF token is never stored but replaced by a mark, which
each request's own token replaces when the fragment is served.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django import template
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from guichet.customers.page_cache import fragment_seconds, stamp_for

register = template.Library()
logger = logging.getLogger(__name__)
STAMP_ATTR = "_guichet_page_stamp"
# Stands for the request's CSRF token in a kept fragment: a form's token belongs to one browser, so
# it is never stored but written in again, each time, with the token of the request being served.
CSRF_MARK = "\x00guichet-csrf\x00"


def fragment_key(
    request: HttpRequest | None, name: str, vary: list[object], public: bool = False
) -> str | None:
    """The cache key of this fragment for the request's customer, or None (not to be cached).

    A ``public`` fragment (the simulation page) is the same for everyone: it is keyed by what it
    varies on (the tariff in force, the form's values) and never holds anything of the visitor's.
    """
    if not name:
        return None
    varied = hashlib.md5(repr(vary).encode(), usedforsecurity=False).hexdigest()
    day = f"{timezone.localdate():%Y%m%d}"
    if public:
        return f"guichet:frag:public:{name}:{get_language()}:{day}:{varied}"
    customer = getattr(request, "customer", None) or _signed_in_customer(request)
    if customer is None or customer.pk is None:
        return None
    stamp = getattr(request, STAMP_ATTR, None)
    if stamp is None:
        stamp = stamp_for(customer.pk)
        if stamp is None:
            return None
        setattr(request, STAMP_ATTR, stamp)
    return f"guichet:frag:{name}:{customer.pk}:{stamp}:{get_language()}:{day}:{varied}"


def _signed_in_customer(request: HttpRequest | None) -> Any:
    """The signed-in customer on a page without ``customer_required`` (a public page's header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_customer", False):
        return None
    try:
        return user.customer  # the navigation's unread count reads it too
    except ObjectDoesNotExist:
        return None


class PageFragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, name: template.base.FilterExpression, vary: list, public: bool
    ) -> None:
        self.nodelist, self.name, self.vary, self.public = nodelist, name, vary, public

    def render(self, context: template.Context) -> str:
        name = str(self.name.resolve(context) or "")
        key = fragment_key(context.get("request"), name, [v.resolve(context) for v in self.vary], self.public)
        if key is None:
            return self.nodelist.render(context)
        try:
            html = cache.get(key)
        except Exception:
            logger.exception("Page cache unavailable: fragment rendered without it")
            return self.nodelist.render(context)
        token = context.get("csrf_token")
        if html is not None:
            if CSRF_MARK in html:
                html = html.replace(CSRF_MARK, str(token))
            return mark_safe(html)  # noqa: S308 - what this node rendered itself for this customer
        html = self.nodelist.render(context)
        kept = str(html)
        if token is not None and "csrf" in kept:
            kept = kept.replace(str(token), CSRF_MARK)  # the token is this browser's: put in afresh
        if "csrfmiddlewaretoken" in kept and CSRF_MARK not in kept:
            return html  # a token that is not the request's own: never cached
        try:
            cache.set(key, kept, fragment_seconds())
        except Exception:
            logger.exception("Page cache unavailable: fragment not kept")
        return html


@register.tag("page_fragment")
def page_fragment(parser: template.base.Parser, token: template.base.Token) -> PageFragmentNode:
    bits = token.split_contents()
    public = bits[-1] == "public"
    if public:
        bits = bits[:-1]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'page_fragment' takes a name and optional values it varies on.")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    vary = [parser.compile_filter(b) for b in bits[2:]]
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]), vary, public)
