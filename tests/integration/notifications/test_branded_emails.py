"""Emails are branded per lender (issue 16, seed 003): sent in the lender's name, with an HTML part in
its layout whose button opens the customer space, the footer "Cet email a été envoyé automatiquement",
and a text part for the mail readers that show no HTML."""

from __future__ import annotations

import pytest

from guichet.lenders.profile import _profile_for
from guichet.notifications.email import send_email

pytestmark = pytest.mark.django_db
LINK = "https://espace.example/invitation/abc/"


def _send(template: str = "invitation", **context) -> None:
    send_email(
        to="maia@example.nc",
        subject="Votre espace client est prêt !",
        template=template,
        context={"link": LINK, "code": "AB12CD34", "first_name": "Maïa", **context},
    )


def test_an_invitation_comes_in_the_lenders_name_with_a_button_and_a_text_part(mailbox, settings):
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    _send()
    mail = mailbox.last_to("maia@example.nc")
    assert str(mail["From"]) == "Crédit Démo Calédonie <contact@credit-demo.nc>"
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="{LINK}"' in html and "Me connecter à mon espace client" in html
    assert "Cet email a été envoyé automatiquement" in html and "Crédit Démo Calédonie" in html
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert LINK in text and "Cet email a été envoyé automatiquement" in text


def test_a_reset_email_button_says_what_it_does(mailbox):
    _send("password_reset", lifetime="24 heures")
    html = mailbox.last_to("maia@example.nc").get_body(preferencelist=("html",)).get_content()
    assert "Réinitialiser mon mot de passe" in html


def test_every_text_part_ends_with_the_automatic_footer(mailbox):
    _send("password_changed", at=None)
    text = mailbox.text(mailbox.last_to("maia@example.nc"))
    assert "Cet email a été envoyé automatiquement" in text
