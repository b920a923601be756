"""Who may enter the back office and do what: customers refused, stricter sessions, roles, four eyes."""

import time

import pytest
import time_machine
from django.urls import reverse

from guichet.backoffice.models import StaffAction
from guichet.customers.models import User
from guichet.origination.models import ApplicationReview
from guichet.signing.models import Application
from tests.factories import make_customer, make_staff, make_user

from .helpers import staff_session

pytestmark = pytest.mark.django_db


def _application(created_by, reasons=("Montant au-dessus du maximum du produit",)):
    app = Application.objects.create(
        customer=make_customer(),
        product_code="pret_sur_mesure",
        product_name="Prêt Sur Mesure",
        amount_minor=4_000_000,
        currency="EUR",
        term_months=48,
        created_by=created_by,
        status="signed",
    )
    ApplicationReview.objects.create(application=app, exception_reasons=list(reasons))
    return app


def test_signed_in_customer_reaching_the_back_office_is_refused(client):
    client.force_login(make_user())
    assert client.get("/backoffice/").status_code == 403
    assert client.get("/backoffice/search/?q=Martin").status_code == 403


def test_anonymous_visitor_is_sent_to_the_staff_sign_in(client):
    response = client.get("/backoffice/kyc/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("backoffice:login"))


def test_staff_session_not_opened_at_the_staff_door_is_refused(client):
    client.force_login(make_staff())  # e.g. a session from the customer door: no staff login time
    assert client.get("/backoffice/").status_code == 302


def test_staff_session_ends_after_ten_minutes_idle(client):
    staff_session(client, make_staff())
    assert client.get("/backoffice/").status_code == 200
    with time_machine.travel(time.time() + 11 * 60, tick=False):
        response = client.get("/backoffice/")
    assert response.status_code == 302 and reverse("backoffice:login") in response["Location"]


def test_staff_session_ends_after_eight_hours_even_when_active(client):
    staff_session(client, make_staff())
    start = time.time()
    for minutes in range(9, 8 * 60, 9):
        with time_machine.travel(start + minutes * 60, tick=False):
            client.get("/backoffice/")
    with time_machine.travel(start + 8 * 3600 + 60, tick=False):
        assert client.get("/backoffice/").status_code == 302


def test_advisor_confirming_financing_gets_403_and_the_refusal_is_audited(client):
    advisor = make_staff(User.Role.ADVISOR)
    app = _application(created_by=advisor, reasons=())
    staff_session(client, advisor)
    response = client.post(reverse("backoffice:application_act", args=[app.pk]), {"act": "confirm_financing"})
    assert response.status_code == 403
    refused = StaffAction.objects.get(actor=advisor, action="confirm_financing")
    assert refused.allowed is False and refused.customer == app.customer
    app.refresh_from_db()
    assert app.status == "signed"


def test_advisor_cannot_approve_an_exception_at_all(client):
    advisor = make_staff(User.Role.ADVISOR)
    app = _application(created_by=make_staff(User.Role.ADVISOR))
    staff_session(client, advisor)
    response = client.post(reverse("backoffice:application_act", args=[app.pk]), {"act": "approve_exception"})
    assert response.status_code == 403
    assert StaffAction.objects.filter(actor=advisor, action="approve_exception", allowed=False).exists()


def test_supervisor_cannot_approve_the_exception_of_their_own_file(client):
    supervisor = make_staff(User.Role.SUPERVISOR)
    app = _application(created_by=supervisor)
    staff_session(client, supervisor)
    response = client.post(reverse("backoffice:application_act", args=[app.pk]), {"act": "approve_exception"})
    assert response.status_code == 403
    assert ApplicationReview.objects.get(application=app).approved_at is None
    refused = StaffAction.objects.get(actor=supervisor, action="approve_exception")
    assert refused.allowed is False and refused.detail.get("reason") == "own_file"


def test_another_supervisor_approves_the_exception_and_it_is_audited(client):
    app = _application(created_by=make_staff(User.Role.ADVISOR))
    supervisor = make_staff(User.Role.SUPERVISOR)
    staff_session(client, supervisor)
    client.post(reverse("backoffice:application_act", args=[app.pk]), {"act": "approve_exception"})
    review = ApplicationReview.objects.get(application=app)
    assert review.approved_by == supervisor
    assert StaffAction.objects.filter(actor=supervisor, action="approve_exception", allowed=True).exists()


def test_signature_cannot_be_requested_while_an_exception_awaits_approval(client):
    advisor = make_staff(User.Role.ADVISOR)
    app = _application(created_by=advisor)
    Application.objects.filter(pk=app.pk).update(status="draft")
    staff_session(client, advisor)
    client.post(reverse("backoffice:application_act", args=[app.pk]), {"act": "request_signature"})
    assert not app.signature_requests.exists()


def test_compliance_reads_the_audit_trail_but_an_advisor_cannot(client):
    staff_session(client, make_staff(User.Role.COMPLIANCE))
    assert client.get(reverse("backoffice:audit")).status_code == 200
    client.logout()
    staff_session(client, make_staff(User.Role.ADVISOR))
    assert client.get(reverse("backoffice:audit")).status_code == 403


def test_compliance_is_read_only_on_complaints(client):
    from guichet.support.services import file_complaint

    complaint = file_complaint(customer=make_customer(), subject="Frais", body="Je conteste des frais.")
    staff_session(client, make_staff(User.Role.COMPLIANCE))
    assert client.get(reverse("backoffice:complaint", args=[complaint.pk])).status_code == 200
    response = client.post(reverse("backoffice:complaint_act", args=[complaint.pk]), {"act": "acknowledge"})
    assert response.status_code == 403


def test_search_finds_a_customer_by_contract_number_name_and_email(client):
    from tests.factories import make_contract

    customer = make_customer(last_name="Durand-Unique")
    contract = make_contract(customer)
    staff_session(client, make_staff())
    for q in (contract.number, "Durand-Unique", customer.email):
        page = client.get(reverse("backoffice:search"), {"q": q}).content.decode()
        assert reverse("backoffice:customer", args=[customer.pk]) in page, q


def test_customer_360_shows_contracts_and_is_audited(client):
    from tests.factories import make_contract

    customer = make_customer()
    contract = make_contract(customer)
    advisor = make_staff()
    staff_session(client, advisor)
    page = client.get(reverse("backoffice:customer", args=[customer.pk])).content.decode()
    assert contract.number in page
    assert StaffAction.objects.filter(actor=advisor, action="view_customer", customer=customer).exists()
