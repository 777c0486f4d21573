"""The import-layer contract: every ``eevee.X`` import in src/eevee goes downward.

Each top-level package (or module) of ``eevee`` has a rank in :data:`RANKS`; a module
may import its own package freely, and any package of a lower rank, never one of its own
rank or above. Imports are read with :mod:`ast`, so imports inside functions, under
``TYPE_CHECKING``, ``from eevee import X`` forms, relative imports and
``importlib.import_module("eevee.X...")`` calls with a literal (or f-string) name all
count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from astimports import from_module, literal_module

SRC = Path(__file__).resolve().parents[1] / "src" / "eevee"

#: rank of each top-level part of ``eevee`` (lowest first); ``__init__`` is
#: ``eevee/__init__.py`` itself (and names imported ``from eevee`` that are not packages)
RANKS: dict[str, int] = {
    "__init__": 0,
    "errors": 0,
    "runtime": 0,
    "emulator": 1,
    "profiles": 2,
    "perception": 3,
    "world": 4,
    "goals": 5,
    "strategists": 6,
    "tactical": 6,
    "reactive": 7,
    "agents": 8,
    "cartridges": 9,
    "replay": 9,
    "runner": 10,
    "bench": 11,
    "cli": 11,
    "dashboard": 11,
}

#: imports allowed between packages of the same rank (importer, imported): ``eevee bench``
#: is a CLI verb, so the command line calls into the benchmarks (never the other way
#: round); ``eevee.errors`` is the root of every package's exceptions, the runtime's too;
#: the command line and the benchmarks start the dashboard (a top-level interface); a
#: replay finds the bundled cartridge whose ROM it was recorded with
SAME_RANK_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {("cli", "bench"), ("cli", "dashboard"), ("bench", "dashboard"), ("runtime", "errors"),
     ("replay", "cartridges")}
)


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _dotted(path: Path) -> list[str]:
    """``src/eevee/a/b.py`` → ``["eevee", "a", "b"]`` (a package's ``__init__`` is dropped)."""
    parts = ["eevee", *path.relative_to(SRC).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _top(path: Path) -> str:
    """The top-level part of ``eevee`` that ``path`` belongs to."""
    first = path.relative_to(SRC).parts[0]
    return first[: -len(".py")] if first.endswith(".py") else first


def _target(name: str) -> str | None:
    """The top-level part of ``eevee`` an absolute module name imports (None: not eevee)."""
    parts = name.split(".")
    if parts[0] != "eevee":
        return None
    return parts[1] if len(parts) > 1 and parts[1] else "__init__"


def _part_or_init(name: str) -> str:
    """What ``from eevee import name`` imports: a top-level package or module of eevee (one
    on disk, or one in the table), else a name defined in ``eevee/__init__.py``."""
    on_disk = (SRC / name).is_dir() or (SRC / f"{name}.py").is_file()
    return name if name != "__init__" and (on_disk or name in RANKS) else "__init__"


def _imports(path: Path, source: str | None = None) -> Iterator[tuple[int, str]]:
    """(line, imported top-level part) for every ``eevee`` import in the module at ``path``
    (its text, or ``source`` read as if it were that module)."""
    text = path.read_text() if source is None else source
    tree = ast.parse(text, filename=str(path))
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path)[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = _target(alias.name)
                if top is not None:
                    yield node.lineno, top
        elif isinstance(node, ast.ImportFrom):
            module = from_module(node, package)
            if module == "eevee":  # from eevee import X: a package, or a name of __init__
                for alias in node.names:
                    yield node.lineno, _part_or_init(alias.name)
                continue
            top = _target(module)
            if top is not None:
                yield node.lineno, top
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__"):
                name = literal_module(node.args[0])
                top = _target(name) if name else None
                if top is not None:
                    yield node.lineno, top


def _allowed(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    if (importer, imported) in SAME_RANK_ALLOWED:
        return True
    return RANKS[imported] < RANKS[importer]


def test_every_package_has_a_rank() -> None:
    unknown = sorted({_top(p) for p in _modules()} - RANKS.keys())
    assert not unknown, (
        f"top-level parts of eevee with no layer rank: {unknown}; add them to the table "
        "RANKS in tests/test_layers.py"
    )


def test_imports_go_downward() -> None:
    offences: list[str] = []
    unknown: list[str] = []
    for path in _modules():
        importer = _top(path)
        if importer not in RANKS:
            continue  # reported by test_every_package_has_a_rank
        rel = path.relative_to(SRC.parents[1])
        for line, imported in _imports(path):
            if imported not in RANKS:
                unknown.append(f"{rel}:{line} {importer} -> {imported}")
            elif not _allowed(importer, imported):
                offences.append(
                    f"{rel}:{line} {importer} (rank {RANKS[importer]}) -> "
                    f"{imported} (rank {RANKS[imported]})"
                )
    report = []
    if unknown:
        report.append("imports of eevee parts with no layer rank (add them to the table "
                      "RANKS in tests/test_layers.py):\n" + "\n".join(unknown))
    if offences:
        report.append("imports that do not go downward:\n" + "\n".join(offences))
    assert not report, "\n".join(report)


def test_the_checker_sees_every_form() -> None:
    """The import reader finds function-level, ``from eevee import``, relative and dynamic
    imports (a module written under a fake src/eevee is read the same way)."""
    code = (
        "import eevee.runner.session\n"
        "from eevee import cli, __version__\n"
        "def f():\n"
        "    from eevee.agents import pixels\n"
        "    import importlib\n"
        "    importlib.import_module(f'eevee.cartridges.gen.{f}')\n"
        "from ..goals import quests\n"
        "from . import hazards\n"
    )
    probe = SRC / "reactive" / "_layers_probe.py"  # never written: only its name is used
    seen = sorted(_imports(probe, code))
    assert [top for _, top in seen] == [
        "runner", "__init__", "cli", "agents", "cartridges", "goals", "reactive"]
    assert not _allowed("reactive", "agents")
    assert _allowed("reactive", "goals") and _allowed("reactive", "reactive")
    assert _allowed("cli", "bench") and not _allowed("bench", "cli")
    assert _allowed("runtime", "errors") and not _allowed("errors", "runtime")
    assert _allowed("runner", "cartridges") and not _allowed("cartridges", "runner")
    assert not _allowed("strategists", "tactical") and not _allowed("tactical", "strategists")
