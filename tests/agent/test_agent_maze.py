"""The three-layer agent on the GB maze cartridge: from power-on, profile hints only."""

from __future__ import annotations

import json
from pathlib import Path

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode

MAZE_SOLVER_FRAMES = 906


def test_finishes_the_maze_from_power_on(tmp_path: Path) -> None:
    cfg = RunConfig(rom="maze", time_mode=TimeMode.UNLOCKED, frames=4 * MAZE_SOLVER_FRAMES,
                    out=str(tmp_path / "run"), screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.quest_complete, summary.milestones_done
    assert summary.milestones_done == ["started", "got_key", "opened_door", "escaped",
                                       "quest_complete"]
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert data["agent_stats"]["areas_entered"] == 5
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"thrown back"' in events  # water learned by falling in, not read from truth
