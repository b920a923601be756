"""Usury ceilings (L314-6 ff.) from data/usury/ceilings.toml; seed 004 and the JO avis it cites.

Golden ceilings: the JO avis named in each entry's ``source`` (read 23 November 2026), e.g.
avis du 25 février 2023 (JORF 26/02/2023) for March 2023, avis du 27 mars 2024 (JORF 28/03/2024)
for Q2 2024, avis du 25 septembre 2026 (JORF 26/09/2026) for Q4 2026.
"""

from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import (
    EUR,
    XPF,
    Money,
    UsuryDataMissing,
    UsuryTable,
    category_for,
    ceiling_for,
    check_usury,
)

D = Decimal


def test_tariff_21_15_percent_lines_are_legal_under_the_january_2022_ceiling_of_21_17():
    check = check_usury(taeg=D("0.2115"), amount=Money.of(3000, EUR), on=date(2022, 1, 15))
    assert check.ok
    assert check.ceiling.rate == D("0.2117")


def test_tariff_21_15_percent_lines_are_usurious_from_april_2022_ceiling_of_21_11():
    check = check_usury(taeg=D("0.2115"), amount=Money.of(3000, EUR), on=date(2022, 4, 1))
    assert not check.ok
    assert "dépasse" in check.message


@pytest.mark.parametrize(
    ("on", "rates"),
    [
        (date(2022, 1, 1), ("0.2117", "0.0980", "0.0493")),
        (date(2022, 4, 1), ("0.2111", "0.0985", "0.0493")),
        (date(2022, 7, 1), ("0.2111", "0.0987", "0.0493")),
        (date(2022, 12, 31), ("0.2116", "0.1013", "0.0533")),
        (date(2023, 1, 31), ("0.2104", "0.1055", "0.0579")),
        (date(2023, 3, 15), ("0.2057", "0.1060", "0.0615")),
        (date(2023, 8, 31), ("0.2163", "0.1180", "0.0676")),
        (date(2023, 11, 1), ("0.2207", "0.1244", "0.0701")),
        (date(2023, 12, 31), ("0.2192", "0.1272", "0.0719")),
        (date(2024, 2, 29), ("0.2200", "0.1293", "0.0735")),
        (date(2024, 4, 1), ("0.2232", "0.1360", "0.0775")),
        (date(2024, 7, 1), ("0.2249", "0.1387", "0.0800")),
        (date(2024, 12, 31), ("0.2271", "0.1459", "0.0829")),
        (date(2025, 2, 1), ("0.2293", "0.1516", "0.0851")),
        (date(2026, 1, 1), ("0.2356", "0.1587", "0.0867")),
        (date(2026, 5, 20), ("0.2352", "0.1573", "0.0861")),
        (date(2026, 9, 30), ("0.2353", "0.1567", "0.0856")),
        (date(2026, 11, 23), ("0.2360", "0.1576", "0.0856")),
    ],
)
def test_ceilings_by_category_and_date(on, rates):
    amounts = [Money.of(3000, EUR), Money.of(6000, EUR), Money.of("6000.01", EUR)]
    assert [ceiling_for(a, on).rate for a in amounts] == [D(r) for r in rates]


def test_xpf_amounts_are_judged_in_euros_at_the_legal_parity():
    # 3 000 € = 357 995.22 XPF
    assert category_for(Money.of(357995, XPF)) == "up_to_3000"
    assert category_for(Money.of(357996, XPF)) == "from_3000_to_6000"


@pytest.mark.parametrize(
    ("last_day", "first_day", "before", "after"),
    [
        # Q1 2023 gives way to the first monthly ceiling on 1 February 2023 (arrêté 26/01/2023).
        (date(2023, 1, 31), date(2023, 2, 1), "0.2104", "0.2079"),
        (date(2023, 2, 28), date(2023, 3, 1), "0.2079", "0.2057"),
        (date(2023, 3, 31), date(2023, 4, 1), "0.2057", "0.2116"),
        (date(2023, 10, 31), date(2023, 11, 1), "0.2175", "0.2207"),
        # The last monthly ceiling (December 2023) gives way to quarterly Q1 2024.
        (date(2023, 12, 31), date(2024, 1, 1), "0.2192", "0.2200"),
    ],
)
def test_a_monthly_ceiling_of_2023_applies_from_the_first_of_its_month(last_day, first_day, before, after):
    amount = Money.of(1000, EUR)
    assert ceiling_for(amount, last_day).rate == D(before)
    assert ceiling_for(amount, first_day).rate == D(after)
    assert ceiling_for(amount, first_day).effective_on == first_day


