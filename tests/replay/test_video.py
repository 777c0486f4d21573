"""``eevee video`` renders a recorded run to an MP4 that plays: decoded back, it has every
frame, the size asked for, and the panel beside the game shows the agent's state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eevee.errors import ConfigError
from eevee.replay.panel import Panel, Timeline
from eevee.replay.reader import read_recording
from eevee.replay.video import render
from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode

av = pytest.importorskip("av")


def _decode(path: Path) -> tuple[int, int, int, np.ndarray]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        n, last = 0, None
        for f in c.decode(s):
            n += 1
            if n == 1500:
                last = f.to_ndarray(format="rgb24")
        assert last is not None
        return n, s.width, s.height, last


def test_a_2000_frame_run_renders_to_a_playable_mp4(tmp_path: Path) -> None:
    out = tmp_path / "run"
    play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=2000, out=str(out),
                   screenshot_every=0, until="frames"), progress=False)
    rec = read_recording(out)
    result = subprocess.run([sys.executable, "-m", "eevee.cli.main", "video", str(out),
                             "-o", str(tmp_path / "run.mp4"), "--quiet"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert "2000 frames, 800x320" in result.stdout
    n, w, h, frame = _decode(tmp_path / "run.mp4")
    assert (n, w, h) == (2000, 800, 320)
    game, panel = frame[:, :480].astype(int), frame[:, 480:].astype(int)
    assert game.std() > 20  # the game is drawn, not a blank
    assert (panel > 120).mean() > 0.01  # the panel has text and a map on it
    # the plain screen, a part of the run, scaled 1x
    raw = render(rec, tmp_path / "raw.mp4", raw=True, scale=1, first=100, last=1700)
    assert (raw.frames, raw.width, raw.height) == (1600, 240, 160)
    assert _decode(tmp_path / "raw.mp4")[:3] == (1600, 240, 160)
    with pytest.raises(ConfigError, match="--from 1900 --to 1800"):
        render(rec, tmp_path / "bad.mp4", first=1900, last=1800)
    assert not (tmp_path / "bad.mp4").exists()


def test_the_panel_follows_the_agents_recorded_state() -> None:
    t = Timeline([
        {"frame": 10, "kind": "view", "area": "0", "cell": [3, 4], "plan": [[4, 4], [5, 4]],
         "objective": {"name": "talk to 7", "priority": 5, "action": "talk",
                       "area": "0", "target": [5, 4], "reason": "new person"}},
        {"frame": 10, "kind": "maps", "maps": {"0": {"rows": ["#####", "#...#", "#####"],
                                                     "origin": [2, 3]}}},
        {"frame": 40, "kind": "view", "cell": [4, 4]},
    ])
    panel = Panel(320, 320, "quest")
    t.advance(5)
    before = panel.draw(t, 5).copy()
    assert t.view == {}
    t.advance(20)
    assert t.view["cell"] == [3, 4] and t.maps["0"]["origin"] == [2, 3]
    drawn = panel.draw(t, 20)
    assert not np.array_equal(before, drawn)
    t.advance(40)
    assert t.view["cell"] == [4, 4] and t.view["objective"]["name"] == "talk to 7"
    red = (drawn[..., 0] > 200) & (drawn[..., 1] < 100) & (drawn[..., 2] < 100)
    assert red.any(), "the player is marked on the map"
