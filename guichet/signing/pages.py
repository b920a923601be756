"""The document to sign shown page by page: PNG images of the very PDF whose SHA-256 the code is bound to.

Pages are rasterised with poppler's ``pdftoppm`` on first request and cached next to the PDF, keyed
by the document's hash, so what the customer scrolls through is the signed file, not a look-alike.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from .models import SignatureRequest

DPI = 110


class PageUnavailable(RuntimeError):
    """The page does not exist or could not be rendered."""


@dataclass(frozen=True)
class PageSize:
    number: int
    width: int
    height: int


def page_sizes(request: SignatureRequest) -> list[PageSize]:
    """Pixel sizes of every page at ``DPI`` (for the img width/height, so the layout does not jump)."""
    from pypdf import PdfReader

    with request.document.open("rb") as fh:
        reader = PdfReader(BytesIO(fh.read()))
    sizes = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        sizes.append(
            PageSize(number, round(float(box.width) * DPI / 72), round(float(box.height) * DPI / 72))
        )
    return sizes


def page_png(request: SignatureRequest, number: int) -> bytes:
    """PNG of page ``number`` (1-based) of the request's document."""
    if not 1 <= number <= request.page_count:
        raise PageUnavailable(f"Page {number} is outside 1..{request.page_count}.")
    source = Path(request.document.path)
    cached = source.parent / "pages" / f"{request.document_sha256[:16]}-{number}.png"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        command = ["pdftoppm", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-singlefile"]
        try:
            subprocess.run(  # noqa: S603 (fixed argv, paths we built)
                [*command, str(source), str(cached.with_suffix(""))],
                check=True,
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PageUnavailable(f"pdftoppm failed on page {number}: {exc}") from exc
    return cached.read_bytes()
