"""``eevee bench recall``: does what one run learned make the next one faster?

For each seed: a first run of the cartridge with an empty knowledge store (a temporary
SQLite folder), then a second run that recalls what the first one saved — its maps,
doors, people, looks and the tries that moved the game on (:mod:`eevee.world.leads`).
Both run in virtual time from power-on with the built-in strategist and the profile's
variables, and stop when the main quest completes. Reported per seed: the frames each run
took to finish it (null: not within ``frames``), the milestones each reached, and the
agent's per-frame p99 in each. Figures from one run each, never asserted in tests (a
test checks only that the second run is faster).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode


def recall(seeds: tuple[int, ...] = (0, 1), *, frames: int = 40_000,
           cartridge: str = "quest", progress: bool = False) -> dict[str, Any]:
    """The figures of the module doc, as one JSON-ready dict."""
    out: dict[str, Any] = {"cartridge": cartridge, "frames": frames, "seeds": {}}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            runs: dict[str, Any] = {}
            for label, again in (("first", False), ("second", True)):
                cfg = RunConfig(rom=cartridge, time_mode=TimeMode.VIRTUAL, frames=frames,
                                seed=seed, out=str(Path(tmp) / label),
                                knowledge=str(Path(tmp) / "store"), recall=again,
                                screenshot_every=0)
                play(cfg, progress=progress)
                runs[label] = _figures(Path(tmp) / label)
        first, second = runs["first"]["quest_complete_frame"], \
            runs["second"]["quest_complete_frame"]
        runs["ratio"] = round(second / first, 3) if first and second else None
        out["seeds"][str(seed)] = runs
    return out


def _figures(run: Path) -> dict[str, Any]:
    summary = json.loads((run / "summary.json").read_text())
    events = [json.loads(line) for line in (run / "events.jsonl").open()]
    agent = summary.get("agent_stats", {}).get("latency", {}).get("agent", {})
    loaded = next((e for e in events if e["event"] == "knowledge_loaded"), None)
    return {"quest_complete_frame": summary.get("quest_complete_frame"),
            "milestones": {e["name"]: e["frame"] for e in events if e["event"] == "milestone"},
            "leads_recalled": loaded.get("leads") if loaded else 0,
            "agent_p99_us": agent.get("p99_us")}


def table(r: dict[str, Any]) -> str:
    """The figures as a few readable lines."""
    lines = [f"{r['cartridge']}: frames to finish the main quest, a first run and a second "
             f"that recalls the first's knowledge (virtual time, at most {r['frames']})"]
    for seed, x in r["seeds"].items():
        a, b = x["first"], x["second"]
        lines.append(f"  seed {seed}: first {a['quest_complete_frame']}, second "
                     f"{b['quest_complete_frame']} (ratio {x['ratio']}; "
                     f"{b['leads_recalled']} leads recalled); agent p99 "
                     f"{a['agent_p99_us']} / {b['agent_p99_us']} us")
    return "\n".join(lines)
