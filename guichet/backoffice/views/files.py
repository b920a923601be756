"""Serving private uploads: never rendered by the browser as a page, never cached, never framed."""

from __future__ import annotations

from django.http import HttpResponse


def private_file_response(data: bytes, *, mime: str, name: str, extension: str = "") -> HttpResponse:
    ext = extension or {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(mime, "bin")
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
