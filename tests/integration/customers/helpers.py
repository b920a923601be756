"""Shared helpers of the sign-in tests: links and codes read from the real mail server and SMS outbox."""

from __future__ import annotations

import re

from django.test import Client

PASSWORD = "Guichet-Demo-2026!"
NEW_PASSWORD = "Nouveau-Secret-2027?"


def link_in(text: str, fragment: str) -> str:
    """The path of the first link in ``text`` containing ``fragment``."""
    match = re.search(r"https?://[^/\s]+(\S*?" + re.escape(fragment) + r"\S*)", text)
    assert match, f"no link with {fragment!r} in:\n{text}"
    return match.group(1)


def code_in(text: str) -> str:
    match = re.search(r"\b([A-Z0-9]{4,8})\b", text.split("code", 1)[-1])
    assert match, f"no code in {text!r}"
    return match.group(1)


def sms_code(text: str) -> str:
    match = re.search(r"\b(\d{4,8})\b", text)
    assert match, f"no code in SMS {text!r}"
    return match.group(1)


def login(client: Client, email: str, password: str = PASSWORD, **extra: object):
    return client.post("/connexion/", {"email": email, "password": password}, **extra)


def without_csrf(html: str) -> str:
    """The page without its masked CSRF token, which differs at every rendering by design."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
