"""The pixels-only agent on quest: no profile, no RAM variables; RAM read only to score."""

from __future__ import annotations

import json
from pathlib import Path

from eevee.agents.pixels import PixelAgent
from eevee.cartridges import registry
from eevee.emulator import open_emulator
from eevee.profiles import VariableReader, load_profile
from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode


def test_pixels_only_agent_learns_the_cell_and_enters_two_real_areas() -> None:
    cart = {c.name: c for c in registry.list_cartridges()}["quest"]
    truth = VariableReader(load_profile(cart.profile_path))  # scoring only
    agent = PixelAgent("gba")
    real_areas: set[int] = set()
    with open_emulator(cart.rom_path, subprocess=True) as emu:
        for f in range(2500):
            blocks = [emu.read_region(r) for r in ("io", "vram", "oam", "palette")]
            emu.step(agent.act_frame(f, emu.screen(), *blocks))
            v = truth.read(emu)
            if v["game_mode"] == 1:
                real_areas.add(v["area"])
    assert agent.cell == 16  # from the displacement of a completed step
    assert len(real_areas) >= 2
    assert len(agent.entered) == len(real_areas)  # one agent area per real area
    assert agent.steps > 20
    assert agent.latency["agent"].percentile_us(99) < 1000.0


def test_play_without_a_profile_uses_the_pixels_agent(tmp_path: Path) -> None:
    cfg = RunConfig(use_profile=False, time_mode=TimeMode.UNLOCKED, frames=2500,
                    out=str(tmp_path / "run"), screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.agent.startswith("pixels only")
    assert summary.areas_entered >= 2
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert data["agent_stats"]["cell_pixels"] == 16
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"agent_area_entered"' in events
