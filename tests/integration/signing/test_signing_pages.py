"""The signing pages: owner-only access, server-side refusal of skipped steps, page images, verification."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.credit import Money, currency
from guichet.customers.exceptions import CodeCooldown
from guichet.signing.models import SignatureRequest
from tests.factories import make_customer, make_user

from .conftest import BROWSER, code_from


@pytest.fixture
def browser(client, customer):
    client.force_login(customer.user)
    return client


def test_another_customers_signature_request_is_a_404(client, signature_request):
    intruder = make_customer(phone="+33611111111")
    client.force_login(make_user(intruder))
    sid = signature_request.public_id
    assert client.get(reverse("portal:sign", args=[sid])).status_code == 404
    assert client.get(reverse("portal:sign_page", args=[sid, 1])).status_code == 404
    assert client.get(reverse("portal:sign_pdf", args=[sid])).status_code == 404
    assert client.post(reverse("portal:sign_event", args=[sid]), {"kind": "viewed"}).status_code == 404
    assert (
        client.get(reverse("portal:withdraw", args=[signature_request.application.public_id])).status_code
        == 404
    )


def test_sign_page_shows_every_page_as_an_image_of_the_pdf(browser, signature_request):
    browser.post(reverse("portal:sign_contact", args=[signature_request.public_id]))  # step 1 (seed 003)
    response = browser.get(reverse("portal:sign", args=[signature_request.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"1/{signature_request.page_count}" in html
    assert html.count('data-page="') == signature_request.page_count
    png = browser.get(
        reverse("portal:sign_page", args=[signature_request.public_id, signature_request.page_count])
    )
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_code_and_signature_posted_without_scrolling_are_refused(browser, signature_request, sms_outbox):
    sid = signature_request.public_id
    browser.post(reverse("portal:sign_contact", args=[sid]))
    browser.post(reverse("portal:sign_event", args=[sid]), {"kind": "viewed"})
    # A hand-made POST that ticks the box without having scrolled to the end.
    browser.post(reverse("portal:sign_code", args=[sid]), {"consent": "on"})
    assert sms_outbox.messages() == []
    response = browser.post(reverse("portal:sign", args=[sid]), {"code": "123456"}, follow=True)
    assert "Faites défiler" in response.content.decode() or "dernière page" in response.content.decode()
    signature_request.refresh_from_db()
    assert signature_request.status == SignatureRequest.Status.PENDING


def test_scrolling_ticking_and_the_sms_code_sign_through_the_pages(
    browser, signature_request, customer, sms_outbox
):
    sid = signature_request.public_id
    browser.post(reverse("portal:sign_contact", args=[sid]))  # « Je confirme » my email and mobile
    browser.get(reverse("portal:sign", args=[sid]))  # the page and every page image, as a browser does
    for page in range(1, signature_request.page_count + 1):
        browser.get(reverse("portal:sign_page", args=[sid, page]))
    assert browser.post(reverse("portal:sign_event", args=[sid]), {"kind": "viewed"}).json() == {"ok": True}
    assert browser.post(reverse("portal:sign_event", args=[sid]), {"kind": "scrolled_to_end"}).json()["ok"]
    browser.post(reverse("portal:sign_code", args=[sid]), {"consent": "on"})
    response = browser.post(
        reverse("portal:sign", args=[sid]), {"code": code_from(sms_outbox, customer)}, follow=True
    )
    assert "Vous avez signé ce contrat" in response.content.decode()
    event = signature_request.events.get(kind="scrolled_to_end")
    assert event.ip == "127.0.0.1"


def test_verification_page_reports_a_tampered_pdf(browser, signature_request, customer, sms_outbox):
    from guichet.documents.sealing import seal_pdf

    with signature_request.document.open("rb") as fh:
        sealed = bytearray(seal_pdf(fh.read(), reason="Test"))
    sealed[500] ^= 0x01
    upload = SimpleUploadedFile("contrat.pdf", bytes(sealed), content_type="application/pdf")
    response = browser.post(reverse("portal:verify_signature"), {"pdf": upload})
    assert "Signature non valide" in response.content.decode()


def test_dashboard_task_lists_pending_signatures_in_one_query(
    signature_request, customer, django_assert_num_queries
):
    from guichet.portal.views.signing import signature_tasks

    with django_assert_num_queries(1):
        tasks = signature_tasks(customer)
    assert [t.title for t in tasks] == ["Signature du contrat"]
    assert tasks[0].url == reverse("portal:sign", args=[signature_request.public_id])


def test_the_resend_wait_on_the_page_is_the_cooldown_the_code_service_enforces(
    browser, signature_request, customer, advisor, sms_outbox
):
    """A code for another contract, sent after this page's own, starts the same cooldown (the code
    service counts per customer and purpose): the page does not offer a resend the service refuses."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    from guichet.signing import services

    from .conftest import walk_to_code

    other_app = services.create_application(
        customer=customer,
        product_code="pret_personnel",
        product_name="Prêt personnel",
        amount=Money(300_000, currency("EUR")),
        term_months=12,
        created_by=advisor,
        debit_rate=Decimal("0.0590"),
    )
    other = services.request_signature(application=other_app, requested_by=advisor)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        for req in (signature_request, other):
            walk_to_code(req, customer)
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
        traveller.shift(timedelta(seconds=70))
        services.send_signature_code(signature_request=other, customer=customer, client=BROWSER)
        traveller.shift(timedelta(seconds=10))
        html = browser.get(reverse("portal:sign", args=[signature_request.public_id])).content.decode()
        assert 'data-wait="50" disabled' in html
        with pytest.raises(CodeCooldown):
            services.send_signature_code(
                signature_request=signature_request, customer=customer, client=BROWSER
            )
