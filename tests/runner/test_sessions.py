"""Named sessions: a killed run resumes from its last autosave, counting on, with its
knowledge intact; the agent goes on from where it was."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eevee.errors import ConfigError
from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runner.sessions import Session, sessions_dir
from eevee.runtime.clock import TimeMode
from eevee.world.store import KnowledgeStore


def _play(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "eevee.cli.main", "play", "--session", "s", "--until",
         "frames", "--autosave-every", "0.5", "--screenshot-every", "0", "--quiet", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def _start_event(folder: Path) -> dict[str, object]:
    for line in (folder / "events.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event["event"] == "start":
            return dict(event)
    raise AssertionError("no start event")


def test_kill_9_at_random_moments_resumes_from_the_last_autosave() -> None:
    rng = random.Random(7)
    session = Session(sessions_dir(), "s")
    for i in range(5):
        before = session.meta()["frames"] if session.exists else 0
        proc = _play("--time-mode", "realtime" if i % 2 else "unlocked", "--frames", "1000000")
        deadline = time.monotonic() + 60
        while (not session.exists or session.meta()["frames"] <= before) \
                and time.monotonic() < deadline:  # (started: one autosave done)
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.2))  # then a random moment, autosaves under way
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        last = session.meta()["frames"]
        assert last > 0, "no autosave before the kill"
        check = _play("--time-mode", "unlocked", "--frames", "30")
        _, err = check.communicate(timeout=120)
        assert check.returncode == 0, err
        newest = session.folder / session.meta()["runs"][-1]["folder"]
        assert _start_event(newest)["resumed_from"] == last
        summary = json.loads((newest / "summary.json").read_text())
        assert summary["frames"] == last + 30 and summary["first_frame"] == last
        store = KnowledgeStore(Path(os.environ["EEVEE_DATA"]) / "knowledge")
        [game] = store.games()
        assert store.load(game.sha1) is not None  # readable, whole
    # the last clean stop removed older autosaves and what a killed one left half-made
    assert [p.name for p in session.folder.glob("autosave-*")] == [session.meta()["autosave"]]


def test_a_resumed_session_goes_on_and_finishes_the_quest(tmp_path: Path) -> None:
    def run(frames: int) -> tuple[dict[str, object], str]:
        play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=frames,
                       session="q", screenshot_every=0), progress=False)
        meta = Session(sessions_dir(), "q").meta()
        folder = Session(sessions_dir(), "q").folder / meta["runs"][-1]["folder"]
        return (dict(json.loads((folder / "summary.json").read_text())),
                (folder / "events.jsonl").read_text())

    first, _ = run(3000)
    assert first["frames"] == 3000 and not first["quest_complete"]
    assert first["milestones_done"]
    second, events = run(30_000)
    assert second["first_frame"] == 3000 and second["quest_complete"]
    assert set(first["milestones_done"]) <= set(second["milestones_done"])
    # it goes on from where it was: what was done before is not done (nor told) again
    # (the objective under way is decided afresh, so it need not retrace the frames of
    # a run straight through)
    done = first["milestones_done"]
    assert isinstance(done, list)
    for name in done:
        assert f'"name": "{name}"' not in events


def test_session_mistakes_are_one_line() -> None:
    with pytest.raises(ConfigError, match="session name"):
        Session(sessions_dir(), "../evil")
    play(RunConfig(rom="maze", time_mode=TimeMode.VIRTUAL, frames=60, session="m",
                   screenshot_every=0), progress=False)
    with pytest.raises(ConfigError, match="plays maze"):
        play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=60, session="m",
                       screenshot_every=0), progress=False)
    r = subprocess.run([sys.executable, "-m", "eevee.cli.main", "sessions", "show", "nope"],
                       capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 2 and r.stderr.startswith("eevee: error: no session 'nope'")
