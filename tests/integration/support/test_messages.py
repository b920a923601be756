"""Secure messages: threads both ways, unread counts, content-free email, checked attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.support import selectors
from guichet.support.models import Attachment, Thread
from guichet.support.services import post_message, start_thread
from tests.factories import make_staff, make_user
from tests.integration.backoffice.helpers import HTML_AS_PDF, pdf_bytes, staff_session

pytestmark = pytest.mark.django_db


def test_customer_writes_staff_sees_it_unread_then_read(client):
    user = make_user()
    client.force_login(user)
    client.post(
        reverse("portal:messages"),
        {
            "subject": "RIB",
            "body": "Nouveau RIB ci-joint",
            "attachment": SimpleUploadedFile("rib.pdf", pdf_bytes()),
        },
    )
    thread = Thread.objects.get(customer=user.customer)
    assert Attachment.objects.filter(message__thread=thread).count() == 1
    assert selectors.unread_for_staff() == 1
    client.logout()
    staff_session(client, make_staff())
    assert "Nouveau RIB" in client.get(reverse("backoffice:thread", args=[thread.pk])).content.decode()
    assert selectors.unread_for_staff() == 0


def test_advisor_reply_emails_a_notice_without_the_content(client, mailbox):
    user = make_user()
    thread = start_thread(customer=user.customer, author=user, subject="Question", body="Bonjour")
    staff_session(client, make_staff())
    client.post(
        reverse("backoffice:thread", args=[thread.pk]), {"body": "Secret: votre solde est de 1234 euros"}
    )
    email = mailbox.last_to(user.customer.email)
    assert "Vous avez un nouveau message" in email["Subject"]
    assert "1234" not in mailbox.text(email)
    assert [t.unread for t in selectors.threads_for(user.customer)] == [1]


def test_html_attachment_renamed_pdf_is_refused_and_nothing_is_posted(client):
    user = make_user()
    client.force_login(user)
    page = client.post(
        reverse("portal:messages"),
        {"subject": "X", "body": "Y", "attachment": SimpleUploadedFile("a.pdf", HTML_AS_PDF)},
    )
    assert "page web (HTML ou SVG)" in page.content.decode()
    assert not Thread.objects.exists()


def test_customer_cannot_open_or_post_in_another_customers_thread(client):
    owner, other = make_user(), make_user()
    thread = start_thread(customer=owner.customer, author=owner, subject="Privé", body="Bonjour")
    client.force_login(other)
    assert client.get(reverse("portal:message_thread", args=[thread.pk])).status_code == 404
    with pytest.raises(Exception, match="pas la vôtre"):
        post_message(thread=thread, author=other, body="intrusion")
