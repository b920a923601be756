"""``manage.py load_tariff``: validate, report, load in one transaction, idempotent, versioned."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guichet.catalogue.models import (
    CardFee,
    ComplaintPolicy,
    FxMargin,
    InsuranceOption,
    ManagementFee,
    Product,
    RateTier,
    Tariff,
    TariffClause,
    UsuryCeiling,
)
from tests.unit.catalogue.helpers import SEED_004_PRODUCTS

from .conftest import TARIFF

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_tariff", *args, stdout=out)
    return out.getvalue()


def test_loading_stores_every_product_of_seed_004_and_every_service_line():
    out = run(str(TARIFF))
    assert "Tarif du 01/01/2022 chargé : 31 produits" in out
    assert list(Product.objects.values_list("code", flat=True)) == SEED_004_PRODUCTS
    assert RateTier.objects.count() == 63
    # 34 options written out (revolving 0,60/0,65 %, Projexio, Option Crédit) + 2 grids of 12 (PSM, Rachat).
    assert InsuranceOption.objects.count() == 34 + 24
    assert UsuryCeiling.objects.count() == 3
    assert CardFee.objects.count() == 16  # 2 card variants × (6 fees + 2 caps)
    assert FxMargin.objects.count() == 11
    assert ManagementFee.objects.count() == 5
    assert ComplaintPolicy.objects.get().answer_within_months == 2
    assert set(TariffClause.objects.values_list("code", flat=True)) == {"card_security", "contacts", "fx"}


def test_the_report_flags_accessio_express_and_the_lines_usurious_from_april_2022():
    out = run(str(TARIFF))
    assert (
        "INCOHÉRENT 12,19 % → TAEG 12,90 %, journalier 0,03341 % — 1 ligne(s) : accessio-express ≤ 3 000 €"
        in out
    )
    assert "correspond au taux journalier publié × 365 = 12,1947 %" in out
    assert "2. TAEG maximum / seuils de l'usure en vigueur au 01/01/2022\n   OK" in out
    assert "À partir du 01/04/2022" in out
    assert "USURAIRE TAEG 21,15 % > seuil 21,11 % (≤ 3 000 €) — 16 ligne(s)" in out


def test_loading_the_same_file_twice_is_idempotent():
    run(str(TARIFF))
    out = run(str(TARIFF), "--no-report")
    assert "déjà chargé" in out
    assert Tariff.objects.count() == 1 and Product.objects.count() == 31


def test_dry_run_validates_and_reports_but_writes_nothing():
    out = run(str(TARIFF), "--dry-run")
    assert "Vérification seule" in out and "Rapport de cohérence" in out
    assert Tariff.objects.count() == 0


def test_a_broken_file_is_refused_naming_its_line_and_nothing_is_loaded(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        TARIFF.read_text(encoding="utf-8").replace('rate = "0.40"', 'rate = "0,40"'), encoding="utf-8"
    )
    with pytest.raises(
        CommandError, match=r"rien n'a été chargé\. Ligne \d+ : produit « projelia », assurance 1"
    ):
        run(str(broken))
    assert Tariff.objects.count() == 0 and Product.objects.count() == 0


def test_a_failure_while_writing_leaves_no_partial_tariff(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(InsuranceOption.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        run(str(TARIFF))
    assert Tariff.objects.count() == 0 and Product.objects.count() == 0 and RateTier.objects.count() == 0


def test_a_different_file_for_an_already_loaded_date_is_refused(tmp_path):
    run(str(TARIFF))
    edited = tmp_path / "edited.toml"
    edited.write_text(TARIFF.read_text(encoding="utf-8").replace('"0.40"', '"0.45"'), encoding="utf-8")
    with pytest.raises(CommandError, match="déjà chargé pour le 01/01/2022"):
        run(str(edited))
    assert Tariff.objects.count() == 1
    assert InsuranceOption.objects.get(product__code="projelia").rate == Decimal("0.004")


def test_a_later_tariff_coexists_with_the_first(later_tariff_file):
    run(str(TARIFF))
    run(str(later_tariff_file), "--no-report")
    dates = Tariff.objects.values_list("effective_on", flat=True).order_by("effective_on")
    assert list(dates) == [date(2022, 1, 1), date(2023, 1, 1)]
    assert Product.objects.count() == 62
