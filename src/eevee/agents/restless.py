"""Nothing left to explore here, as a mixin of :class:`~eevee.agents.three_layer.Agent`.

The explorer found no cell left to stand on in the area: the area is marked explored, and
once per progress epoch the strategist hears of it ("bored"). Meanwhile the reactive layer
walks with no plan, trying the edges of what was learned (a wall misread, a gap never
stood in). Two things keep that from going on for ever:

- **restless**: nothing at all to do for :data:`RESTLESS_FRAMES` (three times as long with
  a profile, whose flags show progress), everything seen is worth going round again, as
  if the game had moved on;
- **patrol**: a walk with no plan that has stood on no new cell for :data:`PATROL_EVERY`
  frames (it wanders the same few streets, or a pocket between two houses that a random
  walk hardly finds the way out of) walks across the map instead, to where it was seen
  least (:mod:`eevee.tactical.patrol`). A walk that keeps finding ground (a gap in a wall,
  a way round) is left to it.
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Mapping
from typing import TYPE_CHECKING

from eevee.profiles.profile import Profile
from eevee.reactive.controller import ReactiveController
from eevee.tactical.patrol import patrol_steps
from eevee.tactical.planner import TacticalPlanner
from eevee.world.model import WorldModel

Cell = tuple[int, int]
RESTLESS_FRAMES = 1200  # frames with nothing left to do before going round everything again
PATROL_EVERY = 600  # frames a walk with no plan may find no new ground before a patrol


class Restless:
    """What the agent does with nothing left to explore (module doc)."""

    world: WorldModel
    reactive: ReactiveController
    planner: TacticalPlanner
    profile: Profile | None
    _bored: int
    _bored_at: int

    if TYPE_CHECKING:  # (the Thinking mixin's)
        def _trigger(self, frame: int, reason: str) -> None: ...

    def _start_restless(self) -> None:
        # the progress epoch in which exploring last found nothing, and the frame it did
        # (or last went round again)
        self._bored, self._bored_at = -1, 0
        self._ground = 0  # cells stood on, everywhere, when the watch began
        self._ground_since = 0  # when it began

    def _nothing_left(self, frame: int, area: Hashable, cell: Cell,
                      npcs: Mapping[Hashable, Cell]) -> Generator[None, None, None]:
        """The explorer found nothing in ``area``: bored, restless, or a patrol (module
        doc); the reactive layer walks with no plan unless a patrol is planned."""
        self.world.area(area).explored = True
        if self._bored != self.world.curiosity.epoch:
            self._bored = self.world.curiosity.epoch
            self._bored_at = frame
            self.world.events.add(frame, "bored", targets=self.world.curiosity.bored())
        elif frame - self._bored_at >= RESTLESS_FRAMES * (1 if self.profile is None else 3):
            # nothing at all to do for a long while, and nothing seen to change: as a
            # player would, go round everything once more as if the game had moved on
            # (without a profile, most progress is never seen happen)
            self._bored_at = frame
            self.world.events.add(frame, "restless", epoch=self.world.curiosity.progress())
            for amap in self.world.areas.values():
                amap.explored = False
                assert amap.given_up is not None
                amap.given_up[:] = False
        if self._found_no_ground(frame):
            plan = yield from patrol_steps(self.planner, frame, area, cell, npcs)
            if plan is not None:
                self.reactive.set_plan(plan, "patrol")
                self.world.events.add(frame, "patrol", area=area, cell=list(plan.target or ()))
        self._trigger(frame, "explored")

    def _found_no_ground(self, frame: int) -> bool:
        """Whether the player stood on no new cell over the last :data:`PATROL_EVERY`
        frames (checked once such a watch is over; a new one begins)."""
        if frame - self._ground_since < PATROL_EVERY:
            return False
        ground = self.world.tiles_stood_on()
        found, self._ground, self._ground_since = ground > self._ground, ground, frame
        return not found