def test_every_month_from_2022_to_the_last_published_quarter_has_a_ceiling():
    day = date(2022, 1, 1)
    while day <= date(2026, 12, 1):
        for amount in (Money.of(3000, EUR), Money.of(6000, EUR), Money.of(6001, EUR)):
            assert ceiling_for(amount, day).rate > 0
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)


def test_each_ceiling_names_its_journal_officiel_avis():
    for on in (date(2022, 7, 1), date(2023, 6, 1), date(2024, 4, 1), date(2026, 10, 1)):
        assert "JORF du" in ceiling_for(Money.of(1000, EUR), on).source


def test_a_date_before_the_first_recorded_ceiling_raises_rather_than_guess():
    with pytest.raises(UsuryDataMissing):
        ceiling_for(Money.of(1000, EUR), date(2021, 12, 31))


def test_a_date_in_a_gap_of_the_data_raises_rather_than_borrow_a_neighbour(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        '[[ceiling]]\neffective_on = 2030-01-01\nuntil = 2030-03-31\nup_to_3000 = "20"\n'
        'from_3000_to_6000 = "10"\nabove_6000 = "5"\nsource = "t"\n'
        '[[ceiling]]\neffective_on = 2030-07-01\nup_to_3000 = "21"\n'
        'from_3000_to_6000 = "11"\nabove_6000 = "6"\nsource = "t"\n'
    )
    table = UsuryTable.load(f)
    with pytest.raises(UsuryDataMissing, match="2030-01-01 to 2030-03-31"):
        table.ceiling_for(Money.of(1000, EUR), date(2030, 4, 1))
    assert table.ceiling_for(Money.of(1000, EUR), date(2030, 7, 1)).rate == D("0.21")


def test_overlapping_periods_are_refused_when_the_file_is_loaded(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        '[[ceiling]]\neffective_on = 2030-01-01\nuntil = 2030-04-30\nup_to_3000 = "20"\n'
        'from_3000_to_6000 = "10"\nabove_6000 = "5"\nsource = "t"\n'
        '[[ceiling]]\neffective_on = 2030-04-01\nup_to_3000 = "21"\n'
        'from_3000_to_6000 = "11"\nabove_6000 = "6"\nsource = "t"\n'
    )
    with pytest.raises(ValueError, match="overlap"):
        UsuryTable.load(f)


def test_the_latest_ceiling_is_flagged_stale_after_its_quarter(tmp_path):
    # A table of its own (the shipped file gains a quarter every three months): the last entry,
    # Q4 2026, is current in November and served stale, with a warning, in 2027.
    f = tmp_path / "ceilings.toml"
    f.write_text(
        "".join(
            f'[[ceiling]]\neffective_on = {on}\nup_to_3000 = "{rate}"\n'
            f'from_3000_to_6000 = "15"\nabove_6000 = "8"\nsource = "test"\n'
            for on, rate in (("2026-07-01", "23.40"), ("2026-10-01", "23.60"))
        )
    )
    table = UsuryTable.load(f)
    assert not table.ceiling_for(Money.of(1000, EUR), date(2026, 11, 23)).stale
    latest = table.ceiling_for(Money.of(1000, EUR), date(2027, 1, 2))
    assert latest.stale
    assert latest.effective_on == date(2026, 10, 1)
    assert latest.rate == D("0.2360")
    check = table.check_usury(taeg=D("0.10"), amount=Money.of(1000, EUR), on=date(2027, 1, 2))
    assert "à mettre à jour" in check.message


def test_load_from_another_file(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        '[[ceiling]]\neffective_on = 2030-01-01\nup_to_3000 = "20"\n'
        'from_3000_to_6000 = "10"\nabove_6000 = "5"\nsource = "test"\n'
    )
    assert UsuryTable.load(f).ceiling_for(Money.of(100, EUR), date(2030, 2, 1)).rate == D("0.2")
    f.write_text('[[ceiling]]\neffective_on = 2030-01-01\nsource = "x"\n')
    with pytest.raises(ValueError, match="lacks"):
        UsuryTable.load(f)
