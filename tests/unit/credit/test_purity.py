"""guichet.credit stays pure: no Django import, no float (DESIGN.md "Dependency direction")."""

import ast
from pathlib import Path

import guichet.credit

SOURCES = sorted(Path(guichet.credit.__file__).parent.glob("*.py"))


def _trees():
    for path in SOURCES:
        yield path, ast.parse(path.read_text())


def test_the_finance_core_imports_no_django():
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "django" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "django", path


def test_the_finance_core_has_no_float_literal_and_never_calls_float():
    for path, tree in _trees():
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), (path, node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "float", (path, node.lineno)
