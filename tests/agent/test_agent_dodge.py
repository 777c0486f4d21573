"""The builtin agent on dodge: deciding every frame survives far longer than every 30th."""

from __future__ import annotations

import json
import subprocess
import sys


def survived(agent: str, frames: int) -> int:
    code = ("import json; from eevee.bench.agent import measure; "
            f"print(json.dumps(measure('dodge', {agent!r}, {frames})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    return int(json.loads(out.stdout.strip().splitlines()[-1])["frames_survived"])


def test_every_frame_survives_at_least_three_times_longer_than_every_30th() -> None:
    every_frame = survived("builtin", 4000)
    every_30 = survived("builtin_every30", 4000)
    assert every_frame >= 3 * every_30, (every_frame, every_30)
