"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), HMAC-SHA1, 6 digits, 30-second steps.

Pure standard library so that the second factor adds no dependency; any authenticator app
(FreeOTP, Aegis, Google Authenticator) reads the ``otpauth://`` URI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # accept the previous and next step: phone clocks drift


def new_secret() -> str:
    """A random 160-bit secret, base32 without padding (RFC 4226 recommends at least 128 bits)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 section 5.3: dynamic truncation of HMAC-SHA1(key, counter)."""
    mac = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: str, at: float | None = None) -> str:
    return hotp(secret, step_at(at))


def match_step(
    secret: str, code: str, *, at: float | None = None, after_step: int | None = None
) -> int | None:
    """The time step ``code`` belongs to (within the drift window), or None.

    Steps at or before ``after_step`` (the last one used) are refused: a code cannot be replayed.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == DIGITS):
        return None
    now = step_at(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": 30}
    )
    return f"otpauth://totp/{label}?{query}"
