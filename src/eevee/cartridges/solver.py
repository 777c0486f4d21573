"""Scripted solvers: plain input scripts that play a cartridge open-loop.

A script is JSON data::

    {"format": 1, "cartridge": "quest", "frames": 5234,
     "walkthrough": {"quest_steps": {...}, "healer_target": {...}},
     "inputs": [["", 30], ["START", 4], ["", 20], ["RIGHT", 16], ["A", 2], ...]}

Each entry holds a button set (``Buttons.parse`` syntax, ``""`` for none) for a number
of frames, starting from power-on. ``frames`` is the sum, the "optimal" anchor that
agent benchmarks compare against. The games are deterministic, so the same script from
power-on always gives the same run on every backend of the platform.

The optional ``walkthrough`` says how to win in words and cells (for each milestone, where
to go and what to do; where to heal); with ``truth.json``'s ``map_hints`` (doors, area
sizes, NPC counts) it is what game profiles must never say. Only tests and benchmarks
read them (:func:`walkthrough`); the agent plays without.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eevee.cartridges.registry import Cartridge
from eevee.emulator.base import Emulator
from eevee.emulator.buttons import Buttons
from eevee.errors import CartridgeError


@dataclass(frozen=True)
class InputScript:
    """A sequence of (buttons, frames) holds, from power-on."""

    cartridge: str
    inputs: tuple[tuple[Buttons, int], ...]

    @property
    def frames(self) -> int:
        return sum(n for _, n in self.inputs)

    def __iter__(self) -> Iterator[tuple[Buttons, int]]:
        return iter(self.inputs)

    def to_json(self, walkthrough: Mapping[str, Any] | None = None) -> str:
        """The script file's text (with the solver's ``walkthrough``, when given)."""
        rows = [["+".join(b.names()), n] for b, n in self.inputs]
        body = ",\n  ".join(json.dumps(r) for r in rows)
        head = {"format": 1, "cartridge": self.cartridge, "frames": self.frames}
        text = json.dumps(head)[:-1]
        if walkthrough:
            nested = json.dumps(dict(walkthrough), indent=1).replace("\n", "\n ")
            text += ',\n "walkthrough": ' + nested
        return text + ',\n "inputs": [\n  ' + body + "\n ]}\n"


def load_script(path: Path) -> InputScript:
    """Read and validate an input script; errors name the file and the bad entry."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CartridgeError(f"{path}: cannot read input script ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != 1:
        raise CartridgeError(f"{path}: not an input script (expected format 1)")
    inputs: list[tuple[Buttons, int]] = []
    for i, row in enumerate(data.get("inputs", [])):
        if (
            not isinstance(row, list)
            or len(row) != 2
            or not isinstance(row[0], str)
            or not isinstance(row[1], int)
            or row[1] < 1
        ):
            raise CartridgeError(f"{path}: input {i} must be [buttons, frames>=1], got {row!r}")
        try:
            inputs.append((Buttons.parse(row[0]), row[1]))
        except ValueError as exc:
            raise CartridgeError(f"{path}: input {i}: {exc}") from exc
    script = InputScript(cartridge=str(data.get("cartridge", "")), inputs=tuple(inputs))
    if "frames" in data and data["frames"] != script.frames:
        raise CartridgeError(
            f"{path}: 'frames' says {data['frames']} but the inputs add up to {script.frames}"
        )
    return script


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CartridgeError(f"{path}: cannot read {what} ({exc}); reinstall eevee") from exc
    if not isinstance(data, dict):
        raise CartridgeError(f"{path}: not a {what} (expected a JSON object); reinstall eevee")
    return data


def walkthrough(cart: Cartridge) -> dict[str, Any]:
    """How to win ``cart``, for tests and benchmarks only (the agent never reads it).

    The solver's ``walkthrough`` (``quest_steps``, ``healer_target``) and the ground
    truth's ``map_hints`` (``doors``, ``area_sizes``, ``npc_counts``), merged, in the shape
    these keys once had as profile hints: ``{**profile.hints, **walkthrough(cart)}`` gives
    an agent the old, walkthrough-assisted view. ``{}`` for a cartridge with neither.
    """
    out: dict[str, Any] = {}
    if cart.truth_path.is_file():
        out.update(_read_json(cart.truth_path, "ground truth").get("map_hints") or {})
    if cart.solver_path.is_file():
        out.update(_read_json(cart.solver_path, "input script").get("walkthrough") or {})
    return out


def play(
    emu: Emulator,
    script: InputScript,
    *,
    on_frame: Callable[[Emulator], None] | None = None,
) -> None:
    """Play ``script`` on ``emu`` (which should be at power-on).

    With ``on_frame`` the script is stepped one frame at a time and the callback runs
    after each frame (for checks that need every frame); otherwise holds are stepped
    in one call each, which is much faster.
    """
    for buttons, frames in script:
        if on_frame is None:
            emu.step(buttons, frames)
        else:
            for _ in range(frames):
                emu.step(buttons, 1)
                on_frame(emu)
