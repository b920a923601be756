"""The one upload gate: identity documents and message attachments are checked here before storage.

The type is decided by the CONTENT (libmagic), never by the file name, then confirmed by a
structural parse (pypdf opens the PDF, Pillow verifies the image), so an HTML or SVG page
renamed ``.pdf`` or a truncated PDF is refused with a message the customer can act on. A PDF that
carries active content (JavaScript, an automatic or launch action, embedded files, XFA forms) is
refused too: staff open these files, and a PDF reader would run it (OWASP ASVS 4 V12.2).
Accepted files are stored under MEDIA_ROOT (var/private, never served directly) with random names.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from typing import IO

import magic
import pypdf
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from guichet.errors import GuichetError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_MARKUP = {"text/html", "image/svg+xml", "text/xml", "application/xml", "application/xhtml+xml"}


class UploadRefused(GuichetError, ValueError):
    """The file cannot be accepted; the message says why in words the customer understands."""

    code = "upload_refused"


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    mime: str
    extension: str
    sha256: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def _read_bounded(source: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(
            _("Le fichier dépasse la taille maximale de %(mb)d Mo. Réduisez-le et réessayez.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise UploadRefused(_("Le fichier est vide."))
    return data


def _detect(data: bytes) -> str:
    mime = magic.from_buffer(data[:65536], mime=True)
    if mime in _MARKUP or data.lstrip()[:5].lower() in (b"<html", b"<svg ", b"<?xml", b"<!doc"):
        raise UploadRefused(
            _(
                "Ce fichier n'est ni un PDF ni une image : son contenu est une page web (HTML ou SVG), "
                "quel que soit son nom. Envoyez un PDF, un JPEG ou un PNG."
            )
        )
    if mime not in ALLOWED:
        raise UploadRefused(_("Format non accepté. Envoyez un PDF, un JPEG ou un PNG."))
    return mime


def _parse_pdf(data: bytes) -> None:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise UploadRefused(
                _("Ce PDF est protégé par un mot de passe. Envoyez une version non protégée.")
            )
        if len(reader.pages) < 1:
            raise UploadRefused(_("Ce PDF ne contient aucune page."))
        _refuse_active_content(reader)
    except UploadRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds on broken files; all mean the same to the customer
        raise UploadRefused(
            _("Ce PDF est endommagé ou incomplet et ne peut pas être lu. Enregistrez-le de nouveau.")
        ) from exc


# Keys that only exist to carry active content, wherever they appear in the object graph.
_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
# An action (the value of /OpenAction or /A) may only move inside the document or follow a link.
_HARMLESS_ACTIONS = frozenset({"/GoTo", "/URI"})


def _active_content(reader: pypdf.PdfReader) -> str | None:
    """The first active-content key reachable from the trailer, or None. Walks every object once."""
    stack: list[object] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, pypdf.generic.IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, pypdf.generic.DictionaryObject):
            for key, value in obj.items():
                if key in _ACTIVE_KEYS:
                    return str(key)
                if key in ("/OpenAction", "/A"):
                    action = value.get_object()
                    if isinstance(action, pypdf.generic.DictionaryObject) and (
                        action.get("/S") not in _HARMLESS_ACTIONS
                    ):
                        return str(key)
                stack.append(value)
        elif isinstance(obj, pypdf.generic.ArrayObject):
            stack.extend(obj)
    return None


def _refuse_active_content(reader: pypdf.PdfReader) -> None:
    if _active_content(reader) is not None:
        raise UploadRefused(
            _(
                "Ce PDF contient du contenu actif (script, action automatique ou fichier joint) et ne "
                "peut pas être accepté. Imprimez-le en PDF ou numérisez-le, puis envoyez ce nouveau fichier."
            )
        )


def _parse_image(data: bytes, mime: str) -> None:
    expected = {"image/jpeg": "JPEG", "image/png": "PNG"}[mime]
    try:
        with warnings.catch_warnings():
            # A decompression bomb must be refused, not merely warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format
                img.load()
    except Exception as exc:
        raise UploadRefused(
            _("Cette image est endommagée ou incomplète et ne peut pas être lue. Prenez une nouvelle photo.")
        ) from exc
    if fmt != expected:
        raise UploadRefused(_("Format non accepté. Envoyez un PDF, un JPEG ou un PNG."))


def check_upload(
    source: IO[bytes] | bytes, *, name: str = "", max_bytes: int = MAX_UPLOAD_BYTES
) -> CheckedUpload:
    """Read, type by content, parse; raise ``UploadRefused`` on anything but a sound PDF, JPEG or PNG."""
    data = _read_bounded(source, max_bytes)
    mime = _detect(data)
    if mime == "application/pdf":
        _parse_pdf(data)
    else:
        _parse_image(data, mime)
    return CheckedUpload(
        content=data,
        mime=mime,
        extension=ALLOWED[mime],
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=(name or "document")[-120:],
    )


def store_upload(upload: CheckedUpload, *, folder: str) -> str:
    """Save under MEDIA_ROOT/<folder>/ with a random name (the customer's name never reaches the disk)."""
    path = f"{folder}/{secrets.token_hex(16)}.{upload.extension}"
    return default_storage.save(path, ContentFile(upload.content))


def open_stored(path: str) -> bytes:
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def delete_stored(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)
