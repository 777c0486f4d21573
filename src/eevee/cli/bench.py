"""``eevee bench emulator``: benchmark figures as JSON or a table."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("bench", help="run a benchmark")
    bsub = p.add_subparsers(dest="bench", metavar="BENCHMARK")
    bsub.required = True
    e = bsub.add_parser("emulator", help="speed of each local emulator backend")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--frames", type=int, default=3000, help="frames per measurement")
    e.set_defaults(run=run_emulator)
    pp = bsub.add_parser("perception", help="per-frame cost of perception (both paths)")
    pp.add_argument("--json", action="store_true", help="print one JSON object")
    pp.add_argument("--steps", type=int, default=60, help="exploration steps to record")
    pp.set_defaults(run=run_perception)


def run_perception(args: argparse.Namespace) -> int:
    from eevee.bench.perception import run_all as run_perception_all

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
