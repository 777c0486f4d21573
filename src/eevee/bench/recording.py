"""Recorded runs of the bundled cartridges for the perception benchmarks and tests.

A :class:`Runner` steps an emulator one frame at a time and keeps, per frame, the screen,
the profile's RAM variables, the buttons and (GBA) the raw IO/VRAM/OAM/palette blocks, so
:mod:`eevee.bench.perception` can replay the same frames through perception many times.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eevee.cartridges.registry import get
from eevee.emulator.buttons import Buttons
from eevee.profiles.profile import Profile, load_profile, parse_profile
from eevee.profiles.reader import VariableReader

DIRS = {Buttons.UP: (0, -1), Buttons.DOWN: (0, 1), Buttons.LEFT: (-1, 0), Buttons.RIGHT: (1, 0)}


def cartridge_profile(name: str) -> Profile | None:
    """The cartridge's profile: ``profile.json``, else the generator's (while the data file
    is not installed yet), else None."""
    cart = get(name)
    if cart.profile_path.is_file():
        return load_profile(cart.profile_path)
    try:
        import importlib

        gen = importlib.import_module(f"eevee.cartridges.gen.{name}")
        sha1 = hashlib.sha1(cart.rom_path.read_bytes()).hexdigest()
        return parse_profile(gen.profile(sha1), f"<generated {name} profile>")
    except (ImportError, AttributeError, OSError):
        return None


@dataclass
class Recording:
    """Frames of one run with RAM variables, buttons and (GBA) raw IO/VRAM/OAM."""

    frames: list[np.ndarray] = field(default_factory=list)
    values: list[dict[str, int]] = field(default_factory=list)
    buttons: list[int] = field(default_factory=list)
    io: list[bytes] = field(default_factory=list)
    vram: list[bytes] = field(default_factory=list)
    oam: list[bytes] = field(default_factory=list)
    palette: list[bytes] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)


class Runner:
    """Steps an emulator one frame at a time and records what perception needs."""

    def __init__(self, emu: Any, reader: VariableReader, gba: bool, keep_memory: int = 0):
        self.emu, self.reader, self.gba = emu, reader, gba
        self.rec = Recording()
        self.keep_memory = keep_memory  # record raw regions for this many frames

    def step(self, buttons: int, frames: int = 1) -> dict[str, int]:
        values: dict[str, int] = {}
        for _ in range(frames):
            self.emu.step(buttons, 1)
            values = self.reader.read(self.emu)
            self.rec.frames.append(self.emu.screen().copy())
            self.rec.values.append(values)
            self.rec.buttons.append(int(buttons))
            if self.gba and len(self.rec.io) < self.keep_memory:
                self.rec.io.append(self.emu.read_region("io"))
                self.rec.vram.append(self.emu.read_region("vram"))
                self.rec.oam.append(self.emu.read_region("oam"))
                self.rec.palette.append(self.emu.read_region("palette"))
        return values

    def wait_mode(self, mode: int, press: int = 0, every: int = 12, limit: int = 900) -> None:
        for i in range(limit):
            v = self.rec.values[-1] if self.rec.values else self.step(0)
            if v["game_mode"] == mode:
                return
            self.step(press if press and i % every < 2 else 0)


def walk(run: Runner, steps: int, seed: int, step_frames: int, avoid_back: bool = True) -> None:
    """A random exploration walk: attempts are recorded with the before/after state."""
    rng = random.Random(seed)
    dirs = list(DIRS)
    last = Buttons.NONE
    for _ in range(steps):
        v = run.rec.values[-1]
        if v["game_mode"] != 1:  # leave dialogue/battle/menu: A (fight/advance) and B
            run.step(Buttons.A if v["game_mode"] in (2, 4) else Buttons.B, 2)
            run.step(0, 10)
            continue
        choice = [d for d in dirs if not (avoid_back and DIRS[d] == tuple(-x for x in
                                                                         DIRS.get(last, (0, 0))))]
        d = rng.choice(choice) if rng.random() < 0.6 or last == Buttons.NONE else last
        before = dict(v)
        i0 = len(run.rec.frames) - 1
        run.step(d, step_frames)
        after = run.step(0, 2)
        run.rec.attempts.append({"frame": i0, "dir": int(d), "before": before, "after": after})
        last = d


def record_quest(seed: int = 1, steps: int = 160, keep_memory: int = 400) -> Recording:
    """Title, dialogue (town sign), START menu, town, forest walk with battles."""
    from eevee.emulator import open_emulator

    cart = get("quest")
    prof = cartridge_profile("quest")
    assert prof is not None
    step_frames = int(prof.hint("step_frames", 8))
    with open_emulator(cart.rom_path, backend="retro") as emu:
        run = Runner(emu, VariableReader(prof), gba=True, keep_memory=keep_memory)
        run.step(0, 90)
        run.step(Buttons.START, 4)
        run.wait_mode(1)
        run.step(Buttons.LEFT, 7 * step_frames + 4)  # to the town sign
        run.step(0, 10)
        run.step(Buttons.A, 2)
        run.wait_mode(1, press=Buttons.A, every=20)
        run.step(Buttons.START, 2)
        run.step(0, 40)
        run.step(Buttons.B, 2)
        run.wait_mode(1)
        run.step(Buttons.UP, step_frames)  # (4,7) then east along the road to the forest
        run.step(Buttons.RIGHT, 19 * step_frames + 4)
        run.wait_mode(1)
        walk(run, steps, seed, step_frames)
    return run.rec


def record_maze(profile_on: bool = True) -> Recording:
    """The maze solver's run, then a random walk (PyBoy)."""
    from eevee.cartridges.solver import load_script
    from eevee.emulator import open_emulator

    cart = get("maze")
    prof = cartridge_profile("maze")
    assert prof is not None
    with open_emulator(cart.rom_path, backend="pyboy") as emu:
        run = Runner(emu, VariableReader(prof), gba=False)
        for buttons, frames in load_script(cart.solver_path):
            run.step(buttons, frames)
    return run.rec


def record_quest_solver(keep_memory: int = 10**6) -> Recording:
    """The quest solver's run from power-on (title, dialogue, transitions, the main quest)."""
    from eevee.cartridges.solver import load_script
    from eevee.emulator import open_emulator

    cart = get("quest")
    prof = cartridge_profile("quest")
    assert prof is not None
    with open_emulator(cart.rom_path, backend="retro") as emu:
        run = Runner(emu, VariableReader(prof), gba=True, keep_memory=keep_memory)
        for buttons, frames in load_script(cart.solver_path):
            run.step(buttons, frames)
    return run.rec
