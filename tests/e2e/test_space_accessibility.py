"""No serious or critical axe-core violation on the customer space's main pages, on a 375 px screen."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_space_customer import PHONE_WIDTH, sign_in
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db(transaction=True)
BLOCKING = ("serious", "critical")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_space_pages_have_no_serious_axe_violation_at_375px(live_server, browser, sms_outbox):
    from guichet.documents.services import deliver_document

    user = make_user()
    contract = make_contract(user.customer, amount="3000.00", term_months=12)
    pdf = b"%PDF-1.4\n%%EOF\n"
    deliver_document(customer=user.customer, kind="statement", title="Relevé", pdf=pdf, notify=False)
    # The CSP forbids injected scripts; axe is injected by the test, so the context bypasses it.
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 800}, bypass_csp=True, locale="fr-FR"
    )
    page = context.new_page()
    sign_in(page, live_server.url, user, sms_outbox)
    axe = Axe()
    problems = {}
    for path in (
        "/espace/",
        f"/espace/contrats/{contract.number}/",
        "/espace/documents/",
        "/espace/profil/",
        "/aide/",
    ):
        page.goto(live_server.url + path)
        violations = axe.run(page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in BLOCKING
        ]
        if blocking:
            problems[path] = blocking
    context.close()
    assert not problems, problems
