"""The demo keeps one holder whose identity documents are still to send (issue 16), so the KYC journey
can be seen: the dashboard task, the upload page and the advisor's queue."""

from __future__ import annotations

import pytest
from django.test import Client

from guichet.backoffice import demo
from guichet.lenders.profile import get_profile
from guichet.onboarding.kyc_models import KycFile
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_julien_with_identity_documents_to_send():
    camille = make_customer(reference="FR-DEMO-001")
    julien = make_customer(reference="FR-DEMO-002")
    make_contract(camille, co_borrower=julien)
    user = make_user(julien)
    demo.seed(profile=get_profile())
    assert KycFile.objects.filter(customer=camille, status=KycFile.Status.APPROVED).exists()
    assert not KycFile.objects.filter(customer=julien, status=KycFile.Status.APPROVED).exists()
    client = Client()
    client.force_login(user)
    page = client.get("/espace/").content.decode()
    assert "Justificatifs à fournir" in page
