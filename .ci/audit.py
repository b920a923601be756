"""pip-audit for CI: fail on any known vulnerability; say loudly when nothing could be audited.

pip-audit needs its vulnerability database (PyPI's JSON API or OSV) over the network. When it cannot
reach it (no network on the CI machine, a private index that is not PyPI), it reports every package as
"could not be audited" and still prints "No known vulnerabilities found". This wrapper tells the two
apart: vulnerabilities → exit 1; database unreachable → a clear NOT AUDITED notice and exit 0, so CI
does not fail on a network error but nobody mistakes it for a clean audit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def _why_unreachable() -> str:
    """Say which part of PyPI is missing. pip-audit reads the per-version JSON API
    (https://pypi.org/pypi/<name>/<version>/json, which lists that version's vulnerabilities); some
    registry proxies serve only the simple index and the per-project JSON. Seen on our CI machines
    (December 2026): /simple/django/ and /pypi/django/json answer 200, /pypi/django/5.2.19/json answers
    404, so pip-audit reports every package as "not found on PyPI". The per-project JSON only lists
    the vulnerabilities of the newest release, so it cannot stand in."""
    import importlib.metadata
    import urllib.error
    import urllib.request

    def status(url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (fixed https URLs)
                return str(answer.status)
        except urllib.error.HTTPError as exc:
            return str(exc.code)
        except OSError as exc:
            return f"unreachable: {exc.__class__.__name__}"

    version = importlib.metadata.version("django")
    per_version = status(f"https://pypi.org/pypi/django/{version}/json")
    simple = status("https://pypi.org/simple/django/")
    return (
        f"PyPI's per-version JSON answered {per_version} for django {version}, its simple index {simple}: "
        "the vulnerability data pip-audit needs is not served to this machine"
    )


def main() -> int:
    command = [str(PIP_AUDIT), "--progress-spinner", "off", "--format", "json", "--skip-editable"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"pip-audit: NOT AUDITED — could not run pip-audit ({exc}).")
        return 0
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT AUDITED — the vulnerability database is unreachable ({last[:200]}).")
        return 0
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep.get('version', '')} is vulnerable: {ids}")
    audited = len(deps) - len(skipped)
    if vulnerable:
        print(f"pip-audit: FAILED — {len(vulnerable)} vulnerable package(s).")
        return 1
    if audited == 0:
        print(
            f"pip-audit: NOT AUDITED — none of the {len(deps)} packages could be checked "
            f"({_why_unreachable()}). This is not a clean audit."
        )
        return 0
    print(f"pip-audit: no known vulnerability in {audited} package(s); {len(skipped)} could not be checked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
