"""The dashboard's tasks box: every task source read in one query (issue 15), with the same tasks."""

import pytest

import guichet.portal.views.kyc
import guichet.portal.views.signing  # noqa: F401  (registers the signature task source)
from guichet.onboarding.kyc import kyc_task
from guichet.portal.tasks import pending_tasks_for
from guichet.portal.views.signing import signature_tasks
from tests.factories import verify_identity

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_tasks_box_finds_the_kyc_and_signature_tasks_in_one_query(
    signature_request, customer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        tasks = pending_tasks_for(customer)
    assert [t.kind for t in tasks] == ["kyc"] * len(kyc_task(customer)) + ["signature"]
    assert tasks[-1] == signature_tasks(customer)[0]
    assert tasks[-1].detail == signature_request.title


def test_an_approved_identity_leaves_only_the_signature_task(
    signature_request, customer, django_assert_num_queries
):
    verify_identity(customer)
    with django_assert_num_queries(1):
        tasks = pending_tasks_for(customer)
    assert [t.kind for t in tasks] == ["signature"]
