"""Recent activity (issue 4: "every security event in an audit trail the customer can see"): every
kind the code records has a French label, and profile and bank-details changes are listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from guichet.customers.events import record_event
from guichet.customers.models import SecurityEvent
from tests.factories import DEMO_PASSWORD, make_user

RECORDED_KIND = re.compile(
    r"""record_event\([^)]*?\bkind=["']([a-z_]+)["']|_audit\(\s*\w+,\s*["']([a-z_]+)["']"""
)


def test_every_kind_recorded_in_the_code_has_a_label() -> None:
    root = Path(settings.BASE_DIR) / "guichet"
    recorded = {
        a or b for path in root.rglob("*.py") for a, b in RECORDED_KIND.findall(path.read_text("utf-8"))
    }
    assert {"profile_updated", "bank_details_changed"} <= recorded
    assert recorded <= set(SecurityEvent.Kind.values), recorded - set(SecurityEvent.Kind.values)


@pytest.mark.django_db
def test_profile_and_bank_details_changes_show_with_their_label(client) -> None:
    user = make_user()
    record_event(user=user, kind="profile_updated", fields=["city"])
    record_event(user=user, kind="bank_details_changed", contract="1234567890")
    assert client.login(email=user.email, password=DEMO_PASSWORD)
    body = client.get("/securite/activite/").content.decode()
    assert "Profil modifié" in body and "Coordonnées bancaires modifiées" in body
    assert "profile_updated" not in body and "bank_details_changed" not in body
