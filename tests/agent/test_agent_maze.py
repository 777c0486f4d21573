"""The three-layer agent on the GB maze cartridge: from power-on, profile hints only."""

from __future__ import annotations

import json
from pathlib import Path

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode

MAZE_SOLVER_FRAMES = 906


def test_explores_the_maze_and_finds_the_key_without_a_walkthrough(tmp_path: Path) -> None:
    """No door list or room sizes in the profile: rooms, doors and the key are found by
    exploring (finishing the maze without a walkthrough is not there yet)."""
    cfg = RunConfig(rom="maze", time_mode=TimeMode.VIRTUAL, frames=3 * MAZE_SOLVER_FRAMES,
                    until="frames", out=str(tmp_path / "run"), screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.milestones_done[:2] == ["started", "got_key"], summary.milestones_done
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert data["agent_stats"]["areas_entered"] >= 3
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"agent_transition_learned"' in events
