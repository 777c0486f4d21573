"""The agent never reads the solution: no module it imports names the walkthrough.

Every ``eevee`` module that :mod:`eevee.agents.three_layer` imports, transitively, is found
by reading the sources with :mod:`ast` (imports inside functions and under
``TYPE_CHECKING``, relative imports, ``importlib.import_module("eevee...")`` and the
packages whose ``__init__`` an import runs all count). None of them may import
``eevee.cartridges`` (where the ROMs, ground truth and scripted solvers live), contain a
string literal naming ``truth.json`` or ``solver.json``, or a string literal that is a
walkthrough key (quest steps, doors, healer location, area sizes, NPC counts): the agent
plays from what the profile says (the game's manual and status screen) and the screen.

Docstrings are prose and do not count; neither does the one table that names the
walkthrough keys in order to refuse them (``WALKTHROUGH_KEYS`` in eevee/profiles/hints.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from astimports import from_module, literal_module

SRC = Path(__file__).resolve().parents[1] / "src" / "eevee"
ROOT_MODULE = "eevee.agents.three_layer"
FORBIDDEN_FILES = ("truth.json", "solver.json")
WALKTHROUGH_KEYS = ("quest_steps", "doors", "healer_target", "area_sizes", "npc_counts")
FORBIDDEN_PACKAGE = "eevee.cartridges"
#: module -> name of the module-level table allowed to name the walkthrough keys
REFUSAL_TABLES = {"eevee.profiles.hints": "WALKTHROUGH_KEYS"}


def _path(module: str) -> Path | None:
    """The source file of an ``eevee`` module or package (None: not one of ours)."""
    parts = module.split(".")
    if parts[0] != "eevee":
        return None
    base = SRC.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _with_parents(module: str) -> list[str]:
    """``a.b.c`` → ``[a, a.b, a.b.c]``: importing a module runs its packages' ``__init__``."""
    parts = module.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _imported(module: str, tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module name) of every import in ``module``'s ``tree``, resolved to absolute
    names; ``from p import n`` yields ``p`` and ``p.n`` (which may be a submodule)."""
    is_package = _path(module) == SRC.joinpath(*module.split(".")[1:], "__init__.py")
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            source = from_module(node, package)
            yield node.lineno, source
            for alias in node.names:
                yield node.lineno, f"{source}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            name = literal_module(node.args[0]) if called in ("import_module", "__import__") \
                else None
            if name:
                yield node.lineno, name


def _parse(module: str) -> ast.Module:
    path = _path(module)
    assert path is not None, module
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def agent_modules(root: str = ROOT_MODULE) -> list[str]:
    """Every ``eevee`` module ``root`` imports, transitively (``root`` and its packages
    included), sorted."""
    seen: set[str] = set()
    todo = [m for m in _with_parents(root) if _path(m)]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for _, name in _imported(module, _parse(module)):
            todo.extend(m for m in _with_parents(name) if m not in seen and _path(m))
    return sorted(seen)


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes in ``tree``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _refusal_table(module: str, tree: ast.Module) -> set[int]:
    """ids of the string nodes inside ``module``'s allowed refusal table, if it has one."""
    name = REFUSAL_TABLES.get(module)
    out: set[int] = set()
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if name and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            out.update(id(n) for n in ast.walk(node))
    return out


def offences(module: str) -> list[str]:
    """``file:line: what`` for every way ``module`` could read the solution."""
    path = _path(module)
    assert path is not None
    return _offences(module, _parse(module), str(path.relative_to(SRC.parents[1])))


def _offences(module: str, tree: ast.Module, where: str) -> list[str]:
    found: list[str] = []
    for line, name in _imported(module, tree):
        if name == FORBIDDEN_PACKAGE or name.startswith(FORBIDDEN_PACKAGE + "."):
            found.append(f"{where}:{line}: imports {name}")
    skip = _docstrings(tree) | _refusal_table(module, tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip:
            continue
        text = node.value
        for bad in FORBIDDEN_FILES:
            if bad in text:
                found.append(f"{where}:{node.lineno}: string {text!r} names {bad}")
        if text in WALKTHROUGH_KEYS:
            found.append(f"{where}:{node.lineno}: string {text!r} is a walkthrough key")
    return sorted(set(found))


def test_the_agent_imports_a_known_set_of_modules() -> None:
    modules = agent_modules()
    assert ROOT_MODULE in modules and "eevee" in modules and "eevee.agents" in modules
    assert "eevee.profiles.profile" in modules  # it reads the profile (never the solution)


def test_the_agent_never_reads_the_walkthrough() -> None:
    found = [line for module in agent_modules() for line in offences(module)]
    assert not found, (
        f"modules imported by {ROOT_MODULE} read the walkthrough or the solution "
        "(only tests and benchmarks may):\n" + "\n".join(found)
    )


def test_the_checker_names_file_line_and_string() -> None:
    """The checks themselves: an import, a key read, a path; docstrings are fine."""
    source = (
        '"""Reads quest_steps? No: doors."""\n'
        "from eevee.cartridges.solver import walkthrough\n"
        "def f(h):\n"
        '    """doors"""\n'
        '    return h.get("doors"), h["npc_counts"], "data/quest/truth.json"\n'
    )
    assert _offences("eevee.fake", ast.parse(source), "src/eevee/fake.py") == [
        "src/eevee/fake.py:2: imports eevee.cartridges.solver",
        "src/eevee/fake.py:2: imports eevee.cartridges.solver.walkthrough",
        "src/eevee/fake.py:5: string 'data/quest/truth.json' names truth.json",
        "src/eevee/fake.py:5: string 'doors' is a walkthrough key",
        "src/eevee/fake.py:5: string 'npc_counts' is a walkthrough key",
    ]
    table = 'WALKTHROUGH_KEYS = {"doors": "truth.json"}\n'
    assert _offences("eevee.profiles.hints", ast.parse(table), "h.py") == []
    assert _offences("eevee.other", ast.parse(table), "o.py") == [
        "o.py:1: string 'doors' is a walkthrough key",
        "o.py:1: string 'truth.json' names truth.json",
    ]
