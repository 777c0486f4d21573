"""``eevee replay RUN``: replay a recorded run and check it is bit-exact.

RUN is a run folder left by ``eevee play`` (it holds ``recording.eevr``) or a recording
file. The buttons are stepped again from the recorded start state, on the same ROM, and
the screen and RAM hashes are compared with the recorded ones every second of game time
and at the end. No agent and no model runs. Exit status: 0 bit-exact, 1 diverged (the
frame is named), 2 a damaged recording or a missing ROM (one line saying which).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("replay", help="replay a recorded run and check it frame for frame")
    p.add_argument("folder", metavar="RUN",
                   help="run folder (with recording.eevr) or recording file")
    p.add_argument("--rom", default=None,
                   help="the ROM, if it is no longer where it was recorded")
    p.add_argument("--backend", default=None,
                   help="emulator backend (default: the one it was recorded on)")
    p.add_argument("--partial", action="store_true",
                   help="a recording cut short (a killed run): replay and check the frames "
                        "before the break")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from eevee.replay.reader import read_recording
    from eevee.replay.replayer import replay

    rec = read_recording(args.folder, partial=args.partial)
    if rec.broken:
        print(f"partial: {rec.broken}", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            sys.stderr.write(f"\rreplaying {done}/{total} frames")
            sys.stderr.flush()

    result = replay(rec, rom=args.rom, backend=args.backend, progress=progress)
    if not args.quiet:
        sys.stderr.write("\n")
    print(result.line())
    return 0 if result.exact else 1
