"""The staff audit trail is written by the service that changes state, in its transaction, never by a
page (issue 10): no module of the back office's or the portal's views calls ``audit``, ``record`` or
``record_action``. A refusal is recorded by ``backoffice.permissions.require``, which views call.
Likewise the service decides its transaction: no view or API router opens one or locks rows."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEW_PACKAGES = [ROOT / "guichet" / "backoffice" / "views", ROOT / "guichet" / "portal" / "views"]
WEB_PACKAGES = [*VIEW_PACKAGES, ROOT / "guichet" / "api"]
WRITERS = {"audit", "record", "record_if_staff", "record_action"}
TRANSACTIONS = {"atomic", "select_for_update", "on_commit"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def calls_in(packages: list[Path], names: set[str]) -> list[str]:
    found = []
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and _called_name(node) in names:
                    found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {_called_name(node)}()")
    return found


def audit_calls_in_views() -> list[str]:
    return calls_in(VIEW_PACKAGES, WRITERS)


def test_no_view_writes_the_staff_audit_trail():
    assert audit_calls_in_views() == [], "Record the action in the service that performs it."


def test_no_view_or_api_router_decides_a_transaction():
    assert calls_in(WEB_PACKAGES, TRANSACTIONS) == [], "Open the transaction in the service."


def test_the_scan_sees_a_call_written_in_a_view(tmp_path, monkeypatch):
    # The scan itself: a view calling audit() is found (so an empty result above means something).
    views = tmp_path / "views"
    views.mkdir()
    (views / "page.py").write_text("def page(request):\n    audit(request, 'x')\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "VIEW_PACKAGES", [views])
    assert audit_calls_in_views() == ["views/page.py:2 audit()"]
