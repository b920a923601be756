"""Issue 11, item 10: the signature evidence recorded "viewed" and "scrolled to the end" as facts although
the browser reports them, and a direct POST recorded them without any page being shown. Now the server
records what it observed itself (the signing page and each page image sent, with times), refuses a
browser report that no served page backs, and the evidence file labels every event by its source."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from guichet.signing.models import SignatureEvent

from .conftest import code_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(customer) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(customer.user)
    return client


def _event(browser: Client, sid, kind: str):
    return browser.post(reverse("portal:sign_event", args=[sid]), {"kind": kind})


def test_a_direct_post_of_viewed_and_scrolled_without_any_page_served_records_nothing(
    browser, signature_request
) -> None:
    sid = signature_request.public_id
    assert _event(browser, sid, "viewed").status_code == 409
    assert _event(browser, sid, "scrolled_to_end").status_code == 409
    assert not signature_request.events.filter(kind__in=["viewed", "scrolled_to_end"]).exists()


def test_scrolled_to_the_end_needs_every_page_of_the_document_to_have_been_served(
    browser, signature_request
) -> None:
    sid = signature_request.public_id
    browser.post(reverse("portal:sign_contact", args=[sid]))
    browser.get(reverse("portal:sign", args=[sid]))
    assert _event(browser, sid, "viewed").status_code == 200
    assert _event(browser, sid, "scrolled_to_end").status_code == 409  # no page image sent yet
    for page in range(1, signature_request.page_count + 1):
        browser.get(reverse("portal:sign_page", args=[sid, page]))
    assert _event(browser, sid, "scrolled_to_end").status_code == 200


def test_the_evidence_file_separates_what_the_server_observed_from_what_the_browser_reported(
    browser, signature_request, customer, sms_outbox
) -> None:
    sid = signature_request.public_id
    browser.post(reverse("portal:sign_contact", args=[sid]))
    browser.get(reverse("portal:sign", args=[sid]))
    for page in range(1, signature_request.page_count + 1):
        browser.get(reverse("portal:sign_page", args=[sid, page]))
    _event(browser, sid, "viewed")
    _event(browser, sid, "scrolled_to_end")
    browser.post(reverse("portal:sign_code", args=[sid]), {"consent": "on"})
    browser.post(reverse("portal:sign", args=[sid]), {"code": code_from(sms_outbox, customer)})
    signature_request.refresh_from_db()
    evidence = json.loads(signature_request.evidence.json_file.open("rb").read())

    reported = {e["kind"] for e in evidence["browser_reported"]}
    observed = [e for e in evidence["server_observed"]]
    assert reported == {"viewed", "scrolled_to_end"}
    assert all(e["source"] == "browser" for e in evidence["browser_reported"])
    assert {e["kind"] for e in observed} >= {
        "contact_confirmed",
        "page_served",
        "image_served",
        "consent_ticked",
        "signed",
    }
    pages = sorted(e["data"]["page"] for e in observed if e["kind"] == "image_served")
    assert pages == list(range(1, signature_request.page_count + 1))
    assert all(e["at"] for e in observed)  # each with its UTC time
    assert "navigateur" in evidence["sources"]["browser"] and "serveur" in evidence["sources"]["server"]
    assert SignatureEvent.objects.filter(request=signature_request, kind="page_served").exists()
