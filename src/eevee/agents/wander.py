"""A simple baseline policy: press START on titles, A through dialogue, otherwise walk.

It reads only the profile's ``game_mode`` (when there is a profile) and its own seeded
random generator, so it is deterministic for a seed. It is the "wander" baseline of the
benchmarks and the placeholder behind ``eevee play`` until the three-layer agent lands.

>>> from eevee.agents.wander import WanderPolicy
>>> policy = WanderPolicy(seed=1)
>>> policy.act({"game_mode": 0}, frame=0).name
'START'
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from eevee.emulator.buttons import Buttons

_DIRECTIONS = (Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT)

# game_mode values shared by the bundled cartridges' profiles
MODE_TITLE = 0
MODE_DIALOGUE = 2
MODE_MENU = 3
MODE_BATTLE = 4


class WanderPolicy:
    """Seeded random walk with tap-to-advance for titles, dialogue, menus and battles."""

    name = "wander"

    def __init__(self, seed: int = 0, min_hold: int = 8, max_hold: int = 48) -> None:
        self._rng = random.Random(seed)
        self._min_hold = min_hold
        self._max_hold = max_hold
        self._current = Buttons.NONE
        self._left = 0

    def act(self, values: Mapping[str, int] | None, frame: int) -> Buttons:
        """Buttons to hold during the next frame."""
        mode = values.get("game_mode") if values else None
        if mode in (MODE_TITLE, MODE_DIALOGUE, MODE_BATTLE) or (mode is None and frame < 240):
            # tap: press on even frames, release on odd ones so each press is a new edge
            if frame % 2:
                return Buttons.NONE
            return Buttons.START if mode in (MODE_TITLE, None) else Buttons.A
        if mode == MODE_MENU:
            return Buttons.B if frame % 2 == 0 else Buttons.NONE
        if self._left <= 0:
            self._current = self._rng.choice(_DIRECTIONS)
            if self._rng.random() < 0.1:
                self._current |= Buttons.A
            self._left = self._rng.randint(self._min_hold, self._max_hold)
        self._left -= 1
        return self._current
