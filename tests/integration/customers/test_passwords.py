"""Password policy per lender profile, no reuse of the last 5, periodic renewal (seeds 000 and 003)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.customers.models import PasswordHistory, User
from guichet.customers.passwords import password_expired
from guichet.customers.services import PasswordPolicyError, PasswordReuseError, set_password
from guichet.lenders.profile import _profile_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_french_profile_wants_eight_characters_with_upper_lower_digit() -> None:
    # Seed 000: "au moins 8 caractères, incluant des majuscules, des minuscules et des chiffres".
    user = make_user()
    set_password(user=user, raw="Abcdefg1")
    with pytest.raises(PasswordPolicyError) as err:
        set_password(user=user, raw="abcdefgh")
    assert err.value.unmet == ["une majuscule", "un chiffre"]


def test_new_caledonian_profile_wants_twelve_characters_and_four_classes(settings) -> None:
    # Seed 003: "au moins 12 caractères dont une minuscule, une majuscule, un chiffre et un caractère
    # spécial".
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    user = make_user()
    with pytest.raises(PasswordPolicyError) as err:
        set_password(user=user, raw="Abcdefg1")
    assert err.value.unmet == ["au moins 12 caractères", "un caractère spécial"]
    set_password(user=user, raw="Abcdefgh12;x")


def test_none_of_the_last_five_passwords_can_be_reused_but_the_sixth_can() -> None:
    user = make_user()
    PasswordHistory.objects.filter(user=user).delete()
    passwords = [f"Secret{n}Pass" for n in range(6)]
    for raw in passwords:
        set_password(user=user, raw=raw)
    for raw in passwords[1:]:
        with pytest.raises(PasswordReuseError):
            set_password(user=user, raw=raw)
    set_password(user=user, raw=passwords[0])
    assert user.check_password(passwords[0])
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_password_is_stored_with_argon2() -> None:
    user = make_user()
    set_password(user=user, raw="Abcdefg1Z")
    assert User.objects.get(pk=user.pk).password.startswith("argon2")


def test_password_expires_after_profile_max_age() -> None:
    user = make_user()
    set_password(user=user, raw="Abcdefg1Z")
    assert not password_expired(user)
    user.password_changed_at = timezone.now() - timedelta(days=366)
    assert password_expired(user)


def test_renewal_page_enforces_the_policy_and_the_history(client) -> None:
    from .helpers import PASSWORD, login

    user = make_user()
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    login(client, user.email)
    page = client.post("/securite/mot-de-passe/", {"password": "short", "confirm": "short"}).content.decode()
    assert "au moins 8 caractères" in page
    page = client.post(
        "/securite/mot-de-passe/", {"password": PASSWORD, "confirm": PASSWORD}
    ).content.decode()
    assert "différent de vos 5 derniers mots de passe" in page
    response = client.post(
        "/securite/mot-de-passe/", {"password": "Brand-New-2027", "confirm": "Brand-New-2027"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-New-2027") and not password_expired(user)
