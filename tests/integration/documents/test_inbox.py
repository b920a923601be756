"""The documents inbox: delivery stores the PDF privately and emails the customer; only the owner can open it.

Seed 003: "Mes documents — Ma boîte de réception de courriers et documents", and the email
telling the customer that their first letter, the "Confirmation de financement", is there.
"""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings as dj_settings
from django.urls import reverse

from guichet.documents.models import Document
from guichet.documents.services import DocumentRefused, deliver_document
from tests.conftest import Mailbox
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _deliver(customer, title="Confirmation de financement", notify=False):
    return deliver_document(
        customer=customer, kind="funding_confirmation", title=title, pdf=PDF, notify=notify
    )


def test_delivered_document_is_stored_outside_static_and_hashed(settings):
    user = make_user()
    doc = _deliver(user.customer)
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest()
    path = doc.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(dj_settings.STATIC_ROOT))
    with doc.file.open("rb") as fh:
        assert fh.read() == PDF
    assert doc.is_unread


def test_delivery_refuses_bytes_that_are_not_a_pdf():
    user = make_user()
    with pytest.raises(DocumentRefused):
        deliver_document(customer=user.customer, kind="statement", title="x", pdf=b"<html>", notify=False)
    assert not Document.objects.exists()


def test_delivery_emails_the_customer_that_a_document_arrived(
    mailbox: Mailbox, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(user.customer, notify=True)
    msg = mailbox.last_to(user.customer.email)
    assert "Un nouveau document est disponible dans Mes documents" in str(msg["Subject"])
    assert "Confirmation de financement" in Mailbox.text(msg)


def test_inbox_marks_unread_documents_until_opened(client):
    user = make_user()
    doc = _deliver(user.customer)
    client.force_login(user)
    html = client.get(reverse("portal:documents")).content.decode()
    assert "Nouveau" in html and 'class="doc unread"' in html
    response = client.get(reverse("portal:document", args=[doc.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    doc.refresh_from_db()
    assert doc.read_at is not None
    html = client.get(reverse("portal:documents")).content.decode()
    assert "Nouveau" not in html


def test_another_customers_document_id_is_404_and_stays_unread(client):
    owner = make_user()
    intruder = make_user()
    doc = _deliver(owner.customer)
    client.force_login(intruder)
    assert client.get(reverse("portal:document", args=[doc.pk])).status_code == 404
    assert client.get(reverse("portal:document", args=[doc.pk + 999])).status_code == 404
    doc.refresh_from_db()
    assert doc.read_at is None


def test_documents_pages_need_a_signed_in_customer(client):
    user = make_user()
    doc = _deliver(user.customer)
    response = client.get(reverse("portal:document", args=[doc.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


def test_navigation_shows_the_unread_count(client):
    user = make_user()
    _deliver(user.customer)
    _deliver(user.customer, title="Relevé annuel")
    client.force_login(user)
    html = client.get(reverse("portal:documents")).content.decode()
    assert '<span class="badge badge-count">2<span class="visually-hidden"> non lus</span></span>' in html
