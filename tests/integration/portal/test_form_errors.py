"""Form errors are sentences a person reads (issue 16): a weak password gets "Votre mot de passe doit
comporter : une majuscule, un chiffre.", not the fragments "une majuscule" and "un chiffre"."""

from __future__ import annotations

import pytest

from guichet.portal.views.auth_forms import NewPasswordForm

pytestmark = pytest.mark.django_db


def test_a_weak_password_is_refused_in_one_sentence():
    form = NewPasswordForm(data={"password": "abcdefgh", "confirm": "abcdefgh"})
    assert not form.is_valid()
    assert form.errors["password"] == ["Votre mot de passe doit comporter : une majuscule, un chiffre."]
