"""``eevee bench dashboard`` and ``eevee bench video``: what watching a run costs.

- **dashboard**: the same real-time run of the quest cartridge (same seed, same frames)
  twice — once alone, once with the live dashboard serving a page that a real headless
  Chromium has open — and, for each, the deadline misses and the agent's per-frame work
  (p50, p99). Watching must not make a frame late or the agent slower.
- **video**: a recorded run rendered to MP4 with the side panel, pinned to one CPU core;
  the speed as a multiple of real time.

Figures are from one run each, as ratios and percentiles, never asserted in tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.runner.config import RunConfig
from eevee.runner.live import LiveState
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode

CHROMIUM = "/usr/bin/chromium"


def dashboard(seconds: float, *, seed: int = 0, progress: bool = False) -> dict[str, Any]:
    """Deadline misses and agent work per frame, with and without a watched dashboard."""
    frames = max(60, round(seconds * FRAME_RATE_HZ))
    out: dict[str, Any] = {"seconds": seconds, "frames": frames, "cartridge": "quest"}
    with tempfile.TemporaryDirectory() as tmp:
        out["alone"] = _realtime(Path(tmp) / "alone", frames, seed, None, progress)
        from eevee.dashboard import Dashboard

        live = LiveState()
        with Dashboard(live) as board, _page(board.url) as viewer:
            out["viewer"] = viewer
            out["dashboard"] = _realtime(Path(tmp) / "watched", frames, seed, live, progress)
    a, d = out["alone"]["agent_us"]["p99_us"], out["dashboard"]["agent_us"]["p99_us"]
    out["agent_p99_ratio"] = round(d / a, 3) if a and d else None
    return out


def _realtime(folder: Path, frames: int, seed: int, live: LiveState | None,
              progress: bool) -> dict[str, Any]:
    config = RunConfig(rom="quest", time_mode=TimeMode.REALTIME, frames=frames, seed=seed,
                       out=str(folder), screenshot_every=0, until="frames")
    summary = play(config, progress=progress, live=live)
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    lat = data["agent_stats"]["latency"]["agent"]
    return {"deadline_misses": summary.deadline_misses, "frames": summary.frames,
            "agent_us": {"p50_us": lat["p50_us"], "p99_us": lat["p99_us"],
                         "max_us": lat["max_us"]},
            "published": live.latest().version if live is not None else 0}


@contextlib.contextmanager
def _page(url: str) -> Iterator[str]:
    """The dashboard open in a real headless Chromium (its own process) while the run
    plays; a WebSocket reader stands in where there is no Chromium (said in the JSON)."""
    if shutil.which(CHROMIUM):
        with tempfile.TemporaryDirectory() as profile:
            proc = subprocess.Popen(
                [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 "--remote-debugging-port=0", url],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                yield "chromium (headless)"
            finally:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(10)
                if proc.poll() is None:
                    proc.kill()
        return
    yield "none (no chromium here): the page was not open"


def video(frames: int = 2000, *, seed: int = 0, one_core: bool = True) -> dict[str, Any]:
    """Render a ``frames``-frame recorded quest run with the panel; speed vs real time."""
    from eevee.replay.reader import read_recording
    from eevee.replay.video import render

    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        play(RunConfig(rom="quest", time_mode=TimeMode.VIRTUAL, frames=frames, seed=seed,
                       out=str(run), screenshot_every=0, until="frames"), progress=False)
        rec = read_recording(run)
        cores = None
        if one_core and hasattr(os, "sched_setaffinity"):
            cores = os.sched_getaffinity(0)
            os.sched_setaffinity(0, {min(cores)})  # (the encoder's threads too)
        try:
            r = render(rec, Path(tmp) / "run.mp4")
        finally:
            if cores is not None:
                os.sched_setaffinity(0, cores)
        size = (Path(tmp) / "run.mp4").stat().st_size
    return {"frames": r.frames, "width": r.width, "height": r.height,
            "render_s": round(r.seconds, 2), "x_real_time": round(r.speed, 2),
            "one_core": cores is not None, "mp4_bytes": size}
