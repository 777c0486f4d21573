"""The one contract every agent implements: an observation in, buttons out.

In the spirit of Gymnasium's ``Env`` and LeRobot's policies: :class:`Observation` is
what the frame loop hands over each frame, :class:`Policy` what it asks of every agent
— the three-layer agent, the random and wander baselines, the scripted solver's
replay. The loop (:mod:`eevee.runner.loop`) knows only the emulator, the clock and a
policy.

- ``senses`` says what the policy reads, so the loop reads nothing it does not need
  (a random policy costs no memory reads at all);
- ``act`` does bounded work and no I/O (it runs inside the frame);
- ``drain_events`` hands what happened to the run log, between frames.

>>> from eevee.agents.baselines import RandomPolicy
>>> p = RandomPolicy(seed=1)
>>> p.reset(seed=1)
>>> obs = Observation(frame=0, screen=np.zeros((160, 240, 3), np.uint8))
>>> isinstance(p, Policy), 0 <= p.act(obs) < 1024, p.drain_events()
(True, True, [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

# what a policy may read; the loop reads only what ``Policy.senses`` lists
SCREEN, MEMORY, VARIABLES, TABLES = "screen", "memory", "variables", "tables"
ALL_SENSES = frozenset((SCREEN, MEMORY, VARIABLES, TABLES))


@dataclass(frozen=True)
class Observation:
    """One frame as the policy sees it (valid until the next step).

    ``screen``: (H, W, 3) uint8. ``memory``: the blocks the backend can read that
    perception uses (GBA ``io``, ``vram``, ``oam``, ``palette``). ``variables``: the
    profile's RAM variables when a profile matched, else None. ``tables``: the profile's
    raw RAM tables (e.g. ``hazards``) by name."""

    frame: int
    screen: np.ndarray
    memory: Mapping[str, bytes] = field(default_factory=dict)
    variables: Mapping[str, int] | None = None
    tables: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """Something that happened, for the run log: ``frame``, ``kind`` and data."""

    frame: int
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Policy(Protocol):
    """Buttons (an int of :class:`~eevee.emulator.buttons.Buttons` bits) per frame."""

    name: str
    senses: frozenset[str]

    def reset(self, *, seed: int | None = None) -> None: ...

    def act(self, obs: Observation) -> int: ...

    def drain_events(self) -> list[Event]: ...

    def stats(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
