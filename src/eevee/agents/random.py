"""The random baseline: uniformly random buttons, each held for a few frames, seeded.

Nothing about the game is read (no profile, no game mode, no screen): every few frames
it draws one of nine actions — the four d-pad directions, A, B, START, SELECT or nothing —
uniformly and holds it for ``min_hold..max_hold`` frames. It is the "random" baseline
of ``eevee bench agent``; :class:`~eevee.agents.wander.WanderPolicy` is the smarter
"wander" baseline (START on titles, A through dialogue, long walks).

>>> from eevee.agents.random import RandomPolicy
>>> a, b = RandomPolicy(seed=3), RandomPolicy(seed=3)
>>> [a.act(None, f) for f in range(50)] == [b.act(None, f) for f in range(50)]
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from eevee.emulator.buttons import Buttons

ACTIONS: tuple[Buttons, ...] = (
    Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT,
    Buttons.A, Buttons.B, Buttons.START, Buttons.SELECT, Buttons.NONE,
)


class RandomPolicy:
    """Seeded uniformly random actions held ``min_hold..max_hold`` frames each."""

    name = "random"

    def __init__(self, seed: int = 0, min_hold: int = 4, max_hold: int = 12) -> None:
        self._rng = random.Random(seed)
        self._min_hold = min_hold
        self._max_hold = max_hold
        self._current = Buttons.NONE
        self._left = 0

    def act(self, values: Mapping[str, int] | None = None, frame: int = 0) -> Buttons:
        """Buttons to hold during the next frame (``values`` and ``frame`` are ignored)."""
        if self._left <= 0:
            self._current = self._rng.choice(ACTIONS)
            self._left = self._rng.randint(self._min_hold, self._max_hold)
        self._left -= 1
        return self._current
