"""Reading the catalogue: the tariff in force on a date and the terms a product offers.

Every lookup goes through the tariff in force on the date asked (the latest ``effective_on`` on
or before it), so several tariffs coexist and history stays reproducible. ``product_terms`` costs
four queries whatever the product (product + tariff, then tiers, term bands and insurance
prefetched). Amounts may be in the tariff's currency or in XPF (see ``parity``).
"""

from __future__ import annotations

import pickle
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models import Subquery, prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from guichet.credit import Currency, Money, currency
from guichet.credit import RateTier as CreditRateTier
from guichet.credit.consumer_law import scope_bounds
from guichet.credit.fmt import money_fr

from .exceptions import NoTariffInForce, OutOfRange, UnknownProduct
from .models import (
    CardFee,
    ComplaintPolicy,
    FxMargin,
    InsuranceOption,
    ManagementFee,
    Product,
    RateTier,
    Tariff,
    TariffClause,
)
from .parity import bound_minor, convert_bound


@dataclass(frozen=True)
class ProductTerms:
    """What ``product`` offers for one amount and term on one date (amounts in the asked currency)."""

    product: Product
    tariff: Tariff
    tier: RateTier
    debit_rate: Decimal
    max_taeg: Decimal
    daily_period_rate: Decimal | None
    insurance_options: tuple[InsuranceOption, ...]
    amount: Money
    min_amount: Money
    max_amount: Money | None
    min_term_months: int | None
    max_term_months: int | None

    @property
    def kind(self) -> str:
        return self.product.kind


def tariff_version(on: date) -> tuple[int, str] | None:
    """(id, checksum) of the tariff in force on ``on`` (None before the first): one query, what a
    page computed from the catalogue can be cached by (a loaded tariff never changes)."""
    in_force = Tariff.objects.filter(effective_on__lte=on).order_by("-effective_on")
    return next(iter(in_force.values_list("pk", "checksum")[:1]), None)


def tariff_on(on: date) -> Tariff:
    """The tariff in force on ``on``; ``NoTariffInForce`` if none has started yet."""
    tariff = Tariff.objects.filter(effective_on__lte=on).order_by("-effective_on").first()
    if tariff is None:
        message = _("Aucun tarif n'est en vigueur au %(day)s : chargez-en un (load_tariff).")
        raise NoTariffInForce(message % {"day": f"{on:%d/%m/%Y}"})
    return tariff


def _in_force(on: date) -> Subquery:
    return Subquery(Tariff.objects.filter(effective_on__lte=on).order_by("-effective_on").values("pk")[:1])


def product_on(code: str, on: date) -> Product:
    """The product ``code`` of the tariff in force on ``on`` (tiers, bands, insurance prefetched)."""
    read = _this_request.lists.get((on, None, None)) if _this_request.lists is not None else None
    if read is not None:  # this request already read the tariff's products (see products_on)
        for product in read:
            if product.code == code:
                return product
    product = Product.objects.filter(tariff=_in_force(on), code=code).select_related("tariff").first()
    if product is not None:
        return _with_related(product)
    tariff = tariff_on(on)
    message = _("Le produit « %(code)s » n'existe pas dans le tarif du %(tariff)s (en vigueur au %(day)s).")
    raise UnknownProduct(
        message % {"code": code, "tariff": f"{tariff.effective_on:%d/%m/%Y}", "day": f"{on:%d/%m/%Y}"}
    )


# A loaded tariff never changes (services.load_tariff), so its products' tiers, term bands and
# insurance options are kept per tariff version (id and checksum) and product: a simulation then
# costs one query instead of four (tests/bench/bench_simulation.py). What is kept is the pickled
# product — Django pickles an instance with its prefetched relations — so every caller gets its own
# copy and no caller can change what the next one reads. Loading or deleting a tariff forgets it all.
_RELATED = ("tiers", "term_bands", "insurance_options")
_KEPT_MAX = 512
_kept_products: dict[tuple[int, str, int], bytes] = {}


def _with_related(product: Product) -> Product:
    key = (product.tariff_id, product.tariff.checksum, product.pk)
    kept = _kept_products.get(key)
    if kept is not None:
        return pickle.loads(kept)  # noqa: S301 - bytes this process pickled itself, never input
    prefetch_related_objects([product], *_RELATED)
    if len(_kept_products) >= _KEPT_MAX:
        _kept_products.clear()
    _kept_products[key] = pickle.dumps(product)
    return product


# The same for a tariff's product lists (issue 15): a simulation page asked for them three times
# (products, revolving products, the amount's ceiling), four queries each; now one query finds the
# tariff in force (id and checksum, so a tariff loaded by another process is seen at once) and the
# list is kept pickled per (tariff, checksum). Within one web request the list read first is
# reused, filtered by family or kind, and so are its products by ``product_on``: copying the
# products out again cost more than the queries it saved (unpickling ~400 rows three times).
_kept_lists: dict[tuple[int, str], bytes] = {}


