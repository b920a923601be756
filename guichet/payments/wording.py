"""The sentences the simulations and the early-repayment quote show, in the active language.

The finance core (``guichet.credit``) is pure and writes them in French only; here the same
sentences are rebuilt from its structured fields with ``gettext`` and the locale-aware formatting
of ``guichet.lenders.formatting``, so a customer who chose English reads them in English. In
French the words and the number formatting are the core's own, character for character.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.credit.early_repayment import THRESHOLD_EUR, THRESHOLD_XPF, Indemnity
from guichet.credit.money import XPF
from guichet.credit.parity import USURY_MEDIUM_LOAN, USURY_SMALL_LOAN, in_currency
from guichet.credit.revolving_simulation import RevolvingSimulation
from guichet.credit.simulate import ConsolidationSimulation, NewCreditSimulation
from guichet.credit.usury import UsuryCheck
from guichet.lenders.formatting import babel_locale, format_day, format_money, format_rate
from guichet.lenders.profile import get_profile

USURY_CATEGORY_LABELS = {
    "up_to_3000": gettext_lazy("prêts d'un montant inférieur ou égal à 3 000 €"),
    "from_3000_to_6000": gettext_lazy(
        "prêts d'un montant supérieur à 3 000 € et inférieur ou égal à 6 000 €"
    ),
    "above_6000": gettext_lazy("prêts d'un montant supérieur à 6 000 €"),
}
# The same categories for a lender that lends in another currency (XPF): the euro bounds of L314-6 at
# the legal parity, rounded down as ``usury.category_for`` judges them (3 000 € = 357 995 XPF), so a
# New Caledonian borrower reads francs CFP, not euros (issue 16).
USURY_CATEGORY_LABELS_CONVERTED = {
    "up_to_3000": gettext_lazy("prêts d'un montant inférieur ou égal à %(small)s"),
    "from_3000_to_6000": gettext_lazy(
        "prêts d'un montant supérieur à %(small)s et inférieur ou égal à %(medium)s"
    ),
    "above_6000": gettext_lazy("prêts d'un montant supérieur à %(medium)s"),
}


def usury_category(category: str) -> str:
    """The usury category's label, its bounds in the lender's currency."""
    cur = get_profile().currency
    if cur.code == "EUR":
        return str(USURY_CATEGORY_LABELS[category])
    bounds = {
        "small": _money(in_currency(USURY_SMALL_LOAN, cur, rounding="down")),
        "medium": _money(in_currency(USURY_MEDIUM_LOAN, cur, rounding="down")),
    }
    return str(USURY_CATEGORY_LABELS_CONVERTED[category]) % bounds


def _money(value: Money, *, drop_zero_cents: bool = False) -> str:
    text = format_money(value, get_language(), iso_code=get_profile().money_pattern_iso)
    exponent = value.currency.exponent
    if drop_zero_cents and exponent and value.minor % (10**exponent) == 0:
        from babel.numbers import get_decimal_symbol

        text = text.replace(get_decimal_symbol(babel_locale(get_language())) + "0" * exponent, "", 1)
    return text


def _rate(value: Decimal, decimals: int = 2) -> str:
    return format_rate(value, get_language(), decimals)


def representative_example(sim: NewCreditSimulation) -> str:
    """The L312-6 representative example of a new credit (the core's ``representative_example``)."""
    s = sim.schedule
    first, last = s.rows[0].installment, s.rows[-1].installment
    if first != sim.installment and s.term_months > 1:  # a plan rounded in the borrower's favour
        installments = ngettext(
            "une première mensualité de %(first)s puis %(count)s mensualité de %(amount)s",
            "une première mensualité de %(first)s puis %(count)s mensualités de %(amount)s",
            s.term_months - 1,
        ) % {"first": _money(first), "count": s.term_months - 1, "amount": _money(sim.installment)}
    elif last == sim.installment:
        installments = ngettext(
            "%(count)s mensualité de %(amount)s", "%(count)s mensualités de %(amount)s", s.term_months
        ) % {"count": s.term_months, "amount": _money(sim.installment)}
    else:
        installments = ngettext(
            "%(count)s mensualité de %(amount)s et une dernière de %(last)s",
            "%(count)s mensualités de %(amount)s et une dernière de %(last)s",
            s.term_months - 1,
        ) % {"count": s.term_months - 1, "amount": _money(sim.installment), "last": _money(last)}
    text = _(
        "Exemple représentatif : pour un crédit de %(principal)s sur %(months)s mois au taux débiteur "
        "fixe de %(rate)s, TAEG fixe de %(taeg)s, vous remboursez %(installments)s hors assurance "
        "facultative. Montant total dû : %(due)s. Coût total du crédit : %(cost)s."
    ) % {
        "principal": _money(s.principal, drop_zero_cents=True),
        "months": s.term_months,
        "rate": _rate(s.debit_rate),
        "taeg": _rate(sim.taeg),
        "installments": installments,
        "due": _money(s.total_due - s.total_insurance),
        "cost": _money(s.total_interest + s.fees),
    }
    if sim.taea is not None and sim.insurance_total:
        text += " " + _(
            "Coût de l'assurance facultative : %(monthly)s par mois, %(total)s au total, TAEA de %(taea)s."
        ) % {
            "monthly": _money(sim.insurance_monthly),
            "total": _money(sim.insurance_total),
            "taea": _rate(sim.taea),
        }
    return text


def revolving_example(sim: RevolvingSimulation) -> str:
    """The representative example of a revolving credit (L312-6, L312-8): the amount used in full on
    the day (Annex I part II), repaid by the D312-27 minimum installments, without the optional
    insurance; then the insurance's cost when it is taken."""
    n, first, last = sim.months, sim.installment, sim.last_installment
    if n == 1 or first == last:
        installments = ngettext(
            "%(count)s mensualité de %(amount)s", "%(count)s mensualités de %(amount)s", n
        ) % {"count": n, "amount": _money(first)}
    else:
        installments = _("%(count)s mensualités, de %(first)s la première à %(last)s la dernière") % {
            "count": n,
            "first": _money(first),
            "last": _money(last),
        }
    text = _(
        "Exemple représentatif : pour un crédit renouvelable de %(limit)s utilisé en totalité dès "
        "l'ouverture, au taux débiteur révisable de %(rate)s, TAEG révisable de %(taeg)s, vous "
        "remboursez %(installments)s hors assurance facultative. Montant total dû : %(due)s. Coût "
        "total du crédit : %(cost)s."
    ) % {
        "limit": _money(sim.used, drop_zero_cents=True),
        "rate": _rate(sim.debit_rate),
        "taeg": _rate(sim.taeg),
        "installments": installments,
        "due": _money(sim.total_due_without_insurance),
        "cost": _money(sim.total_interest),
    }
    if sim.insurance_rate and sim.total_insurance.minor:
        text += " " + _(
            "Coût de l'assurance facultative (%(rate)s par mois des sommes restant dues, arrondi au "
            "décime supérieur) : %(monthly)s le premier mois, %(total)s au total."
        ) % {
            "rate": _rate(sim.insurance_rate),
            "monthly": _money(sim.insurance_monthly),
            "total": _money(sim.total_insurance),
        }
    return text


def consolidation_sentence(sim: ConsolidationSimulation) -> str:
    """The monthly change and the change of the total still to pay (the core's ``sentence``)."""
    values = {
        "old": _money(sim.old_monthly),
        "new": _money(sim.new_monthly),
        "months": sim.schedule.term_months,
        "old_total": _money(sim.old_total),
        "new_total": _money(sim.new_total),
    }
    if sim.monthly_saving.minor >= 0:
        monthly = _(
            "Vos mensualités passeraient de %(old)s à %(new)s (−%(change)s par mois) sur %(months)s mois."
        ) % {**values, "change": _money(sim.monthly_saving)}
    else:
        monthly = _(
            "Vos mensualités passeraient de %(old)s à %(new)s (+%(change)s par mois) sur %(months)s mois."
        ) % {**values, "change": _money(-sim.monthly_saving)}
    if sim.costs_more:
        cost = _(
            "Attention : au total, vous rembourseriez %(new_total)s au lieu de %(old_total)s, "
            "soit %(difference)s de plus."
        ) % {**values, "difference": _money(sim.extra_cost)}
    else:
        cost = _(
            "Au total, vous rembourseriez %(new_total)s au lieu de %(old_total)s, "
            "soit %(difference)s de moins."
        ) % {**values, "difference": _money(-sim.extra_cost)}
    text = f"{monthly} {cost}"
    if sim.extra_cash:
        text += " " + _("Ce montant inclut %(cash)s de trésorerie supplémentaire.") % {
            "cash": _money(sim.extra_cash)
        }
    return text


def usury_message(check: UsuryCheck, taeg: Decimal) -> str:
    """``taeg`` against the usury ceiling of its category (the core's ``UsuryCheck.message``)."""
    values = {
        "taeg": _rate(taeg),
        "ceiling": _rate(check.ceiling.rate),
        "category": usury_category(check.category),
        "since": format_day(check.ceiling.effective_on, get_language()),
    }
    if check.ok:
        text = _(
            "TAEG %(taeg)s : conforme au seuil de l'usure de %(ceiling)s (%(category)s, en vigueur "
            "depuis le %(since)s)."
        )
    else:
        text = _(
            "TAEG %(taeg)s : dépasse le seuil de l'usure de %(ceiling)s (%(category)s, en vigueur "
            "depuis le %(since)s)."
        )
    text %= values
    if check.ceiling.stale:
        text += " " + _("Attention : seuil le plus récent connu, à mettre à jour.")
    return text


def indemnity_reason(indemnity: Indemnity) -> str:
    """Why the early-repayment indemnity is what it is (the core's ``cap_reason``)."""
    if indemnity.basis == "revolving":
        return _("Aucune indemnité : crédit renouvelable (L312-34).")
    if indemnity.basis == "insurance":
        return _("Aucune indemnité : remboursement par une assurance (L312-34).")
    if indemnity.basis == "threshold":
        threshold = THRESHOLD_XPF if indemnity.amount.currency == XPF else THRESHOLD_EUR
        return _("Aucune indemnité : remboursements anticipés sur douze mois ≤ %(threshold)s (D312-15).") % {
            "threshold": _money(threshold)
        }
    rate = _rate(indemnity.rate, 1)
    if indemnity.basis == "interest":
        return _(
            "Plafonnée aux intérêts restant à courir (%(interest)s), inférieurs à %(rate)s du montant "
            "remboursé (L312-34)."
        ) % {"interest": _money(indemnity.amount), "rate": rate}
    if indemnity.rate >= Decimal("0.01"):
        text = _("%(rate)s du montant remboursé par anticipation : durée restante de plus d'un an (L312-34).")
    else:
        text = _(
            "%(rate)s du montant remboursé par anticipation : durée restante de un an au plus (L312-34)."
        )
    return text % {"rate": rate}
