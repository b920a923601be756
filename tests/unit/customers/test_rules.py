"""Pure rules of the customers app (no database): password rules per profile, networks, risk levels,
code shapes and masking."""

from __future__ import annotations

from guichet.customers.codes import INVITATION_ALPHABET, mask_email, mask_phone
from guichet.customers.events import network_of
from guichet.customers.passwords import password_rules_sentence, unmet_rules
from guichet.customers.risk import Risk
from guichet.lenders.profile import SecurityPolicy

NC = SecurityPolicy()  # the defaults are the New Caledonian (stricter) policy
FR = SecurityPolicy(password_min_length=8, password_classes=("lower", "upper", "digit"))


def test_each_unmet_rule_is_listed_in_french() -> None:
    assert unmet_rules("abc", NC) == [
        "au moins 12 caractères",
        "une majuscule",
        "un chiffre",
        "un caractère spécial",
    ]
    assert unmet_rules("Abcdefgh12;x", NC) == []
    assert unmet_rules("Abcdefg1", FR) == []


def test_accented_letters_count_as_lower_and_upper_case() -> None:
    assert unmet_rules("ÉléphantRose9!", NC) == []


def test_rules_sentence_matches_seed_003_wording() -> None:
    # Seed 003: "Le mot de passe doit comporter au moins 12 caractères dont une minuscule, une majuscule,
    # un chiffre et un caractère spécial."
    assert password_rules_sentence(NC) == (
        "Le mot de passe doit comporter au moins 12 caractères dont une minuscule, une majuscule, "
        "un chiffre et un caractère spécial."
    )


def test_networks_are_slash_24_and_slash_48() -> None:
    assert network_of("192.0.2.77") == "192.0.2.0/24"
    assert network_of("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert network_of(None) == ""


def test_risk_levels() -> None:
    assert Risk(("new_device",)).level == "low"
    assert Risk(("new_device", "new_network")).level == "medium"
    assert Risk(("new_device", "new_network", "unusual_hour")).level == "high"
    # What others do from the same address asks an SMS code, never suspends (issue 11, item 3).
    assert Risk(("many_accounts", "unusual_hour")).level == "medium"
    assert Risk(("many_accounts", "new_device", "new_network")).level == "medium"
    assert Risk(("locked",)).level == "medium"


def test_invitation_alphabet_has_no_look_alikes() -> None:
    assert len(INVITATION_ALPHABET) == 32 and not set("01OI") & set(INVITATION_ALPHABET)


def test_destinations_are_masked() -> None:
    assert mask_phone("+33612345678") == "+33•••••••78"
    assert mask_email("camille@example.test") == "c•••@example.test"
