"""Usury ceilings (L314-6 ff.) from data/usury/ceilings.toml; seed 004 and published ceilings."""

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
        (date(2024, 7, 1), ("0.2249", "0.1387", "0.0800")),
        (date(2026, 1, 1), ("0.2356", "0.1587", "0.0867")),
    ],
)
def test_ceilings_by_category_and_date(on, rates):
    amounts = [Money.of(3000, EUR), Money.of(6000, EUR), Money.of("6000.01", EUR)]
    assert [ceiling_for(a, on).rate for a in amounts] == [D(r) for r in rates]


def test_xpf_amounts_are_judged_in_euros_at_the_legal_parity():
    # 3 000 € = 357 995.22 XPF
    assert category_for(Money.of(357995, XPF)) == "up_to_3000"
    assert category_for(Money.of(357996, XPF)) == "from_3000_to_6000"


def test_a_date_in_a_gap_of_the_data_raises_rather_than_borrow_a_neighbour():
    with pytest.raises(UsuryDataMissing):
        ceiling_for(Money.of(1000, EUR), date(2023, 5, 1))


def test_the_latest_ceiling_is_flagged_stale_after_its_quarter():
    assert ceiling_for(Money.of(1000, EUR), date(2026, 11, 23)).stale
    assert not ceiling_for(Money.of(1000, EUR), date(2026, 2, 1)).stale


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
