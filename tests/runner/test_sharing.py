"""Two agents on the same game in two processes, sharing a real Redis: what one
discovers, the other knows within a second (``runner.sharing``)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.world.model import WorldModel
from eevee.world.stores import open_store

QUEST_SHA1 = "46ea8210fd35d036a93b7c8e01d1976493d7aa5a"


def test_what_one_process_discovers_the_other_knows_within_a_second(
        tmp_path: Path, redis_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"redis://{redis_server}/3"
    store = open_store(url)
    store.forget(QUEST_SHA1)
    heard: list[tuple[float, set[Any]]] = []  # (when, areas): each save announced
    stop = threading.Event()
    store.watch(QUEST_SHA1, lambda doc: heard.append(
        (time.monotonic(), {a["key"] for a in doc["areas"]})), stop=stop)  # type: ignore[attr-defined]
    merged: list[tuple[float, list[Any]]] = []
    real = WorldModel.merge

    def timed(self: WorldModel, frame: int, other: WorldModel) -> list[Any]:
        taken = real(self, frame, other)
        if taken:
            merged.append((time.monotonic(), taken))
        return taken

    monkeypatch.setattr(WorldModel, "merge", timed)
    # the second agent plays in real time here: 360 frames, never as far as the inn
    second = threading.Thread(target=play, args=(RunConfig(
        rom="quest", time_mode=TimeMode.REALTIME, frames=360, out=str(tmp_path / "second"),
        screenshot_every=0, until="frames", knowledge=url),), kwargs={"progress": False})
    second.start()
    time.sleep(1.5)
    # ... while the first, in another process, runs ahead (unlocked) into new areas
    first = subprocess.run(
        [sys.executable, "-m", "eevee.cli.main", "play", "quest", "--time-mode", "unlocked",
         "--frames", "1200", "--until", "frames", "--quiet", "--screenshot-every", "0",
         "--knowledge", url, "--out", str(tmp_path / "first")],
        capture_output=True, text=True, timeout=120, check=False)
    second.join(60)
    stop.set()
    assert first.returncode == 0, first.stderr
    assert not second.is_alive()
    events = [json.loads(line) for line in (tmp_path / "second" / "events.jsonl").open()]
    own = {e["area"] for e in events if e["event"] == "agent_area_entered"}
    told = [e for e in events if e["event"] == "agent_knowledge_merged"]
    assert told, "the second agent never heard of the first's discoveries"
    new = {a for e in told for a in e["areas"]}
    assert new and not new & own  # (areas it had not entered itself)
    for area in new:
        announced = min(t for t, areas in heard if area in areas)
        known = min(t for t, areas in merged if area in areas)
        assert known - announced < 1.0, (area, known - announced)
