"""Strategies cached by situation, with staleness (a strategy ages in game frames) and,
for a strategist that looks, the frame: an entry put with a :func:`look_of` the frame is
served only to a frame that looks the same (30×20 block means within :data:`LOOK_SAME`).

>>> from eevee.goals.quests import Objective
>>> cache = StrategyCache(max_age=100)
>>> s = Strategy(Objective("x", 3, "explore"), situation="a", made_at=0)
>>> cache.put(s)
>>> cache.get("a", frame=50) is s, cache.get("a", frame=200)
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from eevee.strategists.base import Strategy

LOOK_SAME = 6.0  # mean absolute difference (0-255) of two looks that count as the same frame


@dataclass
class StrategyCache:
    max_age: int = 600
    max_entries: int = 256
    entries: dict[str, Strategy] = field(default_factory=dict)
    looks: dict[str, np.ndarray | None] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def put(self, strategy: Strategy, look: np.ndarray | None = None) -> None:
        key = strategy.situation
        if key not in self.entries and len(self.entries) >= self.max_entries:
            oldest = next(iter(self.entries))
            del self.entries[oldest], self.looks[oldest]
        self.entries[key], self.looks[key] = strategy, look

    def get(self, situation: str, frame: int,
            look: np.ndarray | None = None) -> Strategy | None:
        s = self.entries.get(situation)
        if s is None or self.stale(s, frame) or not _same(self.looks.get(situation), look):
            self.misses += 1
            return None
        self.hits += 1
        return s

    def stale(self, strategy: Strategy, frame: int) -> bool:
        return frame - strategy.made_at > self.max_age

    def invalidate(self) -> None:
        self.entries.clear()
        self.looks.clear()


def look_of(frame: np.ndarray | None) -> np.ndarray | None:
    """A frame in 30×20 block means (grey), for telling whether two frames look alike."""
    if frame is None:
        return None
    g = np.asarray(frame, np.float32).mean(axis=2)
    h, w = g.shape
    bh, bw = max(1, h // 20), max(1, w // 30)
    g = g[: bh * (h // bh), : bw * (w // bw)]
    return g.reshape(h // bh, bh, w // bw, bw).mean(axis=(1, 3))


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and float(np.abs(a - b).mean()) < LOOK_SAME