class _ThisRequest(threading.local):
    lists: dict[tuple[date, str | None, str | None], list[Product]] | None = None


_this_request = _ThisRequest()


@receiver(request_started)
def _request_started(**_kwargs: Any) -> None:
    _this_request.lists = {}


@receiver(request_finished)
def _request_finished(**_kwargs: Any) -> None:
    _this_request.lists = None  # outside a request (batch, worker) every call gets its own copy


@receiver(post_save, sender=Tariff)
@receiver(post_delete, sender=Tariff)
def _forget_kept_products(**_kwargs: Any) -> None:
    _kept_products.clear()
    _kept_lists.clear()


def products_on(*, on: date, family: str | None = None, kind: str | None = None) -> list[Product]:
    """Products of the tariff in force on ``on`` (tiers, bands and insurance prefetched), in sheet order."""
    memo = _this_request.lists
    products = memo.get((on, None, None)) if memo is not None else None
    if products is None:
        products = _tariff_products(on)
        if memo is not None:
            memo[(on, None, None)] = products
    return [p for p in products if (not family or p.family == family) and (not kind or p.kind == kind)]


def _tariff_products(on: date) -> list[Product]:
    found = tariff_version(on)
    if found is None:
        return []
    kept = _kept_lists.get(found)
    if kept is not None:
        return pickle.loads(kept)  # noqa: S301 - bytes this process pickled itself, never input
    products = list(
        Product.objects.filter(tariff_id=found[0]).select_related("tariff").prefetch_related(*_RELATED)
    )
    if len(_kept_lists) >= _KEPT_MAX:
        _kept_lists.clear()
    _kept_lists[found] = pickle.dumps(products)
    return products


def product_terms(
    *, product_code: str, amount: Money, term_months: int | None, on: date, borrower_age: int | None = None
) -> ProductTerms:
    """Rates and insurance for ``amount`` over ``term_months`` on ``on``, or ``OutOfRange`` saying why.

    Revolving products: ``amount`` is the amount used (tiers by used amount) and the term is not
    checked (the sheet gives none); ``term_months=None`` skips the term check. Split products:
    ``term_months`` is the number of payments. Insurance options are those open to a new
    adhesion on ``on`` and, if ``borrower_age`` is given, whose age band fits it.
    """
    product = product_on(product_code, on)
    tariff_cur = currency(product.currency)
    low, high = _amount_range(product, amount, on)
    tier = next(t for t in product.tiers.all() if _fits(amount, t.up_to_minor, tariff_cur))
    min_term, max_term = _term_range(product, amount, tariff_cur, term_months)
    options = tuple(
        o
        for o in product.insurance_options.all()
        if o.open_on(on) and (borrower_age is None or o.fits_age(borrower_age))
    )
    return ProductTerms(
        product=product,
        tariff=product.tariff,
        tier=tier,
        debit_rate=tier.debit_rate,
        max_taeg=tier.max_taeg,
        daily_period_rate=tier.daily_period_rate,
        insurance_options=options,
        amount=amount,
        min_amount=low,
        max_amount=high,
        min_term_months=min_term,
        max_term_months=max_term,
    )


def amount_bounds(product: Product, cur: Currency, on: date) -> tuple[Money, Money | None]:
    """The product's amount range in ``cur``, within the legal scope of consumer credit on ``on``
    (L312-4 3°: no floor and 100 000 € since 20 November 2026, 200 € / 75 000 € before —
    ``credit.consumer_law.scope_bounds``); ``None``: no ceiling."""
    tariff_cur = currency(product.currency)
    low = Money(bound_minor(product.min_amount_minor, tariff_cur, cur, upper=False) or 0, cur)
    high_minor = bound_minor(product.max_amount_minor, tariff_cur, cur, upper=True)
    legal_floor, legal_ceiling = scope_bounds(on=on, consolidation=product.family == "consolidation")
    if product.kind != "revolving":  # a revolving amount is the amount used, not the credit's total
        low = max(low, convert_bound(legal_floor, cur, upper=False), key=lambda m: m.minor)
    if legal_ceiling is not None:
        legal_high = convert_bound(legal_ceiling, cur, upper=True).minor
        high_minor = legal_high if high_minor is None else min(high_minor, legal_high)
    return low, (None if high_minor is None else Money(high_minor, cur))


