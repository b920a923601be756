"""``{% page_fragment "name" vary… [public] %}…{% endpage_fragment %}``: a page's costly part, cached.

A fragment is kept for the signed-in customer (``request.customer``, set by ``customer_required``)
under their version stamp (``guichet.customers.page_cache``), the active language, the lender's
date and the ``vary`` values (a contract number, a filter): the key names all but the stamp, which
is written in front of the kept HTML, so that a page's first fragment and the stamp are one read;
a fragment kept under another stamp is a miss and is rendered again. Anyone without a
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

from guichet.customers.page_cache import STAMP_KEY, fragment_seconds, stamp_for

register = template.Library()
logger = logging.getLogger(__name__)
STAMP_ATTR = "_guichet_page_stamp"
# Stands for the request's CSRF token in a kept fragment: a form's token belongs to one browser, so
# it is never stored but written in again, each time, with the token of the request being served.
CSRF_MARK = "\x00guichet-csrf\x00"
STAMP_END = "\x01"  # a kept fragment is "<stamp>\x01<html>": another stamp in front is a miss


def fragment_key(
    request: HttpRequest | None, name: str, vary: list[object], public: bool = False
) -> tuple[str, int | None] | None:
    """(cache key, customer id) of this fragment for the request's customer, or None (not cached).

    A ``public`` fragment (the simulation page) is the same for everyone: it is keyed by what it
    varies on (the tariff in force, the form's values) and never holds anything of the visitor's;
    its customer id is None. A customer's fragment is stored with their stamp in front of it
    (``_read``), so that the stamp and the first fragment of a page come in one cache read.
    """
    if not name:
        return None
    varied = hashlib.md5(repr(vary).encode(), usedforsecurity=False).hexdigest()
    day = f"{timezone.localdate():%Y%m%d}"
    if public:
        return f"guichet:frag:public:{name}:{get_language()}:{day}:{varied}", None
    customer = getattr(request, "customer", None) or _signed_in_customer(request)
    if customer is None or customer.pk is None:
        return None
    return f"guichet:frag:{name}:{customer.pk}:{get_language()}:{day}:{varied}", customer.pk


def _read(request: HttpRequest | None, key: str, customer_id: int | None) -> tuple[str, str | None]:
    """(the customer's stamp, the fragment kept under it or None); raises if the cache fails."""
    if customer_id is None:
        stamp, value = "", cache.get(key)
    else:
        stamp = getattr(request, STAMP_ATTR, None)
        if stamp is None:  # the page's first fragment: the stamp comes in the same read
            stamp_key = STAMP_KEY.format(customer_id)
            found = cache.get_many([stamp_key, key])
            stamp, value = found.get(stamp_key) or stamp_for(customer_id), found.get(key)
            if stamp is None:
                raise RuntimeError("no stamp")
            setattr(request, STAMP_ATTR, stamp)
        else:
            value = cache.get(key)
    prefix = stamp + STAMP_END
    return stamp, value[len(prefix) :] if value is not None and value.startswith(prefix) else None


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
        request = context.get("request")
        found = fragment_key(request, name, [v.resolve(context) for v in self.vary], self.public)
        if found is None:
            return self.nodelist.render(context)
        key, customer_id = found
        try:
            stamp, html = _read(request, key, customer_id)
        except Exception:
            logger.exception("Page cache unavailable: fragment rendered without it")
            return self.nodelist.render(context)
        token = context.get("csrf_token")
        if html is not None:  # kept under the customer's current stamp
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
            cache.set(key, stamp + STAMP_END + kept, fragment_seconds())
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
