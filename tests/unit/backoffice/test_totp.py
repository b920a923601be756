"""TOTP (RFC 6238) against the RFC's own test vectors, and the replay/drift rules."""

import base64

from guichet.backoffice import totp

# RFC 6238 Appendix B, SHA-1, secret "12345678901234567890", 8 digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")]


def test_hotp_matches_rfc6238_appendix_b_vectors():
    for at, expected in RFC_VECTORS:
        assert totp.hotp(RFC_SECRET, at // 30, digits=8) == expected


def test_code_of_the_current_step_is_accepted_and_returns_its_step():
    at = 1_700_000_000
    assert totp.match_step(RFC_SECRET, totp.totp(RFC_SECRET, at), at=at) == at // 30


def test_code_one_step_old_is_accepted_for_clock_drift_but_not_two():
    at = 1_700_000_000
    assert totp.match_step(RFC_SECRET, totp.totp(RFC_SECRET, at - 30), at=at) is not None
    assert totp.match_step(RFC_SECRET, totp.totp(RFC_SECRET, at - 90), at=at) is None


def test_code_of_an_already_used_step_is_refused():
    at = 1_700_000_000
    code = totp.totp(RFC_SECRET, at)
    assert totp.match_step(RFC_SECRET, code, at=at, after_step=at // 30) is None


def test_malformed_codes_are_refused():
    assert totp.match_step(RFC_SECRET, "12ab56") is None
    assert totp.match_step(RFC_SECRET, "") is None


def test_provisioning_uri_names_issuer_account_and_secret():
    uri = totp.provisioning_uri("ABCDEFGH", account="a@b.test", issuer="Crédit Démo")
    assert uri.startswith("otpauth://totp/") and "secret=ABCDEFGH" in uri and "period=30" in uri
