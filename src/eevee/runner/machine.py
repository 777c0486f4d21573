"""Measurements of the machine a run keeps between frames: garbage-collection times,
the paced-play collection schedule, and resident memory samples."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from typing import Any

from eevee.runner.runlog import RunLog

RSS_EVERY = 600  # frames between resident-memory samples (never on the per-frame path)
MINUTE_FRAMES = 3584  # one minute of game time at 59.7275 Hz
CHECK_EVERY = 60  # frames between the loop's low-rate work
FLUSH_EVERY = 60  # frames between event-log appends (a second of game time)
PROGRESS_EVERY = 600  # frames between progress-line updates


class GcTimes:
    """The longest garbage collection per generation, in ms (``gc.callbacks``): what a
    collection between frames costs the next frame's budget."""

    def __init__(self) -> None:
        self.worst_ms = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._t = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._t = time.perf_counter()
            return
        g = int(info.get("generation", 0))
        ms = (time.perf_counter() - self._t) * 1000.0
        self.count[g] += 1
        if ms > self.worst_ms[g]:
            self.worst_ms[g] = ms

    def summary(self) -> dict[str, Any]:
        return {f"gen{g}": {"count": self.count[g], "worst_ms": round(self.worst_ms[g], 3)}
                for g in range(3)}


def collect(frame: int) -> None:
    """The garbage collection paced play does between frames: the young generation
    every second, the middle one every ten, everything (start-up objects stay frozen)
    every minute — each short, and never inside a frame's work. What survives a full
    collection is long-lived (the world model, caches): it is frozen too, so the next
    full collection scans only the minute's new objects (7 ms → well under 1 ms on a
    ten-minute quest run)."""
    if frame % MINUTE_FRAMES < CHECK_EVERY:
        gc.collect()
        gc.freeze()
    elif frame % (10 * CHECK_EVERY) < CHECK_EVERY:
        gc.collect(1)
    else:
        gc.collect(0)


@contextlib.contextmanager
def paced_gc(paced: bool) -> Iterator[GcTimes]:
    """The garbage collector for a run: start-up objects frozen (short collections in
    the loop); in paced play no collection may start inside a frame's work — they run
    at a low fixed rate between frames instead (:func:`collect`). Yields the collection
    times; everything is as it was afterwards."""
    gc.collect()
    gc.freeze()
    times = GcTimes()
    gc.callbacks.append(times)
    paused = paced and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield times
    finally:
        if times in gc.callbacks:
            gc.callbacks.remove(times)
        gc.unfreeze()
        if paused:
            gc.enable()


def read_rss_mb() -> float | None:
    """This process's resident memory in MB (``VmRSS`` of /proc/self/status), if known."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


class RssLog:
    """Resident-memory samples taken between frames, every ``RSS_EVERY`` frames."""

    def __init__(self) -> None:
        self.samples: list[tuple[int, float]] = []

    def sample(self, frame: int, log: RunLog) -> None:
        mb = read_rss_mb()
        if mb is None:
            return
        self.samples.append((frame, mb))
        log.metric(frame, "rss", mb=round(mb, 1))

    def at(self, frame: int) -> float | None:
        """The first sample at or after ``frame`` (None when the run ended before)."""
        return next((round(mb, 1) for f, mb in self.samples if f >= frame), None)

    def summary(self) -> dict[str, Any]:
        if not self.samples:
            return {}
        m1, m10 = self.at(MINUTE_FRAMES), self.at(10 * MINUTE_FRAMES - RSS_EVERY)
        growth = None
        if m1 is not None:
            last = m10 if m10 is not None else round(self.samples[-1][1], 1)
            growth = round(100.0 * (last - m1) / m1, 2) if m1 else None
        return {
            "start": round(self.samples[0][1], 1),
            "minute_1": m1,
            "minute_10": m10,
            "end": round(self.samples[-1][1], 1),
            "max": round(max(mb for _, mb in self.samples), 1),
            "growth_pct_from_minute_1": growth,
        }
