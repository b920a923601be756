"""Identity documents: type by content, structural parse, size limit, nothing stored on refusal,
files served only to their owner and staff, review with email, and the ``identity_verified`` gate."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.onboarding import kyc
from guichet.onboarding.kyc_models import KycDocument, KycFile
from guichet.onboarding.uploads import UploadRefused, check_upload
from tests.factories import make_staff, make_user
from tests.integration.backoffice.helpers import (
    BROKEN_PDF,
    HTML_AS_PDF,
    SVG_AS_PDF,
    pdf_bytes,
    png_bytes,
    staff_session,
)

pytestmark = pytest.mark.django_db


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client, identity: bytes, address: bytes, names=("id.pdf", "domicile.png")):
    return client.post(
        reverse("portal:kyc"),
        {
            "identity": SimpleUploadedFile(names[0], identity),
            "address": SimpleUploadedFile(names[1], address),
        },
    )


@pytest.mark.parametrize("payload", [HTML_AS_PDF, SVG_AS_PDF], ids=["html", "svg"])
def test_markup_renamed_pdf_is_refused_with_a_clear_message_and_nothing_is_stored(
    client, payload, _private_storage
):
    user = make_user()
    client.force_login(user)
    page = _upload(client, payload, png_bytes()).content.decode()
    assert "page web (HTML ou SVG)" in page
    assert not KycFile.objects.filter(customer=user.customer).exists()
    assert _stored_files(_private_storage) == []


def test_malformed_pdf_is_refused():
    with pytest.raises(UploadRefused, match="endommagé"):
        check_upload(BROKEN_PDF, name="id.pdf")


def test_truncated_png_is_refused():
    with pytest.raises(UploadRefused, match="endommagée"):
        check_upload(png_bytes()[:60], name="photo.png")


def test_file_over_ten_megabytes_is_refused():
    big = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="10 Mo"):
        check_upload(io.BytesIO(big), name="big.pdf")


def test_second_file_refused_means_the_first_is_not_kept_either(_private_storage):
    user = make_user()
    with pytest.raises(UploadRefused, match="Justificatif de domicile"):
        kyc.submit_identity_documents(customer=user.customer, identity=pdf_bytes(), address=BROKEN_PDF)
    assert not KycFile.objects.exists() and _stored_files(_private_storage) == []


def test_good_documents_are_stored_under_random_names_and_shown_as_under_review(client, _private_storage):
    user = make_user()
    client.force_login(user)
    response = _upload(client, pdf_bytes(), png_bytes(), names=("mon passeport.pdf", "edf.png"))
    assert response.status_code == 302
    page = client.get(reverse("portal:kyc")).content.decode()
    assert "généralement sous 24 à 72 h" in page
    paths = sorted(d.path for d in KycDocument.objects.all())
    assert all("passeport" not in p and "edf" not in p for p in paths)
    assert len(_stored_files(_private_storage)) == 2
    assert not kyc.identity_verified(user.customer)


def test_customer_fetching_another_customers_upload_gets_404(client):
    owner, other = make_user(), make_user()
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    doc = KycDocument.objects.get(kind="identity")
    client.force_login(other)
    assert client.get(reverse("portal:kyc_document", args=[doc.pk])).status_code == 404
    client.force_login(owner)
    response = client.get(reverse("portal:kyc_document", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_staff_reads_the_upload_and_the_viewing_is_audited(client):
    from guichet.backoffice.models import StaffAction

    owner = make_user()
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    doc = KycDocument.objects.get(kind="address")
    advisor = make_staff()
    staff_session(client, advisor)
    response = client.get(reverse("backoffice:kyc_document", args=[doc.pk]))
    assert response.status_code == 200 and response.content == png_bytes()
    assert StaffAction.objects.filter(actor=advisor, action="view_kyc_document").exists()


def test_advisor_approves_from_the_queue_customer_is_emailed_and_verified(client, mailbox):
    owner = make_user()
    kyc_file = kyc.submit_identity_documents(
        customer=owner.customer, identity=pdf_bytes(), address=png_bytes()
    )
    staff_session(client, make_staff())
    assert owner.customer.full_name in client.get(reverse("backoffice:kyc_queue")).content.decode()
    client.post(reverse("backoffice:kyc_decide", args=[kyc_file.pk]), {"decision": "approve"})
    assert kyc.identity_verified(owner.customer)
    assert "validés" in mailbox.last_to(owner.customer.email)["Subject"]


def test_rejection_needs_a_reason_which_is_emailed_and_allows_a_new_submission(client, mailbox):
    owner = make_user()
    kyc_file = kyc.submit_identity_documents(
        customer=owner.customer, identity=pdf_bytes(), address=png_bytes()
    )
    staff_session(client, make_staff())
    client.post(reverse("backoffice:kyc_decide", args=[kyc_file.pk]), {"decision": "reject", "reason": ""})
    assert KycFile.objects.get(pk=kyc_file.pk).status == "pending"
    client.post(
        reverse("backoffice:kyc_decide", args=[kyc_file.pk]), {"decision": "reject", "reason": "Photo floue"}
    )
    assert "Photo floue" in mailbox.text(mailbox.last_to(owner.customer.email))
    assert kyc.kyc_status(owner.customer).can_submit
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    assert kyc.kyc_status(owner.customer).state == "pending"


def test_a_second_submission_while_one_is_under_review_is_refused():
    owner = make_user()
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    with pytest.raises(kyc.KycError, match="24 à 72 h"):
        kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())


def test_dashboard_task_asks_for_documents_until_they_are_sent():
    from guichet.portal.tasks import pending_tasks_for

    owner = make_user()
    assert any(t.kind == "kyc" for t in pending_tasks_for(owner.customer))
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    assert not any(t.kind == "kyc" for t in pending_tasks_for(owner.customer))
