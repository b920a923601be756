"""Fixtures of the business-day tests run inline: small chunks and a verified borrower."""

from __future__ import annotations

import pytest

from tests.factories import make_customer, make_user, verify_identity


@pytest.fixture
def small_chunks(settings):
    """Several chunks per step with a handful of contracts, and no wait between retries."""
    settings.GUICHET_BUSINESS_DAY_CHUNK = 2
    settings.GUICHET_BUSINESS_DAY_BACKOFF_S = 0.0


@pytest.fixture
def borrower():
    customer = make_customer(phone="+33612345678")
    make_user(customer)
    return verify_identity(customer)
