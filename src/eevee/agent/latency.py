"""Per-layer latency histograms (nanosecond samples, percentiles on demand)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Latency:
    """Samples of one layer's work time; ``budget_ns``: over it counts as a deadline miss."""

    name: str
    budget_ns: int
    samples: list[int] = field(default_factory=list)
    misses: int = 0

    def add(self, ns: int) -> None:
        self.samples.append(ns)
        if ns > self.budget_ns:
            self.misses += 1

    def percentile_us(self, q: float) -> float | None:
        if not self.samples:
            return None
        return float(np.percentile(np.asarray(self.samples, dtype=np.float64), q)) / 1000.0

    def summary(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 2)

        return {
            "count": len(self.samples),
            "p50_us": r(self.percentile_us(50)),
            "p99_us": r(self.percentile_us(99)),
            "max_us": r(max(self.samples) / 1000.0 if self.samples else None),
            "over_budget": self.misses,
            "budget_us": self.budget_ns / 1000.0,
        }
