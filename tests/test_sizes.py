"""Size limits in src/eevee: modules under 500 lines, functions and methods under 80.

The cartridge generators (src/eevee/cartridges/gen/) are exempt: they are data-heavy
program text for the homebrew games, not agent code.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "eevee"
EXEMPT = SRC / "cartridges" / "gen"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if EXEMPT not in p.parents)


def _rel(path: Path) -> str:
    return str(path.relative_to(SRC.parents[1]))


def _function_lengths(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, first line, lines from ``def`` to its last line) of every function
    and method in ``tree``, nested ones included (decorators not counted)."""
    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                end = child.end_lineno or child.lineno
                out.append((name, child.lineno, end - child.lineno + 1))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def test_modules_are_under_the_line_limit() -> None:
    long = []
    for path in _modules():
        n = len(path.read_text().splitlines())
        if n > MAX_MODULE_LINES:
            long.append(f"{_rel(path)}: {n} lines")
    assert not long, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(long)


def test_functions_are_under_the_line_limit() -> None:
    long = []
    for path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for name, line, n in _function_lengths(tree):
            if n > MAX_FUNCTION_LINES:
                long.append(f"{_rel(path)}:{line} {name}: {n} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(long)


def test_function_lengths_are_measured_from_def_to_last_line() -> None:
    code = "class A:\n    def f(self):\n        def g():\n            pass\n        return 1\n"
    assert _function_lengths(ast.parse(code)) == [("A.f", 2, 4), ("A.f.g", 3, 2)]
