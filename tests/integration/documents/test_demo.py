"""The documents demo fills the inboxes once: a second run delivers nothing more."""

from __future__ import annotations

import io

import pytest

from guichet.documents import demo
from guichet.documents.models import Document
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db


def test_demo_delivers_funding_confirmation_and_statement_once():
    user = make_user()
    make_contract(user.customer)
    out = io.StringIO()
    demo.seed(profile="fr", stdout=out)
    kinds = sorted(Document.objects.filter(customer=user.customer).values_list("kind", flat=True))
    assert kinds == ["funding_confirmation", "statement"]
    demo.seed(profile="fr", stdout=out)
    assert Document.objects.filter(customer=user.customer).count() == 2
