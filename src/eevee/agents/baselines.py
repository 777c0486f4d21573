"""Baseline policies: uniformly random buttons, a seeded wanderer, and a scripted replay.

- :class:`RandomPolicy` reads nothing about the game: every few frames it draws one of
  nine actions (the four directions, A, B, START, SELECT or nothing) uniformly and holds
  it for ``min_hold..max_hold`` frames — the "random" baseline of the benchmarks;
- :class:`WanderPolicy` reads only the profile's ``game_mode`` (when there is one):
  START on titles, A through dialogue and battles, B out of menus, else long random walks;
- :class:`ScriptPolicy` replays a fixed list of (buttons, frames) holds — the scripted
  solver's recording, which the benchmarks compare against. It is given the inputs; it
  never reads a solver file itself;
- :class:`HandPolicy` presses what a person holds (the live dashboard's keyboard play,
  ``eevee play --human``), so a person's play runs through the same loop and is
  recorded like an agent's.

All are deterministic for a seed.

>>> import numpy as np
>>> from eevee.agents.policy import Observation
>>> obs = [Observation(f, np.zeros((1, 1, 3), np.uint8)) for f in range(50)]
>>> a, b = RandomPolicy(seed=3), RandomPolicy(seed=3)
>>> [a.act(o) for o in obs] == [b.act(o) for o in obs]
True
>>> s = ScriptPolicy([(0x8, 2), (0x1, 1)])
>>> [s.act(o) for o in obs[:4]]
[8, 8, 1, 0]
>>> held = [0x40]
>>> HandPolicy(lambda: held[0]).act(obs[0])
64
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from eevee.agents.policy import VARIABLES, Event, Observation
from eevee.emulator.buttons import Buttons

ACTIONS: tuple[int, ...] = tuple(int(b) for b in (
    Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT,
    Buttons.A, Buttons.B, Buttons.START, Buttons.SELECT, Buttons.NONE,
))
_DIRECTIONS = tuple(int(b) for b in (Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT))
# game_mode values shared by the bundled cartridges' profiles
MODE_TITLE, MODE_DIALOGUE, MODE_MENU, MODE_BATTLE = 0, 2, 3, 4


class _Baseline:
    """What every baseline shares: a seed, no events, no resources."""

    name = "baseline"
    senses: frozenset[str] = frozenset()

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._rng = random.Random(seed)

    def reset(self, *, seed: int | None = None) -> None:
        if seed is not None:
            self.seed = seed
        self._rng = random.Random(self.seed)

    def drain_events(self) -> list[Event]:
        return []

    def stats(self) -> dict[str, Any]:
        return {"policy": self.name, "seed": self.seed}

    def close(self) -> None:
        return None


class RandomPolicy(_Baseline):
    """Seeded uniformly random actions held ``min_hold..max_hold`` frames each."""

    name = "random"

    def __init__(self, seed: int = 0, min_hold: int = 4, max_hold: int = 12) -> None:
        super().__init__(seed)
        self._min_hold, self._max_hold = min_hold, max_hold
        self._current, self._left = 0, 0

    def reset(self, *, seed: int | None = None) -> None:
        super().reset(seed=seed)
        self._current, self._left = 0, 0

    def _hold(self, choices: Sequence[int], extra: int = 0, p_extra: float = 0.0) -> int:
        """A seeded choice from ``choices`` held ``min_hold..max_hold`` frames (with
        ``extra`` added with probability ``p_extra``)."""
        if self._left <= 0:
            self._current = self._rng.choice(choices)
            if p_extra and self._rng.random() < p_extra:
                self._current |= extra
            self._left = self._rng.randint(self._min_hold, self._max_hold)
        self._left -= 1
        return self._current

    def act(self, obs: Observation) -> int:
        return self._hold(ACTIONS)


class WanderPolicy(RandomPolicy):
    """Seeded random walk with tap-to-advance for titles, dialogue, menus and battles."""

    name = "wander"
    senses = frozenset((VARIABLES,))

    def __init__(self, seed: int = 0, min_hold: int = 8, max_hold: int = 48) -> None:
        super().__init__(seed, min_hold, max_hold)

    def act(self, obs: Observation) -> int:
        frame = obs.frame
        mode = obs.variables.get("game_mode") if obs.variables else None
        if mode in (MODE_TITLE, MODE_DIALOGUE, MODE_BATTLE) or (mode is None and frame < 240):
            # tap: press on even frames, release on odd ones so each press is a new edge
            if frame % 2:
                return 0
            return int(Buttons.START if mode in (MODE_TITLE, None) else Buttons.A)
        if mode == MODE_MENU:
            return int(Buttons.B) if frame % 2 == 0 else 0
        return self._hold(_DIRECTIONS, int(Buttons.A), 0.1)


class ScriptPolicy(_Baseline):
    """Replays ``inputs`` — (buttons, frames) holds — then presses nothing."""

    name = "solver"

    def __init__(self, inputs: Sequence[tuple[int, int]]) -> None:
        super().__init__(0)
        self._frames: list[int] = []
        for buttons, n in inputs:
            self._frames += [int(buttons)] * int(n)
        self._i = 0

    @property
    def length(self) -> int:
        return len(self._frames)

    def reset(self, *, seed: int | None = None) -> None:
        super().reset(seed=seed)
        self._i = 0

    def act(self, obs: Observation) -> int:
        i = self._i
        self._i += 1
        return self._frames[i] if i < len(self._frames) else 0


class HandPolicy(_Baseline):
    """Presses what ``keys()`` says a person holds (bits of
    :class:`~eevee.emulator.buttons.Buttons`); reads nothing of the game."""

    name = "human"

    def __init__(self, keys: Callable[[], int]) -> None:
        super().__init__(0)
        self._keys = keys

    def act(self, obs: Observation) -> int:
        return int(self._keys()) & 0x3FF
