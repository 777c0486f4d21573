"""A second run of a game with the knowledge of a first: it finishes the main quest
sooner, because it remembers the maps, the people and what moved the game on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.world.store import KnowledgeStore

QUEST_SHA1 = "46ea8210fd35d036a93b7c8e01d1976493d7aa5a"


def _play(tmp: Path, name: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("frames", 24_000)
    play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, out=str(tmp / name),
                   screenshot_every=0, knowledge=str(tmp / "store"), **kw), progress=False)
    summary: dict[str, Any] = json.loads((tmp / name / "summary.json").read_text())
    summary["events"] = [json.loads(line) for line in (tmp / name / "events.jsonl").open()]
    return summary


def test_a_second_run_that_recalls_the_first_finishes_sooner(tmp_path: Path) -> None:
    first = _play(tmp_path, "first", seed=1)
    assert first["quest_complete_frame"] is not None
    learned = [e for e in first["events"] if e["event"] == "agent_lead_learned"]
    assert len(learned) >= 5  # (talks, a lever, a gate ... each try that moved it on)
    second = _play(tmp_path, "second", seed=1, recall=True)
    [loaded] = [e for e in second["events"] if e["event"] == "knowledge_loaded"]
    assert loaded["leads"] == len(learned) and loaded["areas"] >= 6
    assert second["quest_complete_frame"] is not None
    assert second["quest_complete_frame"] < first["quest_complete_frame"] / 2, (
        first["quest_complete_frame"], second["quest_complete_frame"])
    # and a fresh start, with the same store, knows nothing again
    fresh = _play(tmp_path, "fresh", seed=1)
    assert not [e for e in fresh["events"] if e["event"] == "knowledge_loaded"]
    assert fresh["quest_complete_frame"] == first["quest_complete_frame"]


def test_a_pixels_only_run_neither_recalls_nor_replaces_what_the_profile_learned(
        tmp_path: Path) -> None:
    _play(tmp_path, "first", frames=2500, until="frames")
    before = KnowledgeStore(tmp_path / "store").load(QUEST_SHA1)
    assert before is not None and before["keys"] == "profile"
    pixels = _play(tmp_path, "pixels", frames=600, until="frames", recall=True,
                   use_profile=False)
    assert not [e for e in pixels["events"] if e["event"] == "knowledge_loaded"]
    assert any("pixels-only run keeps its own" in w for w in pixels["warnings"])
    assert KnowledgeStore(tmp_path / "store").load(QUEST_SHA1) == before
