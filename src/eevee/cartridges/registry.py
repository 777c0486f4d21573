"""Which cartridges Eevee bundles and where their files live.

Each cartridge is described by ``source/<name>/cartridge.json`` (data, not code):
platform, header title and game code, a one-line description. Built ROMs sit in
``roms/``; the game profile, ground truth and scripted solver in ``data/<name>/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from eevee.errors import CartridgeError

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = PACKAGE_DIR / "source"
ROM_DIR = PACKAGE_DIR / "roms"
DATA_DIR = PACKAGE_DIR / "data"

Platform = Literal["gba", "gb"]
_EXTENSIONS: dict[str, str] = {"gba": ".gba", "gb": ".gb"}


@dataclass(frozen=True)
class Cartridge:
    """One bundled game: its identity and the paths of its files."""

    name: str
    platform: Platform
    title: str
    game_code: str
    description: str

    @property
    def source_dir(self) -> Path:
        return SOURCE_DIR / self.name

    @property
    def rom_path(self) -> Path:
        return ROM_DIR / f"{self.name}{_EXTENSIONS[self.platform]}"

    @property
    def data_dir(self) -> Path:
        return DATA_DIR / self.name

    @property
    def profile_path(self) -> Path:
        """The game profile (RAM map, milestones, hints) the agent may read."""
        return self.data_dir / "profile.json"

    @property
    def truth_path(self) -> Path:
        """Ground truth for evaluation only (the maps; ``map_hints``: doors, area sizes,
        NPC counts); the agent never reads it."""
        return self.data_dir / "truth.json"

    @property
    def solver_path(self) -> Path:
        """The scripted solver: a plain input script, with the ``walkthrough`` (quest steps,
        healer) that tests and benchmarks read; the agent never reads it."""
        return self.data_dir / "solver.json"

    @property
    def built(self) -> bool:
        return self.rom_path.is_file()


def _load(meta_path: Path) -> Cartridge:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        platform = meta["platform"]
        if platform not in _EXTENSIONS:
            raise ValueError(f"platform must be gba or gb, not {platform!r}")
        return Cartridge(
            name=meta_path.parent.name,
            platform=platform,
            title=str(meta["title"]),
            game_code=str(meta["game_code"]),
            description=str(meta["description"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CartridgeError(
            f"{meta_path}: damaged cartridge description ({exc}); reinstall eevee"
        ) from exc


@lru_cache(maxsize=1)
def _all() -> dict[str, Cartridge]:
    found = {}
    for meta_path in sorted(SOURCE_DIR.glob("*/cartridge.json")):
        cart = _load(meta_path)
        found[cart.name] = cart
    return found


def list_cartridges() -> list[Cartridge]:
    """Every bundled cartridge, sorted by name."""
    return list(_all().values())


def get(name: str) -> Cartridge:
    """The cartridge called ``name``; :class:`CartridgeError` names the choices if unknown."""
    carts = _all()
    if name not in carts:
        choices = ", ".join(carts) or "none"
        raise CartridgeError(f"unknown cartridge {name!r}; choose one of: {choices}")
    return carts[name]
