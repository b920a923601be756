"""One error family (issue 10): no portal view or API router chooses which domain refusals to catch. A
refusal (a ``guichet.errors.GuichetError``) reaches the page through ``refusals_as_messages`` /
``refusals_on_form`` / ``refusals`` (a view that answers one refusal differently on purpose decides by its
stable ``code``), and the API through the one handler ``guichet.api.common.on_guichet_error``.

The scan reads every ``except`` of ``guichet/portal/views`` and ``guichet/api``, resolves each class it
names in its module, and accepts only the exceptions listed in ``ALLOWED``, none of which is a refusal.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import django.core.exceptions
from django.http import Http404
from django.urls import NoReverseMatch, Resolver404

from guichet.errors import GuichetError
from guichet.signing.pages import PageUnavailable

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "guichet" / "portal" / "views", ROOT / "guichet" / "api"]

# What a page or a route may still catch itself, and why: none of these is a business refusal.
ALLOWED: dict[type[BaseException], str] = {
    ValueError: "text typed in a form that is not a date or a number (parse_date, int()): the input's error",
    TypeError: "parse_date given nothing: the input's error",
    KeyError: "a form field missing from the request (revolving 'day'): the input's error",
    django.core.exceptions.ObjectDoesNotExist: "a row that is not the person's: a 404 or the field's error",
    Http404: "Django's not-found, turned into the API's 401 when the caller is not a customer",
    Resolver404: "a 'next' address that is not one of the site's pages: ignored",
    NoReverseMatch: "a URL name not installed in this deployment: the fallback page",
    FileNotFoundError: "a stored document whose file is missing: a 404",
    PageUnavailable: "a contract page image that cannot be drawn: a 404",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    raise AssertionError(f"cannot read the except clause {ast.dump(node)}")


def _resolve(module: object, dotted: str) -> object:
    head, *rest = dotted.split(".")
    value = getattr(module, head, None)
    if value is None:
        value = __builtins__[head] if isinstance(__builtins__, dict) else getattr(__builtins__, head)
    for part in rest:
        value = getattr(value, part)
    return value


def caught_classes(packages: list[Path]) -> list[tuple[str, type[BaseException]]]:
    """``("path:line Name", class)`` for every class an ``except`` names in ``packages``."""
    found = []
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            module = importlib.import_module(".".join(relative.parts))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ExceptHandler) or node.type is None:
                    continue
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                for name in names:
                    dotted = _dotted(name)
                    where = f"{relative.as_posix()}.py:{node.lineno} {dotted}"
                    found.append((where, _resolve(module, dotted)))
    return found


def refusals_caught_outside_the_family(packages: list[Path]) -> list[str]:
    return [
        where
        for where, cls in caught_classes(packages)
        if issubclass(cls, GuichetError) or not issubclass(cls, tuple(ALLOWED))
    ]


def test_no_portal_view_or_api_router_catches_a_refusal_itself():
    assert refusals_caught_outside_the_family(PACKAGES) == [], (
        "Let the refusal reach guichet.errors (refusals_on_form / refusals_as_messages / refusals, "
        "deciding by refused.code) or the API's on_guichet_error; list any other exception in ALLOWED."
    )


def test_no_allowed_exception_is_a_refusal():
    assert [cls for cls in ALLOWED if issubclass(cls, GuichetError)] == []


def test_the_scan_sees_a_refusal_caught_in_a_view(tmp_path, monkeypatch):
    # The scan itself: a view catching a domain refusal, or an exception not in ALLOWED, is found.
    package = tmp_path / "views_scan_probe"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "page.py").write_text(
        "from guichet.customers.exceptions import CodeError\n"
        "def page(request):\n"
        "    try:\n        pass\n    except (ValueError, CodeError):\n        pass\n"
        "    try:\n        pass\n    except RuntimeError:\n        pass\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert refusals_caught_outside_the_family([package]) == [
        "views_scan_probe/page.py:5 CodeError",
        "views_scan_probe/page.py:9 RuntimeError",
    ]
