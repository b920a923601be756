"""Issue 16: before the e-signature the signer confirms the email and mobile on file (seed 003, step 1),
recorded as a server-observed event and required by the server; the evidence printout speaks in
sentences and local dates, while the JSON evidence keeps its machine format."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from guichet.signing import services
from guichet.signing.exceptions import JourneyIncomplete
from guichet.signing.models import SignatureRequest

from .conftest import BROWSER, code_from, served

pytestmark = pytest.mark.django_db

RAW_CODES = (
    "contact_confirmed",
    "page_served",
    "image_served",
    "scrolled_to_end",
    "consent_ticked",
    "code_sent",
    "code_verified",
    "not_configured",
)
ISO = re.compile(r"\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|\+00:00")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in drawing order (``pdftotext -raw``): a table cell's wrapped lines stay together."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-12-02 03:05:00+00:00", tick=False)


@pytest.fixture
def browser(customer) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(customer.user)
    return client


def _walk_pages(browser: Client, req: SignatureRequest) -> None:
    sid = req.public_id
    browser.get(reverse("portal:sign", args=[sid]))
    for page in range(1, req.page_count + 1):
        browser.get(reverse("portal:sign_page", args=[sid, page]))
    browser.post(reverse("portal:sign_event", args=[sid]), {"kind": "viewed"})
    browser.post(reverse("portal:sign_event", args=[sid]), {"kind": "scrolled_to_end"})


def test_the_sign_page_first_asks_to_confirm_the_email_and_mobile_on_file(
    browser, signature_request, customer
):
    sid = signature_request.public_id
    page = browser.get(reverse("portal:sign", args=[sid])).content.decode()
    assert 'id="contact-check"' in page and "Je confirme" in page
    assert customer.email in page and customer.phone in page  # in full, as seed 003's page shows
    change = f"{reverse('portal:profile')}?next={reverse('portal:sign', args=[sid])}#h-contact"
    assert f'href="{change}"' in page and "Modifier mes coordonnées" in page
    assert 'data-page="' not in page  # the document comes after the confirmation
    assert not signature_request.events.filter(kind="page_served").exists()

    browser.post(reverse("portal:sign_contact", args=[sid]))
    page = browser.get(reverse("portal:sign", args=[sid])).content.decode()
    assert 'id="contact-check"' not in page and 'data-page="' in page
    event = signature_request.events.get(kind="contact_confirmed")
    assert event.ip == "203.0.113.7" and event.data["email"] == customer.email
    assert event.data["phone_masked"].endswith(customer.phone[-2:]) and customer.phone not in json.dumps(
        event.data
    )


def test_the_server_refuses_the_code_and_the_signature_without_the_confirmation(
    signature_request, customer, sms_outbox
):
    served(signature_request, customer)
    services.record_view(signature_request=signature_request, customer=customer, client=BROWSER)
    services.record_scrolled_to_end(signature_request=signature_request, customer=customer, client=BROWSER)
    services.record_consent(signature_request=signature_request, customer=customer, client=BROWSER)
    with pytest.raises(JourneyIncomplete, match="Confirmez"):
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    with pytest.raises(JourneyIncomplete, match="Confirmez"):
        services.sign_document(
            signature_request=signature_request, customer=customer, code="1234", client=BROWSER
        )
    assert sms_outbox.messages() == []

    services.confirm_contact_details(signature_request=signature_request, customer=customer, client=BROWSER)
    services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    code = code_from(sms_outbox, customer)
    # A mobile changed after the confirmation is not the one the signer confirmed: asked again.
    customer.phone = "+687751299"
    customer.save(update_fields=["phone"])
    with pytest.raises(JourneyIncomplete, match="Confirmez"):
        services.sign_document(
            signature_request=signature_request,
            customer=customer,
            code=code,
            client=BROWSER,
        )
    signature_request.refresh_from_db()
    assert signature_request.status == SignatureRequest.Status.PENDING


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Document affiché (déclaré par le navigateur)",
                "Fin du document atteinte (déclaré par le navigateur)",
                "Coordonnées confirmées par le signataire",
                "Horodatage : non configuré",
                "2 déc. 2026, 04:05:00",  # 03:05 UTC in the French lender's zone (Europe/Paris)
            ],
        ),
        (
            "en",
            [
                "Document displayed (reported by the browser)",
                "End of the document reached (reported by the browser)",
                "Contact details confirmed by the signer",
                "Timestamp: not configured",
                "2 Dec 2026, 04:05:00",
            ],
        ),
    ],
)
def test_the_evidence_printout_prints_sentences_and_local_dates_not_codes(
    browser, signature_request, customer, sms_outbox, settings, language, expected
):
    customer.language = language
    customer.save(update_fields=["language"])
    sid = signature_request.public_id
    browser.post(reverse("portal:sign_contact", args=[sid]))
    _walk_pages(browser, signature_request)
    browser.post(reverse("portal:sign_code", args=[sid]), {"consent": "on"})
    browser.post(reverse("portal:sign", args=[sid]), {"code": code_from(sms_outbox, customer)})
    signature_request.refresh_from_db()
    assert signature_request.status == SignatureRequest.Status.SIGNED
    evidence = signature_request.evidence

    text = pdf_text(evidence.pdf_file.open("rb").read())
    for sentence in expected:
        assert sentence in text, sentence
    for code in RAW_CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert not ISO.search(text), ISO.search(text)
    # The JSON evidence keeps its machine format: codes and UTC ISO instants.
    content = json.loads(evidence.json_file.open("rb").read())
    assert [e["kind"] for e in content["events"]][:2] == ["requested", "contact_confirmed"]
    assert content["events"][1]["source"] == "server"
    assert content["events"][1]["at"] == "2026-12-02T03:05:00+00:00"
    assert content["seal"]["timestamp"] == "not_configured"


def test_modifier_mes_coordonnees_opens_the_profile_with_a_way_back_to_this_signature_only(
    browser, signature_request
):
    """The link used to name the POST-only address form (a 405 in the browser, issue 16); the profile
    offers the way back to the signature, and to no other page (no open redirect)."""
    sign_url = reverse("portal:sign", args=[signature_request.public_id])
    page = browser.get(reverse("portal:profile"), {"next": sign_url})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a href="{sign_url}">' in html and f'name="next" value="{sign_url}"' in html
    plain = browser.get(reverse("portal:profile")).content.decode().count('name="next"')  # language menu
    assert html.count('name="next"') == plain + 2  # the email and the phone forms carry it
    for elsewhere in ("https://evil.example/", "//evil.example/x", reverse("portal:documents")):
        html = browser.get(reverse("portal:profile"), {"next": elsewhere}).content.decode()
        assert html.count('name="next"') == plain and "Revenir à la signature" not in html
