"""Strategists for tests: one that is slow on purpose (wall time, declared latency)."""

from __future__ import annotations

import time

from eevee.strategists.base import Strategist, Strategy, StrategyContext


class SlowStrategist:
    """Wraps another strategist; each call sleeps ``sleep_s`` and declares ``latency_s``."""

    def __init__(self, inner: Strategist, sleep_s: float = 1.0,
                 latency_s: float | None = None) -> None:
        self.inner = inner
        self.sleep_s = sleep_s
        self.latency_s: float | None = latency_s if latency_s is not None else sleep_s
        self.name = f"slow({inner.name})"
        self.calls = 0

    def think(self, context: StrategyContext) -> Strategy:
        self.calls += 1
        if self.sleep_s > 0:
            time.sleep(self.sleep_s)
        return self.inner.think(context)
