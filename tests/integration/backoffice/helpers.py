"""Helpers for back-office tests: a staff session as the staff door opens it, sample files."""

from __future__ import annotations

import io
import time

from pypdf import PdfWriter

from guichet.backoffice.signin import LAST_SEEN_KEY, LOGIN_AT_KEY


def staff_session(client, user) -> None:  # type: ignore[no-untyped-def]
    """Sign ``user`` in as the staff door does after the second factor (login time set)."""
    client.force_login(user)
    session = client.session
    now = int(time.time())
    session[LOGIN_AT_KEY] = now
    session[LAST_SEEN_KEY] = now
    session.save()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG_AS_PDF = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n garbage without xref"
