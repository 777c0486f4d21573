"""The knowledge store: what a run learned survives it, in a real SQLite file, written by
the writer thread and never inside a frame; it round-trips whole, and a damaged store is
one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.world.store import KnowledgeStore

QUEST_SHA1 = "46ea8210fd35d036a93b7c8e01d1976493d7aa5a"


def _run(tmp: Path, name: str, store: Path, frames: int = 3000, **kw: Any) -> Path:
    out = tmp / name
    play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=frames, out=str(out),
                   screenshot_every=0, until="frames", knowledge=str(store), **kw),
         progress=False)
    return out


def test_a_run_keeps_what_it_learned_written_behind_the_frames(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saves: list[tuple[str, int]] = []
    real = KnowledgeStore.save

    def spy(self: KnowledgeStore, sha1: str, name: str, doc: dict[str, Any]) -> None:
        saves.append((threading.current_thread().name, len(doc["areas"])))
        real(self, sha1, name, doc)

    monkeypatch.setattr(KnowledgeStore, "save", spy)
    _run(tmp_path, "run", tmp_path / "store", frames=4000)
    # every 30 s of game time (1800 frames), as soon as an area is first entered (told
    # at once: another process may be listening), and at the end
    entered = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").open()]
    new_areas = sum(1 for e in entered if e["event"] == "agent_area_entered")
    assert new_areas >= 2 and len(saves) == 2 + 1 + new_areas, (len(saves), new_areas)
    assert all(t.startswith("writer") for t, _ in saves), saves  # never the frame thread
    assert threading.main_thread().name not in {t for t, _ in saves}
    store = KnowledgeStore(tmp_path / "store")
    [game] = store.games()
    assert (game.sha1, game.name) == (QUEST_SHA1, "quest")
    doc = store.load(QUEST_SHA1)
    assert doc is not None and len(doc["areas"]) == saves[-1][1] >= 2
    assert doc["transitions"] and doc["things"] and doc["looks"]


def test_knowledge_round_trips_through_export_and_import(tmp_path: Path) -> None:
    _run(tmp_path, "run", tmp_path / "a")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "eevee.cli.main", "knowledge", *args],
                              capture_output=True, text=True, timeout=60, check=False)

    listed = cli("--knowledge", str(tmp_path / "a"), "list")
    assert listed.returncode == 0 and listed.stdout.startswith("quest")
    shown = cli("--knowledge", str(tmp_path / "a"), "show", "quest")
    assert "Maple Town" in shown.stdout and "doors" in shown.stdout
    first = tmp_path / "first.json"
    assert cli("--knowledge", str(tmp_path / "a"), "export", "46ea", "--json",
               "-o", str(first)).returncode == 0
    assert cli("--knowledge", str(tmp_path / "b"), "import", str(first)).returncode == 0
    again = cli("--knowledge", str(tmp_path / "b"), "export", "quest")
    assert json.loads(again.stdout) == json.loads(first.read_text())
    gone = cli("--knowledge", str(tmp_path / "b"), "forget", "quest")
    assert gone.returncode == 0 and KnowledgeStore(tmp_path / "b").games() == []


def test_recall_starts_from_the_stores_knowledge(tmp_path: Path) -> None:
    _run(tmp_path, "first", tmp_path / "store", frames=2000)
    out = _run(tmp_path, "second", tmp_path / "store", frames=60, recall=True)
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    loaded = [e for e in events if e["event"] == "knowledge_loaded"]
    assert loaded and loaded[0]["frame"] == 0 and loaded[0]["areas"] >= 2


def test_a_damaged_store_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / f"{QUEST_SHA1}.sqlite").write_bytes(b"not a database at all" * 100)
    for args in (["knowledge", "--knowledge", str(store), "list"],
                 ["play", "--frames", "30", "--time-mode", "unlocked", "--quiet", "--recall",
                  "--knowledge", str(store), "--out", str(tmp_path / "run")]):
        r = subprocess.run([sys.executable, "-m", "eevee.cli.main", *args],
                           capture_output=True, text=True, timeout=60, check=False)
        assert r.returncode == 2, r.stderr
        assert r.stderr.startswith("eevee: error: the knowledge store ")
        assert "is damaged" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_the_strategist_is_told_what_is_known_here(tmp_path: Path) -> None:
    """``StrategyContext.memories``: people, doors, answers — from the world model."""
    from eevee.strategists.base import Strategy, StrategyContext
    from eevee.strategists.builtin import BuiltinStrategist

    seen: list[tuple[str, ...]] = []

    class Remembering(BuiltinStrategist):
        def think(self, context: StrategyContext) -> Strategy:
            seen.append(context.memories)
            return super().think(context)

    play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=3000,
                   out=str(tmp_path / "run"), screenshot_every=0, until="frames"),
         progress=False, strategist=Remembering())
    lines = [line for m in seen for line in m]
    assert any(line.startswith("doors here: ") for line in lines)
    assert any("not yet talked to" in line for line in lines)
    assert any(line.startswith("people here who answered") for line in lines)
