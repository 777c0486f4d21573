"""Strategies cached by situation, with staleness (a strategy ages in game frames).

>>> from eevee.goals.quests import Objective
>>> cache = StrategyCache(max_age=100)
>>> s = Strategy(Objective("x", 3, "explore"), situation="a", made_at=0)
>>> cache.put(s)
>>> cache.get("a", frame=50) is s, cache.get("a", frame=200)
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eevee.strategists.base import Strategy


@dataclass
class StrategyCache:
    max_age: int = 600
    entries: dict[str, Strategy] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def put(self, strategy: Strategy) -> None:
        self.entries[strategy.situation] = strategy

    def get(self, situation: str, frame: int) -> Strategy | None:
        s = self.entries.get(situation)
        if s is None or self.stale(s, frame):
            self.misses += 1
            return None
        self.hits += 1
        return s

    def stale(self, strategy: Strategy, frame: int) -> bool:
        return frame - strategy.made_at > self.max_age

    def invalidate(self) -> None:
        self.entries.clear()
