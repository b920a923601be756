"""An import of another Guichet app placed inside a function hides a dependency (often a cycle) from
import-linter and from the reader, so it is refused unless a comment on that line, or the line just
above, says why it must be there (issue 10).

``NOT_YET_MOVED`` lists the ones found when the rule was introduced, as ``path -> imported module``:
each is to move to the top of its module, or to get its comment. The list only shrinks: an entry that
no longer occurs fails the second test, so the rule tightens as the code is cleaned.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "guichet"
PRAGMAS = ("noqa", "type:", "pragma", "fmt:")

# Empty since every listed import moved to the top of its module (issue 10); keep it so.
NOT_YET_MOVED: frozenset[str] = frozenset()


def _app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def _says_why(lines: list[str], lineno: int) -> bool:
    """A comment (not a linter pragma) on the import's line or the line just above it."""
    for text in (lines[lineno - 1], lines[lineno - 2] if lineno > 1 else ""):
        _code, sep, comment = text.partition("#")
        comment = comment.strip()
        if sep and comment and not comment.startswith(PRAGMAS):
            return True
    return False


def function_level_imports() -> Iterator[tuple[str, int, str, bool]]:
    """(path, line, imported module, commented) for each import of another app inside a function."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines, app = source.splitlines(), _app_of(path)
        for fn in ast.walk(ast.parse(source)):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                for module in _imported(node):
                    parts = module.split(".")
                    if parts[0] != "guichet" or len(parts) < 2 or parts[1] == app:
                        continue
                    rel = path.relative_to(ROOT).as_posix()
                    yield rel, node.lineno, module, _says_why(lines, node.lineno)


def test_no_function_level_import_of_another_app_without_a_comment_saying_why():
    found = sorted(
        {
            f"{path}:{line} -> {module}"
            for path, line, module, commented in function_level_imports()
            if not commented and f"{path} -> {module}" not in NOT_YET_MOVED
        }
    )
    assert found == [], (
        "Import these at the top of the module, or say in a comment why they must wait for the call "
        f"(a cycle to break is not a reason: break it): {found}"
    )


def test_the_list_of_imports_not_yet_moved_only_shrinks():
    still = {
        f"{path} -> {module}" for path, _line, module, commented in function_level_imports() if not commented
    }
    gone = sorted(NOT_YET_MOVED - still)
    assert gone == [], f"Moved or explained: remove from NOT_YET_MOVED in {__file__}: {gone}"
