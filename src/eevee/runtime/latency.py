"""Per-layer latency histograms: fixed memory however long a run lasts.

Each sample (nanoseconds) goes into a log-spaced bin (2% wide), so a ten-hour run
holds the same few kilobytes as a ten-second one; percentiles are read from the bins
(to within 2%), the maximum and the over-budget count are exact.

>>> lat = Latency("x", budget_ns=1000)
>>> for ns in (100, 200, 300, 5000):
...     lat.add(ns)
>>> lat.misses, abs(lat.percentile_us(50) * 1000 - 200) <= 4, lat.summary()["max_us"]
(1, True, 5.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

_RATIO = 1.02
_SCALE = 1.0 / math.log(_RATIO)
_BINS = int(math.log(1e12) * _SCALE) + 2  # 1 ns .. 1000 s


@dataclass
class Latency:
    """Samples of one layer's work time; ``budget_ns``: over it counts as a deadline miss."""

    name: str
    budget_ns: int
    bins: list[int] = field(default_factory=lambda: [0] * _BINS, repr=False)
    count: int = 0
    max_ns: int = 0
    misses: int = 0

    def add(self, ns: int) -> None:
        i = int(math.log(ns) * _SCALE + 0.5) if ns > 1 else 0
        self.bins[i if i < _BINS else _BINS - 1] += 1
        self.count += 1
        if ns > self.max_ns:
            self.max_ns = ns
        if ns > self.budget_ns:
            self.misses += 1

    def percentile_us(self, q: float) -> float | None:
        if not self.count:
            return None
        rank = max(1, math.ceil(self.count * q / 100.0))
        seen = 0
        for i, n in enumerate(self.bins):
            seen += n
            if seen >= rank:
                return min(_RATIO ** i, float(self.max_ns)) / 1000.0
        return self.max_ns / 1000.0

    def summary(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 2)

        return {
            "count": self.count,
            "p50_us": r(self.percentile_us(50)),
            "p99_us": r(self.percentile_us(99)),
            "max_us": r(self.max_ns / 1000.0 if self.count else None),
            "over_budget": self.misses,
            "budget_us": self.budget_ns / 1000.0,
        }
