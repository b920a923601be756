"""Shared helpers for the customer-space tests: read texts out of pages and PDFs the way a person would."""

from __future__ import annotations

import html as html_lib
import re
import subprocess

SPACES = re.compile(r"[\s\u00a0\u202f]+")


def norm(text: str) -> str:
    """Collapse every kind of space (babel uses U+202F and U+00A0) so page and PDF texts compare."""
    return SPACES.sub(" ", html_lib.unescape(text)).strip()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as poppler's ``pdftotext -layout`` reads it, spaces normalised."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return norm(out.stdout.decode("utf-8"))


def calendar_rows(page_html: str) -> list[list[str]]:
    """The cells of each row of the page's repayment calendar (``<table id="calendar">``)."""
    table = page_html[page_html.index('<table id="calendar">') :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") :]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = [
            norm(re.sub(r"<[^>]+>", "", td)) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        ]
        if len(cells) > 1:
            rows.append(cells)
    return rows


def dd_after(page_html: str, label: str) -> str:
    """The ``<dd>`` that follows the ``<dt>`` reading ``label``."""
    match = re.search(rf"<dt>\s*{re.escape(label)}\s*</dt>\s*<dd[^>]*>(.*?)</dd>", page_html, flags=re.S)
    assert match, f"no <dt>{label}</dt> on the page"
    return norm(re.sub(r"<[^>]+>", "", match.group(1)))


def page_text(page_html: str) -> str:
    """The visible text of a page: tags dropped, spaces normalised."""
    return norm(re.sub(r"<[^>]+>", " ", page_html))
