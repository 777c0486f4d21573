"""``eevee bench emulator|agent|games|perception|dashboard|video|strategist|recall``: figures as
JSON or a table."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from eevee.errors import ConfigError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="run a benchmark")
    bsub = p.add_subparsers(dest="bench", metavar="BENCHMARK")
    bsub.required = True
    e = bsub.add_parser("emulator", help="speed of each local emulator backend")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--frames", type=int, default=3000, help="frames per measurement")
    e.set_defaults(run=run_emulator)
    ag = bsub.add_parser("agent", help="play quality and cost of each agent on each cartridge")
    ag.add_argument("--json", action="store_true", help="print one JSON object")
    ag.add_argument("--frames", type=int, default=50_000, help="frames per run")
    ag.add_argument("--agents", default="builtin,builtin_pixels,random,solver,builtin_every30",
                    help="comma-separated agents: builtin, builtin_pixels (no profile: "
                         "pixels only; quest, maze, grove, keep), random, wander, solver, "
                         "builtin_every30 (dodge only) (default: "
                         "builtin,builtin_pixels,random,solver,builtin_every30)")
    ag.add_argument("--cartridges", default="quest,maze,dodge,grove,keep",
                    help="comma-separated cartridges (default: quest,maze,dodge,grove,keep; "
                         "grove and keep are played pixels-only)")
    ag.add_argument("--seeds", default="0",
                    help="comma-separated seeds, each a separate run (default: 0)")
    ag.add_argument("--jobs", type=int, default=1,
                    help="runs at a time, each in its own process (default: 1; the play "
                         "figures are the same, the timings are not: take those with 1)")
    ag.set_defaults(run=run_agent)
    _add_games(bsub)
    pp = bsub.add_parser("perception", help="per-frame cost of perception (both paths)")
    pp.add_argument("--json", action="store_true", help="print one JSON object")
    pp.add_argument("--steps", type=int, default=60, help="exploration steps to record")
    pp.set_defaults(run=run_perception)
    db = bsub.add_parser("dashboard", help="a real-time run alone and with the dashboard "
                                           "watched by a headless Chromium")
    db.add_argument("--json", action="store_true", help="print one JSON object")
    db.add_argument("--seconds", type=float, default=600.0,
                    help="game time of each run (default 600 = 10 minutes)")
    db.set_defaults(run=run_dashboard)
    vb = bsub.add_parser("video", help="eevee video's speed on one core")
    vb.add_argument("--json", action="store_true", help="print one JSON object")
    vb.add_argument("--frames", type=int, default=2000, help="frames to render")
    vb.set_defaults(run=run_video)
    rb = bsub.add_parser("recall", help="a first run and a second that recalls the "
                                        "first's knowledge: frames to finish each")
    rb.add_argument("--json", action="store_true", help="print one JSON object")
    rb.add_argument("--frames", type=int, default=40_000, help="frames per run at most")
    rb.add_argument("--seeds", default="0,1",
                    help="comma-separated seeds, each a pair of runs (default: 0,1)")
    rb.add_argument("--cartridge", default="quest", help="bundled cartridge (default: quest)")
    rb.set_defaults(run=run_recall)
    sb = bsub.add_parser("strategist", help="a model strategist against the built-in one: "
                                            "latency, parse success, cache hits, milestones")
    sb.add_argument("--json", action="store_true", help="print one JSON object")
    sb.add_argument("--strategist", default="openai", choices=("openai", "transformers"),
                    help="the model strategist to measure (default: openai)")
    sb.add_argument("--frames", type=int, default=20_000, help="frames per run")
    sb.add_argument("--time-mode", default="virtual",
                    help="virtual (default: milestones in frames), realtime, paused, unlocked")
    sb.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sb.add_argument("--no-baseline", action="store_true",
                    help="skip the built-in strategist's run")
    sb.add_argument("--stand-in", default=None, metavar="LO-HI",
                    help="no model: a stand-in server on 127.0.0.1 that answers a fixed valid "
                         "strategy after LO to HI seconds (a model server elsewhere, as this "
                         "machine sees it), e.g. 1-3")
    from eevee.cli.play import add_model_options

    add_model_options(sb)
    sb.set_defaults(run=run_strategist)


def run_strategist(args: argparse.Namespace) -> int:
    from eevee.bench.strategist import strategist, table, with_stand_in
    from eevee.runner.config import model_options

    if args.frames < 1:
        raise ConfigError(f"--frames must be at least 1, got {args.frames}")
    kw = {"frames": args.frames, "time_mode": args.time_mode, "seed": args.seed,
          "baseline": not args.no_baseline, "progress": not args.json}
    if args.stand_in is not None:
        try:
            lo, hi = (float(x) for x in args.stand_in.split("-"))
        except ValueError:
            raise ConfigError(f"--stand-in wants LO-HI seconds, e.g. 1-3; got "
                              f"{args.stand_in!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo <= hi <= 600):
            raise ConfigError(f"--stand-in {args.stand_in}: want 0 <= LO <= HI <= 600")
        r = with_stand_in(lo, hi, model_options(args), **kw)
    else:
        r = strategist(args.strategist, model_options(args), **kw)
    print(json.dumps(r, indent=2, sort_keys=True) if args.json else table(r))
    return 0


def run_recall(args: argparse.Namespace) -> int:
    from eevee.bench.recall import recall, table

    if args.frames < 1:
        raise ConfigError(f"--frames must be at least 1, got {args.frames}")
    try:
        seeds = tuple(int(s) for s in args.seeds.split(",") if s.strip())
    except ValueError:
        raise ConfigError(f"--seeds wants comma-separated integers, got {args.seeds!r}") \
            from None
    if not seeds:
        raise ConfigError("--seeds names no seed; give e.g. 0,1")
    r = recall(seeds, frames=args.frames, cartridge=args.cartridge, progress=not args.json)
    print(json.dumps(r, indent=2, sort_keys=True) if args.json else table(r))
    return 0


def run_dashboard(args: argparse.Namespace) -> int:
    from eevee.bench.watching import dashboard

    if not math.isfinite(args.seconds) or args.seconds <= 0:
        raise ConfigError(f"--seconds must be a positive number, got {args.seconds}")
    r = dashboard(args.seconds, progress=not args.json)
    if args.json:
        print(json.dumps(r, indent=2, sort_keys=True))
        return 0
    for name in ("alone", "dashboard"):
        x = r[name]
        print(f"{name:9} {x['frames']} frames  deadline misses {x['deadline_misses']}  "
              f"agent p50 {x['agent_us']['p50_us']} us  p99 {x['agent_us']['p99_us']} us  "
              f"published {x['published']}")
    print(f"viewer: {r['viewer']}; agent p99 with/without: {r['agent_p99_ratio']}")
    return 0


def run_video(args: argparse.Namespace) -> int:
    from eevee.bench.watching import video

    if args.frames < 1:
        raise ConfigError(f"--frames must be at least 1, got {args.frames}")
    r = video(args.frames)
    if args.json:
        print(json.dumps(r, indent=2, sort_keys=True))
        return 0
    print(f"video: {r['frames']} frames {r['width']}x{r['height']} in {r['render_s']} s = "
          f"{r['x_real_time']}x real time (one core: {r['one_core']})")
    return 0


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")


def _add_games(bsub: Any) -> None:
    """``eevee bench games`` and its options."""
    gb = bsub.add_parser("games", help="real games pixels-only against the random "
                                       "baseline: past the title, distinct screens, stuck")
    gb.add_argument("--roms", required=True, metavar="DIR",
                    help="folder of .gb/.gbc/.gba files (and optionally manifest.json)")
    gb.add_argument("--json", action="store_true", help="print one JSON object")
    gb.add_argument("--frames", type=int, default=20_000, help="frames per run")
    gb.add_argument("--seeds", default="0",
                    help="comma-separated seeds, each a separate pair of runs (default: 0)")
    gb.add_argument("--jobs", type=int, default=1,
                    help="runs at a time, each in its own process (default: 1)")
    gb.add_argument("--games", default="",
                    help="comma-separated ROM file names (or names without the extension) "
                         "to play, of those in --roms (default: all)")
    gb.add_argument("--random-from", default="", metavar="REPORT",
                    help="an earlier --json report of the same ROMs and frames: its random "
                         "runs are taken, not played again (a random run depends only on "
                         "the ROM, the seed and the frames), to compare versions of the "
                         "agent in half the time; a run of a ROM whose SHA-1 differs from "
                         "the one of that name now is refused")
    gb.set_defaults(run=run_games)


def _seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise ConfigError(f"--seeds must be comma-separated integers, got {text!r}") from None
    return seeds or (0,)


def run_games(args: argparse.Namespace) -> int:
    from eevee.bench.games import run_games as run_all_games
    from eevee.bench.games import table

    _positive("--frames", args.frames)
    _positive("--jobs", args.jobs)
    only = tuple(g.strip() for g in args.games.split(",") if g.strip())
    earlier = (_report(args.random_from), f"--random-from {args.random_from}") \
        if args.random_from else None
    report = run_all_games(args.roms, args.frames, _seeds(args.seeds), progress=True,
                           jobs=args.jobs, only=only, random_from=earlier)
    if args.random_from:
        report["random_from"] = args.random_from
    print(json.dumps(report, indent=2, sort_keys=True) if args.json else table(report))
    return 0


def _report(path: str) -> Any:
    """An earlier report's JSON, or one line that names what is wrong with the file."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ConfigError(f"--random-from {path}: cannot read it ({e.strerror}): give "
                          "the file an earlier eevee bench games --json wrote") from None
    except ValueError:
        raise ConfigError(f"--random-from {path} is not JSON: give the file an earlier "
                          "eevee bench games --json wrote") from None


