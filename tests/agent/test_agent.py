"""The three-layer agent on the quest cartridge (each emulator in a child process)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from eevee.cartridges import registry
from eevee.emulator.base import Emulator
from eevee.emulator.buttons import Buttons
from eevee.emulator.platform import GBA
from eevee.profiles import load_profile
from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.strategists import BuiltinStrategist, SlowStrategist


def hints() -> dict:  # type: ignore[type-arg]
    cart = {c.name: c for c in registry.list_cartridges()}["quest"]
    return load_profile(cart.profile_path).hints


def test_finishes_the_quest_without_a_walkthrough(tmp_path: Path) -> None:
    """No walkthrough in the profile: the agent finds the lever, the flower, the hermit,
    the gate and the shrine by exploring, talking to whoever it sees, pressing A at what
    looks unusual and going back after progress (seed 0: about 7,300 frames)."""
    cfg = RunConfig(time_mode=TimeMode.VIRTUAL, frames=24_000, out=str(tmp_path / "run"),
                    screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.quest_complete, summary.milestones_done
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert data["stopped_by"] == "quest complete" and data["frames"] < 24_000
    assert data["agent_stats"]["areas_entered"] >= 6
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"agent_transition_learned"' in events and '"agent_tried"' in events
    assert (tmp_path / "run" / "final.state").is_file()


def test_virtual_time_is_reproducible_with_a_declared_latency(tmp_path: Path) -> None:
    logs = []
    for i in range(2):
        strat = SlowStrategist(BuiltinStrategist(hints()), sleep_s=0.0, latency_s=0.5)
        cfg = RunConfig(time_mode=TimeMode.VIRTUAL, frames=3600, seed=7,
                        out=str(tmp_path / f"r{i}"), screenshot_every=0)
        play(cfg, progress=False, subprocess=True, strategist=strat)
        lines = (tmp_path / f"r{i}" / "events.jsonl").read_text().splitlines()
        logs.append(lines)
    assert logs[0] == logs[1]
    assert any('"agent_objective"' in line for line in logs[0])
    assert any('"milestone"' in line for line in logs[0])


def test_realtime_with_a_one_second_strategist_keeps_playing(tmp_path: Path) -> None:
    strat = SlowStrategist(BuiltinStrategist(hints()), sleep_s=1.0)
    cfg = RunConfig(time_mode=TimeMode.REALTIME, frames=180, out=str(tmp_path / "rt"),
                    screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True, strategist=strat)
    # the frame loop never waited for the strategist: 180 frames took about 3 s
    assert summary.wall_s < 3.0 + 1.5
    assert summary.frames == 180
    data = json.loads((tmp_path / "rt" / "summary.json").read_text())
    assert data["agent_stats"]["strategic_calls"] >= 1


class FrozenEmulator(Emulator):
    """A game that shows one picture forever; ``noise``: the screen changes, RAM is 0xFF."""

    backend = "fake"

    def __init__(self, noise: bool = False) -> None:
        super().__init__(GBA)
        self.noise = noise

    def _step(self, buttons: int, frames: int) -> int | None:
        return None

    def _screen(self) -> np.ndarray:
        img = np.zeros((160, 240, 3), dtype=np.uint8)
        if self.noise:
            img[0, 0, 0] = self.frame % 256
        return img

    def _read(self, address: int, size: int) -> bytes:
        return (b"\xff" if self.noise else b"\x00") * size

    def _write(self, address: int, data: bytes) -> None:
        pass

    def _save_state(self) -> bytes:
        return b""

    def _load_state(self, state: bytes) -> None:
        pass

    def _reset(self) -> None:
        pass


class OneButtonEmulator(FrozenEmulator):
    """A game whose title answers SELECT alone: each press draws the screen anew (a
    stand-in: none of our cartridges waits for SELECT)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers = 0

    def _step(self, buttons: int, frames: int) -> int | None:
        if buttons & Buttons.SELECT:
            self.answers += 1
        return None

    def _screen(self) -> np.ndarray:
        return np.full((160, 240, 3), (self.answers * 37) % 256, dtype=np.uint8)


def test_a_frozen_game_is_reported_and_the_run_ends_cleanly(tmp_path: Path) -> None:
    cfg = RunConfig(time_mode=TimeMode.UNLOCKED, frames=5000, out=str(tmp_path / "f"),
                    screenshot_every=0)
    summary = play(cfg, progress=False, emulator=FrozenEmulator())
    assert summary.stopped_by == "game frozen"
    assert summary.frames < 1500  # (every button tried, then 10 s unchanged)
    [warning] = [w for w in summary.warnings if "stopped responding" in w]
    assert "A, B, SELECT, START, RIGHT, LEFT, UP, DOWN" in warning
    events = (tmp_path / "f" / "events.jsonl").read_text()
    assert '"game_frozen"' in events
    assert json.loads((tmp_path / "f" / "summary.json").read_text())["stopped_by"] == "game frozen"


def test_nonsense_variables_are_reported_and_the_run_keeps_going(tmp_path: Path) -> None:
    cfg = RunConfig(time_mode=TimeMode.UNLOCKED, frames=1500, out=str(tmp_path / "n"),
                    screenshot_every=0)
    summary = play(cfg, progress=False, emulator=FrozenEmulator(noise=True))
    assert summary.frames == 1500 and summary.stopped_by == "frame limit"
    assert any("nonsense" in w for w in summary.warnings)
    assert '"profile_nonsense"' in (tmp_path / "n" / "events.jsonl").read_text()


def test_a_screen_that_answers_one_button_only_is_never_frozen(tmp_path: Path) -> None:
    emu = OneButtonEmulator()
    cfg = RunConfig(time_mode=TimeMode.UNLOCKED, frames=3000, out=str(tmp_path / "s"),
                    screenshot_every=0, use_profile=False)
    summary = play(cfg, progress=False, emulator=emu)
    assert summary.stopped_by != "game frozen" and summary.frames == 3000
    assert emu.answers > 0  # the agent found the button, however late in its order
