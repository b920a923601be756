"""Checks `make test` runs first, so that a missing system part fails with a clear message."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

NEEDS = {
    "/usr/bin/chromium": "Debian package 'chromium' (apt-get install -y chromium) for the e2e suite",
    "pdftotext": "Debian package 'poppler-utils' for reading generated PDFs",
}


def main() -> int:
    missing = [
        why
        for what, why in NEEDS.items()
        if not (Path(what).exists() if what.startswith("/") else shutil.which(what))
    ]
    Path("var/test").mkdir(parents=True, exist_ok=True)
    if missing:
        print("Missing system packages:\n  " + "\n  ".join(missing), file=sys.stderr)
        print(
            "Run: sudo apt-get install -y chromium poppler-utils libmagic1 fonts-dejavu-core", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
