"""The staff audit trail is written by the service that changes state, in its transaction (issue 10):
the same record whether the page or code calls it, with the staff member's address from the page, and
none when a customer or the business day acts."""

import pytest
from django.urls import reverse

from guichet.audit.models import StaffAction
from guichet.onboarding import kyc
from guichet.onboarding.kyc_models import KycFile
from guichet.support import services as support
from tests.factories import make_staff, make_user

from .helpers import pdf_bytes, png_bytes, staff_session

pytestmark = pytest.mark.django_db


def _pending_file():
    owner = make_user()
    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    return KycFile.objects.get(customer=owner.customer)


def test_the_page_action_is_recorded_by_the_service_with_the_staff_members_address(client):
    kyc_file, advisor = _pending_file(), make_staff()
    staff_session(client, advisor)
    response = client.post(reverse("backoffice:kyc_decide", args=[kyc_file.pk]), {"decision": "approve"})
    assert response.status_code == 302
    record = StaffAction.objects.get(action="kyc_approve")
    assert (record.actor, record.allowed, record.customer, record.target) == (
        advisor,
        True,
        kyc_file.customer,
        f"kyc:{kyc_file.pk}",
    )
    assert record.ip == "127.0.0.1"


def test_the_service_called_from_code_writes_the_same_record_without_an_address():
    kyc_file, advisor = _pending_file(), make_staff()
    kyc.reject_identity(kyc_file=kyc_file, reviewer=advisor, reason="Pièce illisible")
    record = StaffAction.objects.get(action="kyc_reject")
    assert (record.actor, record.detail, record.ip) == (advisor, {"reason": "Pièce illisible"}, None)


def test_a_refused_change_leaves_no_record():
    kyc_file, advisor = _pending_file(), make_staff()
    kyc.approve_identity(kyc_file=kyc_file, reviewer=advisor)
    with pytest.raises(kyc.KycError):
        kyc.approve_identity(kyc_file=kyc_file, reviewer=advisor)
    assert StaffAction.objects.filter(action="kyc_approve").count() == 1


def test_a_customer_writing_a_message_is_not_a_staff_action():
    owner = make_user()
    support.start_thread(customer=owner.customer, author=owner, subject="Question", body="Bonjour")
    assert not StaffAction.objects.exists()


def test_the_back_office_reexports_the_one_model():
    from guichet.backoffice.models import StaffAction as BackofficeStaffAction

    assert BackofficeStaffAction is StaffAction and StaffAction._meta.db_table == "backoffice_staffaction"
