"""The revolving minimum repayment clears the used amount in time (L312-65, D312-27, D312-28),
interest is charged at the tier of the amount USED, and the disclosed TAEG uses the contract's
own interest convention (Directive 2008/48/EC Annex I part II as amended by 2011/90/EU).

D312-27 (Code de la consommation, read on doctrine.fr, version of 1 July 2016): "T désigne la durée
de remboursement total du crédit ... a) Pas plus de 36 mois pour les crédits renouvelables dont
le montant total est inférieur ou égal à 3 000 euros ; b) Pas plus de 60 mois ... supérieur".
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.credit import EUR, Money
from guichet.credit.dates import add_months
from guichet.credit.rates import round_taeg
from guichet.credit.revolving import (
    SPEED_MONTHS,
    RateTier,
    annuity_installment,
    daily_interest,
    disclosed_taeg,
    legal_max_months,
    minimum_capital,
    period_interest,
    repayment_months,
    revolving_statement,
    revolving_taeg,
    tier_for,
)

D = Decimal
E = lambda s: Money.of(s, EUR)  # noqa: E731

# Seed 004, Accessio by speed: ≤ 3 000 € depends on the speed, then 9.38 % and 4.81 %.
LOW = {"confort": ("0.1934", "0.2115"), "rapide": ("0.1659", "0.1791"), "express": ("0.1219", "0.1290")}


def accessio(speed: str = "confort") -> list[RateTier]:
    debit, taeg = LOW[speed]
    return [
        RateTier(E("3000"), D(debit), D(taeg), D(debit) / 365),
        RateTier(E("6000"), D("0.0938"), D("0.0979"), D("0.0938") / 365),
        RateTier(None, D("0.0481"), D("0.0492"), D("0.0481") / 365),
    ]


def run_statements(*, used, limit, tiers, speed, start, insurance=None, max_statements=120):
    """Statements after one drawdown of ``used``, each paid; returns the statements drawn up."""
    balance, out = used, []
    period_start = start
    while not balance.is_zero() and len(out) < max_statements:
        period_end = add_months(period_start, 1)
        st_ = revolving_statement(
            opening_balance=balance,
            period_start=period_start,
            period_end=period_end,
            tiers=tiers,
            limit=limit,
            insurance_rate=insurance,
            speed_months=SPEED_MONTHS[speed],
            capital_after_last_drawdown=used,
            statements_since_drawdown=len(out),
        )
        out.append(st_)
        balance, period_start = st_.closing_balance, period_end
    return out


@settings(max_examples=300, deadline=None)
@given(
    limit_cents=st.integers(min_value=50_000, max_value=7_500_000),
    share=st.fractions(min_value=Fraction(1, 1000), max_value=1),
    speed=st.sampled_from(["confort", "rapide", "express"]),
    start=st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 12, 31)),
    insured=st.sampled_from([None, D("0.0060"), D("0.0065"), D("0.0040")]),
)
def test_the_used_amount_is_cleared_within_36_or_60_months_for_any_limit_and_speed(
    limit_cents, share, speed, start, insured
):
    limit = Money(limit_cents, EUR)
    used = Money(max(1, int(limit_cents * share)), EUR)
    statements = run_statements(used=used, limit=limit, tiers=accessio(speed), speed=speed, start=start,
                                insurance=insured)  # fmt: skip
    assert statements[-1].closing_balance.is_zero()
    assert len(statements) <= repayment_months(limit, speed) <= legal_max_months(limit)
    for s in statements:
        # D312-28: 15 € at least (interest + capital), unless the installment clears the balance.
        assert s.closing_balance.is_zero() or (s.interest + s.capital_repaid) >= E("15")
        # D312-27: never less capital than R = α × K.
        r = minimum_capital(used, limit, taeg=tier_for(used, accessio(speed)).taeg,
                            speed_months=repayment_months(limit, speed),
                            optional_insurance_rate=12 * insured if insured else None)  # fmt: skip
        assert s.capital_repaid >= r or s.closing_balance.is_zero()


@settings(max_examples=150, deadline=None)
@given(
    limit_cents=st.integers(min_value=50_000, max_value=2_000_000),
    draws=st.lists(st.tuples(st.integers(0, 40), st.fractions(Fraction(1, 100), Fraction(1, 2))), max_size=4),
    speed=st.sampled_from(["confort", "rapide", "express"]),
)
def test_at_every_statement_the_balance_is_cleared_within_the_period_after_the_last_drawdown(
    limit_cents, draws, speed
):
    limit, tiers = Money(limit_cents, EUR), accessio(speed)
    balance = Money(limit_cents // 2, EUR)
    k, since, start = balance, 0, date(2026, 1, 5)
    draw_at = {n: f for n, f in draws}
    for n in range(200):
        if n in draw_at:
            more = Money(int((limit - balance).minor * draw_at[n]), EUR)
            balance, k, since = balance + more, balance + more, 0
        if balance.is_zero():
            break
        s = revolving_statement(opening_balance=balance, period_start=add_months(start, n),
                                period_end=add_months(start, n + 1), tiers=tiers, limit=limit,
                                speed_months=SPEED_MONTHS[speed], capital_after_last_drawdown=k,
                                statements_since_drawdown=since)  # fmt: skip
        balance, since = s.closing_balance, since + 1
        assert since <= repayment_months(limit, speed) or balance.is_zero()
    assert balance.is_zero()


def test_3000_euros_used_on_a_3000_euro_line_is_cleared_in_36_statements_not_50():
    statements = run_statements(used=E("3000"), limit=E("3000"), tiers=accessio(), speed="confort",
                                start=date(2027, 1, 5))  # fmt: skip
    assert len(statements) <= 36
    # Constant installments (D312-27 1°): the installment stays at the annuity, not shrinking.
    annuity = annuity_installment(E("3000"), annual_rate=Fraction(D("0.2115")), months=36)
    assert all(s.interest + s.capital_repaid >= annuity for s in statements[:-1])


def test_interest_is_charged_at_the_tier_of_the_amount_used_not_the_limit():
    # A 5 000 € line with 1 000 € used: 19.34 %, not the 9.38 % of the limit's tier.
    st_ = revolving_statement(opening_balance=E("1000"), period_start=date(2027, 1, 1),
                              period_end=date(2027, 2, 1), tiers=accessio(), limit=E("5000"))  # fmt: skip
    assert st_.interest == daily_interest(E("1000"), D("0.1934"), 31)
    assert st_.tier.debit_rate == D("0.1934")


def test_each_stretch_of_the_period_is_charged_at_the_tier_of_the_amount_used_then():
    # 10 days at 2 000 € (19.34 %), then 21 days at 5 000 € (9.38 %), exact sum rounded once.
    got = period_interest([(E("2000"), 10), (E("5000"), 21)], accessio())
    exact = (
        Fraction(200000) * Fraction(D("0.1934")) * 10 / 365
        + Fraction(500000) * Fraction(D("0.0938")) * 21 / 365
    )
    assert abs(got.minor - exact) <= Fraction(1, 2)


def test_the_monthly_convention_charges_a_twelfth_per_whole_period():
    assert period_interest([(E("1200"), 28)], accessio(), convention="monthly", period_days=28) == E("19.34")


def test_the_disclosed_taeg_is_computed_with_the_contracts_convention():
    tiers = accessio()[:1]
    monthly = disclosed_taeg(tiers=tiers, limit=E("1500"), opened_on=date(2027, 1, 1), convention="monthly")
    assert round_taeg(monthly) == D("0.2115")  # reproduces the sheet
    jan = disclosed_taeg(tiers=tiers, limit=E("1500"), opened_on=date(2027, 1, 1))
    jul = disclosed_taeg(tiers=tiers, limit=E("1500"), opened_on=date(2027, 7, 1))
    assert jan == revolving_taeg(debit_rate=D("0.1934"), credit_limit=E("1500"), interest="daily",
                                 drawn_on=date(2027, 1, 1))  # fmt: skip
    assert round_taeg(jan) != round_taeg(jul)  # the daily convention depends on the drawdown date


def test_the_disclosed_taeg_follows_the_tiers_as_the_drawn_limit_is_repaid():
    # 5 000 € drawn in full: 9.38 % while above 3 000 €, then 19.34 %: between the two TAEGs.
    taeg = disclosed_taeg(tiers=accessio(), limit=E("5000"), opened_on=date(2027, 1, 1), convention="monthly")
    assert D("0.0979") < taeg < D("0.2115")


def test_a_speed_shortens_the_period_and_an_unknown_speed_is_refused():
    assert repayment_months(E("5000"), "confort") == 60
    assert repayment_months(E("5000"), "rapide") == 24
    assert repayment_months(E("2000"), "express") == 12
    try:
        repayment_months(E("2000"), "turbo")
    except ValueError as exc:
        assert "turbo" in str(exc)
    else:
        raise AssertionError("an unknown speed must be refused")
