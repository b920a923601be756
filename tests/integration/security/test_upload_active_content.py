"""Issue 11, item 7: a PDF that carries JavaScript (an /OpenAction, a /Names JavaScript tree, a Launch
action, an embedded file) is refused as a message attachment and as an identity document, and whatever
is accepted is served as a download (``Content-Disposition: attachment``), never rendered inline."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from guichet.onboarding.uploads import UploadRefused, check_upload
from guichet.support.models import Attachment, Thread
from tests.factories import make_staff, make_user
from tests.integration.backoffice.helpers import pdf_bytes, staff_session

pytestmark = pytest.mark.django_db


def _pdf_with(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action_js(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('pwned')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _launch(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


ACTIVE = {
    "open_action_javascript": _open_action_js,
    "names_javascript": lambda w: w.add_js("app.alert(1);"),
    "launch_action": _launch,
    "embedded_file": lambda w: w.add_attachment("payload.exe", b"MZ..."),
}


@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_a_pdf_with_active_content_is_refused_by_the_upload_gate(kind):
    with pytest.raises(UploadRefused, match="contenu actif"):
        check_upload(_pdf_with(ACTIVE[kind]), name="rib.pdf")


def test_a_plain_pdf_still_passes_the_gate():
    assert check_upload(_pdf_with(lambda w: None), name="rib.pdf").mime == "application/pdf"


def test_a_pdf_with_an_open_action_javascript_is_refused_as_a_message_attachment_and_nothing_is_posted(
    client,
):
    client.force_login(make_user())
    page = client.post(
        reverse("portal:messages"),
        {
            "subject": "RIB",
            "body": "ci-joint",
            "attachment": SimpleUploadedFile("rib.pdf", _pdf_with(_open_action_js)),
        },
    )
    assert "contenu actif" in page.content.decode()
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_an_accepted_attachment_is_served_as_a_download_to_the_customer_and_to_staff(client):
    user = make_user()
    client.force_login(user)
    client.post(
        reverse("portal:messages"),
        {"subject": "RIB", "body": "ci-joint", "attachment": SimpleUploadedFile("rib.pdf", pdf_bytes())},
    )
    att = Attachment.objects.get()
    response = client.get(reverse("portal:message_attachment", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    client.logout()
    staff_session(client, make_staff())
    response = client.get(reverse("backoffice:attachment", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
