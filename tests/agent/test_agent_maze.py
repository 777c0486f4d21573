"""The three-layer agent on the GB maze cartridge: from power-on, profile variables only."""

from __future__ import annotations

import json
from pathlib import Path

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode

MAZE_SOLVER_FRAMES = 906


def test_escapes_the_maze_without_a_walkthrough(tmp_path: Path) -> None:
    """No door list or room sizes in the profile: rooms and doors are found by exploring
    (the game reports a cell only once a step ends: doors are the cells walked into),
    water is learned from being thrown back, and the locked door opens once the key is
    found."""
    cfg = RunConfig(rom="maze", time_mode=TimeMode.VIRTUAL, frames=6 * MAZE_SOLVER_FRAMES,
                    out=str(tmp_path / "run"), screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.milestones_done == ["started", "got_key", "opened_door", "escaped",
                                       "quest_complete"], summary.milestones_done
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert data["agent_stats"]["areas_entered"] == 5
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"agent_transition_learned"' in events
    assert data["frames"] < 6 * MAZE_SOLVER_FRAMES  # it stopped when the quest completed
