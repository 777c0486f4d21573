"""``eevee play --no-profile``: the three-layer agent plays from the screen alone."""

from __future__ import annotations

import json
from pathlib import Path

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode


def test_play_without_a_profile_is_the_three_layer_agent_on_estimated_variables(
        tmp_path: Path) -> None:
    cfg = RunConfig(use_profile=False, time_mode=TimeMode.VIRTUAL, frames=4000,
                    until="frames", out=str(tmp_path / "run"), screenshot_every=0)
    summary = play(cfg, progress=False, subprocess=True)
    assert summary.agent == "three-layer (builtin strategist), pixels only (no profile)"
    data = json.loads((tmp_path / "run" / "summary.json").read_text())
    est = data["agent_stats"]["estimate"]
    assert est["cell_pixels"] == 16 and est["cell_learned"]
    assert data["agent_stats"]["areas_entered"] >= 2  # town and a house, told apart
    events = (tmp_path / "run" / "events.jsonl").read_text()
    assert '"agent_transition_learned"' in events and '"agent_objective"' in events
