"""``eevee video RUN -o run.mp4``: render a recorded run to an H.264 MP4.

The run is replayed from its recording (no agent, no model) and each frame is drawn
scaled up with the 8×8 tile grid and a side panel of what the agent knew and meant
(:mod:`eevee.replay.video`); ``--raw`` gives the plain screen.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("video", help="render a recorded run to an MP4 video")
    p.add_argument("folder", metavar="RUN",
                   help="run folder (with recording.eevr) or recording file")
    p.add_argument("-o", "--output", default=None,
                   help="the MP4 to write (default: RUN/run.mp4)")
    p.add_argument("--raw", action="store_true", help="the plain screen, no grid or panel")
    p.add_argument("--scale", type=int, default=2, help="pixel scale 1-8 (default 2)")
    p.add_argument("--from", dest="first", type=int, default=0,
                   help="first frame (default 0)")
    p.add_argument("--to", dest="last", type=int, default=None,
                   help="last frame (default: the end)")
    p.add_argument("--rom", default=None,
                   help="the ROM, if it is no longer where it was recorded")
    p.add_argument("--partial", action="store_true",
                   help="a recording cut short (a killed run): render what it holds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from eevee.replay.reader import read_recording
    from eevee.replay.video import render

    rec = read_recording(args.folder, partial=args.partial)
    out = Path(args.output) if args.output else rec.path.parent / "run.mp4"
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if args.quiet:
            return
        width, fps = 30, done / max(time.perf_counter() - t0, 1e-9)
        bar = "#" * int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{bar:<{width}}] {done}/{total} frames  {fps:5.0f} fps")
        sys.stderr.flush()

    result = render(rec, out, scale=args.scale, raw=args.raw, first=args.first,
                    last=args.last, rom=args.rom, progress=progress)
    if not args.quiet:
        sys.stderr.write("\n")
    print(f"wrote {result.path}: {result.frames} frames, {result.width}x{result.height}, "
          f"{result.seconds:.1f} s ({result.speed:.1f}x real time)")
    return 0
