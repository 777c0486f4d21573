"""``eevee bench strategist``: what a model strategist costs and what it is worth.

Plays the quest cartridge with the built-in strategist and with the model strategist
given (``--strategist openai --model-url … --model …``, or ``--strategist transformers
--model PATH``), both from the same start and seed, and reports for the model:

- call latency p50 and p99, the parse success rate (answers that became strategies, of
  the calls that reached the model), the cache hit rate, tokens in and out, the failures
  by kind;
- in **virtual** time (the default; ``--model-latency`` declares the seconds each call
  costs, else the measured time is charged): the frame at which each milestone was
  reached, beside the built-in strategist's;
- in **realtime** (``--time-mode realtime``): the deadline misses and the load average of
  the machine, which a model server on the same machine raises.

Figures from one run each, never asserted in tests.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.strategists import ModelOptions

STAND_IN_ANSWER = json.dumps({"reasoning": "see what is there", "objective": "look around",
                              "actions": [{"do": "explore"}], "fallback": "explore",
                              "confidence": 0.5})


def with_stand_in(lo: float, hi: float, options: ModelOptions, seed: int = 0,
                  **kw: Any) -> dict[str, Any]:
    """:func:`strategist` against a stand-in server that answers a fixed valid strategy
    after ``lo`` to ``hi`` seconds (uniform, seeded): a model server elsewhere, as the
    game's machine sees it (:mod:`eevee.strategists.standin`)."""
    import dataclasses
    import random

    from eevee.strategists.standin import ChatServer, Reply

    rng = random.Random(seed)
    with ChatServer(lambda n: Reply(STAND_IN_ANSWER, delay_s=rng.uniform(lo, hi))) as s:
        opts = dataclasses.replace(options, url=s.url, model="stand-in",
                                   timeout_s=max(options.timeout_s, hi + 5))
        r = strategist("openai", opts, seed=seed, **kw)
    r["stand_in_delay_s"] = [lo, hi]
    return r


def strategist(name: str, options: ModelOptions, *, frames: int = 20_000,
               time_mode: str = "virtual", seed: int = 0, cartridge: str = "quest",
               baseline: bool = True, progress: bool = False) -> dict[str, Any]:
    """The figures of the module doc, as one JSON-ready dict."""
    mode = TimeMode.parse(time_mode)
    out: dict[str, Any] = {"cartridge": cartridge, "frames": frames, "time_mode": mode.value,
                           "seed": seed, "strategist": name,
                           "model_name": options.model, "declared_latency_s": options.latency_s}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("with_model", name)] + ([("builtin", "builtin")] if baseline else [])
        for label, strat in runs:
            cfg = RunConfig(rom=cartridge, strategist=strat, time_mode=mode, frames=frames,
                            seed=seed, out=str(Path(tmp) / label), knowledge=None,
                            until="frames", model=options)
            load0 = os.getloadavg()[0]
            play(cfg, progress=progress)
            summary = json.loads((Path(tmp) / label / "summary.json").read_text())
            events = [json.loads(line) for line in (Path(tmp) / label / "events.jsonl").open()]
            out[label] = _figures(summary, events, load0)
    return out


def _figures(summary: dict[str, Any], events: list[dict[str, Any]],
             load0: float) -> dict[str, Any]:
    stats = summary.get("agent_stats", {})
    model = stats.get("model")
    fig: dict[str, Any] = {
        "milestones": {e["name"]: e["frame"] for e in events if e["event"] == "milestone"},
        "milestones_done": summary.get("milestones_done"),
        "quest_complete_frame": summary.get("quest_complete_frame"),
        "deadline_misses": summary.get("deadline_misses"),
        "wall_s": summary.get("wall_s"),
        "strategic_calls": stats.get("strategic_calls"),
        "load_average_1m": {"start": round(load0, 2), "end": round(os.getloadavg()[0], 2)},
    }
    if model:
        asked = model["calls"] or 1
        fig["model"] = {**model, "cache_hit_rate": round(model["cache_hits"] / asked, 3),
                        "objectives_from_model": sum(
                            1 for e in events if e["event"] == "agent_model_call"
                            and e.get("used") == "model")}
    return fig


def table(r: dict[str, Any]) -> str:
    """The figures as a few readable lines."""
    lines = [f"{r['strategist']} ({r['model_name']}) on {r['cartridge']}, {r['frames']} frames, "
             f"{r['time_mode']} time, seed {r['seed']}"]
    m = r["with_model"].get("model") or {}
    if m:
        lines.append(f"  calls {m['calls']}, answered ok {m['answered_ok']}, parse success "
                     f"{m['parse_success_rate']}, cache hit rate {m['cache_hit_rate']}, "
                     f"failures {m['failures'] or 'none'}")
        lines.append(f"  latency p50 {m['latency_ms_p50']} ms, p99 {m['latency_ms_p99']} ms; "
                     f"tokens in {m['tokens_in']}, out {m['tokens_out']}")
    for label in ("with_model", "builtin"):
        if label in r:
            x = r[label]
            lines.append(f"  {label}: milestones {x['milestones_done']} "
                         f"{x['milestones']}; deadline misses {x['deadline_misses']}; "
                         f"load {x['load_average_1m']}")
    return "\n".join(lines)