def run_agent(args: argparse.Namespace) -> int:
    from eevee.bench.agent import finishes
    from eevee.bench.agent import run_all as run_agent_all

    _positive("--frames", args.frames)
    _positive("--jobs", args.jobs)
    agents = tuple(a.strip() for a in args.agents.split(",") if a.strip())
    carts = tuple(c.strip() for c in args.cartridges.split(",") if c.strip())
    seeds = _seeds(args.seeds)
    results = run_agent_all(args.frames, agents, carts, seeds, progress=not args.json,
                            jobs=args.jobs)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    for cart, per in results.items():
        for agent, r in per.items():
            if "error" in r:
                print(f"{cart:8} {agent:15} error: {r['error']}")
                continue
            us = r["agent_us_per_frame"]
            print(f"{cart:8} {agent:15} finish {r['frames_to_finish']!s:>6}  areas "
                  f"{r['areas_entered']}  seen {r['seen_fraction']} (entered areas "
                  f"{r.get('seen_fraction_entered')})  tiles "
                  f"{r['tiles_stood_on']!s:>4}  survived {r['frames_survived']}  "
                  f"us/frame p50 {us['p50']} p99 {us['p99']}  "
                  f"{r['unlocked_fps']:.0f} fps (raw {r['raw_fps']:.0f}, "
                  f"ratio {r['fps_ratio']})")
    if len(seeds) > 1:
        for cart, per_agent in finishes(results).items():
            for agent, f in per_agent.items():
                print(f"{cart:8} {agent:15} finished {f['finished']}/{f['runs']} seeds, "
                      f"median {f['median']} frames")
    return 0


def run_perception(args: argparse.Namespace) -> int:
    from eevee.bench.perception import run_all as run_perception_all

    _positive("--steps", args.steps)
    results = run_perception_all(args.steps)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    for path, r in results["per_frame_us"].items():
        print(f"{path:7} per frame  p50 {r['p50']:8.1f} us  p99 {r['p99']:8.1f} us")
    print(f"annotate {results['annotate_ms']:.2f} ms   describe {results['describe_ms']:.3f} ms")
    return 0


def run_emulator(args: argparse.Namespace) -> int:
    from eevee.bench.emulator import run_all

    _positive("--frames", args.frames)
    results = run_all(args.frames)
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
        return 0
    print(f"{'backend':8} {'cartridge':10} {'step fps':>9} {'+screen':>9} {'+reads':>9} "
          f"{'save us':>8} {'load us':>8}")
    for backend, carts in results.items():
        for name, r in carts.items():
            if "error" in r:
                print(f"{backend:8} {name:10} error: {r['error']}")
                continue
            print(f"{backend:8} {name:10} {r['step_fps']:9.0f} {r['screen_fps']:9.0f} "
                  f"{r['reads_fps']:9.0f} {r['save_us']:8.0f} {r['load_us']:8.0f}")
    return 0