def _amount_range(product: Product, amount: Money, on: date) -> tuple[Money, Money | None]:
    """``amount_bounds`` in ``amount``'s currency; refuses ``amount`` outside them."""
    low, high = amount_bounds(product, amount.currency, on)
    if amount.minor < low.minor or (high is not None and amount.minor > high.minor):
        message = (
            _("Le montant utilisé de %(amount)s est hors de la plage de %(name)s (%(low)s à %(high)s).")
            if product.kind == "revolving"
            else _("Le montant de %(amount)s est hors de la plage de %(name)s (%(low)s à %(high)s).")
        )
        upper = money_fr(high) if high else _("sans plafond")
        raise OutOfRange(
            message % {"amount": money_fr(amount), "name": product.name, "low": money_fr(low), "high": upper}
        )
    return low, high


def _fits(amount: Money, up_to_minor: int | None, tariff_cur: Currency) -> bool:
    bound = bound_minor(up_to_minor, tariff_cur, amount.currency, upper=True)
    return bound is None or amount.minor <= bound


def _term_range(
    product: Product, amount: Money, tariff_cur: Currency, term: int | None
) -> tuple[int | None, int | None]:
    """The product's term range, narrowed by its term band for ``amount``; refuses ``term`` outside it."""
    low, high = product.min_term_months, product.max_term_months
    if low is None or high is None:
        return low, high
    band = next((b for b in product.term_bands.all() if _fits(amount, b.up_to_minor, tariff_cur)), None)
    if band is not None:
        high = band.max_term_months
    if term is not None and not low <= term <= high:
        values = {"term": term, "name": product.name, "amount": money_fr(amount), "low": low, "high": high}
        message = (
            _(
                "La durée de %(term)s mois est hors de la plage de %(name)s pour %(amount)s "
                "(%(low)s à %(high)s mois)."
            )
            if band is not None
            else _("La durée de %(term)s mois est hors de la plage de %(name)s (%(low)s à %(high)s mois).")
        )
        raise OutOfRange(message % values)
    return low, high


def revolving_tiers(
    product_code: str, on: date, *, in_currency: Currency | None = None
) -> list[CreditRateTier]:
    """The tiers of a revolving product as ``guichet.credit.RateTier`` (bounds in ``in_currency``)."""
    product = product_on(product_code, on)
    if product.kind != "revolving":
        raise UnknownProduct(_("« %(name)s » n'est pas un crédit renouvelable.") % {"name": product.name})
    tariff_cur = currency(product.currency)
    cur = in_currency or tariff_cur
    return [
        CreditRateTier(
            up_to=None
            if t.up_to_minor is None
            else Money(bound_minor(t.up_to_minor, tariff_cur, cur, upper=True), cur),  # type: ignore[arg-type]
            debit_rate=t.debit_rate,
            taeg=t.max_taeg,
            daily_period_rate=t.daily_period_rate if t.daily_period_rate is not None else t.debit_rate / 365,
        )
        for t in product.tiers.all()
    ]


def insurance_grid(product_code: str, on: date) -> list[InsuranceOption]:
    """Every insurance option of a product (all adhesion windows, ages and heads), in sheet order."""
    return list(product_on(product_code, on).insurance_options.all())


def complaint_policy(on: date) -> ComplaintPolicy:
    policy = ComplaintPolicy.objects.filter(tariff=_in_force(on)).select_related("tariff").first()
    if policy is None:
        message = _("Aucun engagement de traitement des réclamations en vigueur au %(day)s.")
        raise NoTariffInForce(message % {"day": f"{on:%d/%m/%Y}"})
    return policy


def card_fees(
    on: date, *, card_requested_on: date | None = None, product_code: str | None = None
) -> list[CardFee]:
    """Card fees and caps in force on ``on``; narrowed to the card variant requested on a date / a product."""
    fees = list(CardFee.objects.filter(tariff=_in_force(on)))
    if card_requested_on is not None:
        fees = [f for f in fees if f.for_card_requested_on(card_requested_on)]
    if product_code is not None:
        fees = [f for f in fees if product_code in f.applies_to]
    return fees


def fx_margins(on: date) -> list[FxMargin]:
    return list(FxMargin.objects.filter(tariff=_in_force(on)))


def management_fees(on: date) -> list[ManagementFee]:
    return list(ManagementFee.objects.filter(tariff=_in_force(on)))


def clause(code: str, on: date) -> dict:
    """A published section kept as data: "contacts", "card_security" or "fx" (notice text)."""
    found = TariffClause.objects.filter(tariff=_in_force(on), code=code).first()
    if found is None:
        raise LookupError(f"Pas de clause « {code} » dans le tarif en vigueur au {on:%d/%m/%Y}.")
    return found.body


__all__ = [
    "ProductTerms",
    "card_fees",
    "clause",
    "complaint_policy",
    "fx_margins",
    "insurance_grid",
    "management_fees",
    "product_on",
    "product_terms",
    "products_on",
    "revolving_tiers",
    "tariff_on",
    "tariff_version",
]
