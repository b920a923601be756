"""One error family (issue 10): a domain refusal carries a stable code and one message, shown the same
on a page and in the API (``guichet.errors``). The API side through a route is
``tests/integration/security/test_amount_bounds.py`` (``invalid_amount`` from ``AmountRefused``)."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from guichet.api.common import on_guichet_error
from guichet.errors import GuichetError, api_error, message_for
from guichet.loans.errors import LoansError
from guichet.onboarding.kyc import KycError
from guichet.onboarding.kyc_models import KycFile
from guichet.onboarding.uploads import UploadRefused
from guichet.payments.amounts import AmountRefused
from guichet.payments.errors import EarlyRepaymentRefused
from guichet.payments.simulations import ContractNotFound, SimulationRefused
from guichet.support.forbearance import ForbearanceError
from tests.factories import make_staff, make_user

from .helpers import pdf_bytes, png_bytes, staff_session

pytestmark = pytest.mark.django_db


def test_every_family_is_a_guichet_error_with_its_own_stable_code():
    codes = {
        KycError: "kyc_refused",
        ForbearanceError: "forbearance_refused",
        UploadRefused: "upload_refused",
        LoansError: "loan_refused",
        # the API's documented codes stay what clients rely on
        SimulationRefused: "refused",
        EarlyRepaymentRefused: "refused",
        AmountRefused: "invalid_amount",
        ContractNotFound: "not_found",
    }
    assert {cls: cls.code for cls in codes} == codes
    assert all(issubclass(cls, GuichetError) for cls in codes)
    assert ContractNotFound.status == 404 and KycError.status == 409


def test_a_refusal_says_the_same_on_the_page_and_in_the_api(client):
    owner = make_user()
    from guichet.onboarding import kyc

    kyc.submit_identity_documents(customer=owner.customer, identity=pdf_bytes(), address=png_bytes())
    kyc_file = KycFile.objects.get(customer=owner.customer)
    staff_session(client, make_staff())
    # Rejecting without a reason is refused by the service (KycError), shown as the page's message.
    response = client.post(reverse("backoffice:kyc_decide", args=[kyc_file.pk]), {"decision": "reject"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "backoffice:kyc_review", args=[kyc_file.pk]
    )
    page = [str(m) for m in get_messages(response.wsgi_request)]
    refusal = KycError("Indiquez le motif du refus : il sera communiqué au client.")
    assert page == [message_for(refusal)]
    api = on_guichet_error(None, refusal)
    assert api.status_code == 409
    assert json.loads(api.content) == {"detail": page[0], "code": "kyc_refused"}
    assert api_error(refusal) == (409, {"detail": page[0], "code": "kyc_refused"})


def test_a_refusal_without_a_sentence_still_says_something_in_the_persons_language():
    from django.utils import translation

    with translation.override("en"):
        assert message_for(GuichetError()) == "Operation refused."
    with translation.override("fr"):
        assert message_for(GuichetError()) == "Opération refusée."
