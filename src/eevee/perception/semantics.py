"""Tile meaning learned from experience: what happened when the player tried to move onto a tile.

Each attempted move is recorded against the tile ids of the target cell with its
outcome; per tile the counts give beliefs (a Dirichlet posterior: counts plus a small
prior) over five meanings. Serialisable to a dict so it is kept per game.

>>> sem = TileSemantics()
>>> for _ in range(3):
...     sem.record([5], Outcome.MOVED)
>>> sem.record([9], Outcome.BLOCKED)
>>> sem.meaning(5), sem.meaning(9), sem.meaning(77)
('walkable', 'wall', 'unknown')
>>> round(sem.belief(5)["walkable"], 2)
0.8
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MEANINGS = ("walkable", "wall", "door", "interactive", "hazard")


class Outcome(str, enum.Enum):
    """What an attempted move (or A press) onto a tile led to."""

    MOVED = "moved"
    BLOCKED = "blocked"
    CHANGED_AREA = "changed_area"
    OPENED_DIALOGUE = "opened_dialogue"
    LOST_HP = "lost_hp"


# which meaning each outcome is evidence for
_EVIDENCE = {
    Outcome.MOVED: "walkable",
    Outcome.BLOCKED: "wall",
    Outcome.CHANGED_AREA: "door",
    Outcome.OPENED_DIALOGUE: "interactive",
    Outcome.LOST_HP: "hazard",
}


@dataclass
class TileSemantics:
    """Per-tile outcome counts and the beliefs they give.

    ``prior``: pseudo-count added to every meaning (so one observation gives a belief of
    (1 + prior) / (1 + 5 prior)). ``min_confidence``: below it :meth:`meaning` says
    ``"unknown"``.
    """

    prior: float = 0.2
    min_confidence: float = 0.5
    counts: dict[int, dict[str, float]] = field(default_factory=dict)

    def record(self, tile_ids: Iterable[int], outcome: Outcome | str, weight: float = 1.0) -> None:
        """Count ``outcome`` for every tile id of the target cell (unknown ids, <0, skipped)."""
        meaning = _EVIDENCE[Outcome(outcome)]
        for tid in set(int(t) for t in tile_ids):
            if tid < 0:
                continue
            row = self.counts.setdefault(tid, dict.fromkeys(MEANINGS, 0.0))
            row[meaning] += weight

    def belief(self, tile_id: int) -> dict[str, float]:
        """Probability of each meaning for ``tile_id`` (uniform when never seen)."""
        row = self.counts.get(int(tile_id))
        k = len(MEANINGS)
        if row is None:
            return dict.fromkeys(MEANINGS, 1.0 / k)
        total = sum(row.values()) + self.prior * k
        return {m: (row[m] + self.prior) / total for m in MEANINGS}

    def meaning(self, tile_id: int) -> str:
        """The most likely meaning, or ``"unknown"`` when not confident."""
        b = self.belief(tile_id)
        best = max(b, key=lambda m: b[m])
        return best if b[best] >= self.min_confidence else "unknown"

    def cell_meaning(self, tile_ids: Iterable[int]) -> tuple[str, float]:
        """Meaning of a cell made of several tiles (e.g. a 16×16 metatile): the summed
        evidence of its tiles; blocked anywhere beats walkable."""
        k = len(MEANINGS)
        total = dict.fromkeys(MEANINGS, 0.0)
        for tid in set(int(t) for t in tile_ids):
            row = self.counts.get(tid)
            if row:
                for m in MEANINGS:
                    total[m] += row[m]
        n = sum(total.values())
        if n == 0:
            return "unknown", 0.0
        probs = {m: (total[m] + self.prior) / (n + self.prior * k) for m in MEANINGS}
        best = max(probs, key=lambda m: probs[m])
        return (best, probs[best]) if probs[best] >= self.min_confidence else ("unknown",
                                                                                probs[best])

    def meaning_grid(self, ids: Any) -> Any:
        """Meaning index per cell of an id grid (0..4 as in :data:`MEANINGS`, -1 unknown)."""
        import numpy as np

        lut_ids = np.array(sorted(self.counts), dtype=np.int64)
        out = np.full(ids.shape, -1, dtype=np.int8)
        if lut_ids.size == 0:
            return out
        codes = np.array(
            [MEANINGS.index(m) if (m := self.meaning(int(t))) != "unknown" else -1
             for t in lut_ids], dtype=np.int8)
        pos = np.searchsorted(lut_ids, ids)
        pos = np.minimum(pos, lut_ids.size - 1)
        hit = lut_ids[pos] == ids
        out[hit] = codes[pos[hit]]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "format": 1,
            "prior": self.prior,
            "min_confidence": self.min_confidence,
            "counts": {str(k): {m: v for m, v in row.items() if v} for k, row in
                       sorted(self.counts.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TileSemantics:
        out = cls(prior=float(data.get("prior", 0.2)),
                  min_confidence=float(data.get("min_confidence", 0.5)))
        for key, row in data.get("counts", {}).items():
            full = dict.fromkeys(MEANINGS, 0.0)
            full.update({m: float(v) for m, v in row.items() if m in full})
            out.counts[int(key)] = full
        return out
