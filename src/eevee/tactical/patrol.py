"""Nothing left to explore here: walk to the part of the map stood on least.

Once every cell in reach has been stood on, the explorer has nowhere to go, and a walk
with no plan wanders a few cells around where it stopped (a porch, a corridor between
houses) for as long as nothing else comes up. A player with nothing left to find walks
the map again instead, to the parts they have seen least, looking for what may have
changed: a person who moved, a way now open, an event that waits for the player to pass.
:func:`patrol_target` picks that place: of the ground in reach, the cells stood on least,
and of those the farthest from the player (a walk across the map shows most of it).

>>> import numpy as np
>>> from eevee.world.model import AreaMap
>>> amap = AreaMap.blank(0, (5, 3))
>>> amap.kinds[:, :] = CellKind.WALKABLE
>>> amap.visits[:, :] = 3
>>> amap.visits[2, 0] = amap.visits[0, 4] = 1
>>> patrol_target(amap, np.ones((3, 5), bool), (3, 0))
(0, 2)
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Mapping

import numpy as np

from eevee.goals.quests import Action, Target
from eevee.tactical.plan import Plan
from eevee.tactical.planner import TacticalPlanner
from eevee.world.model import AreaMap, CellKind

Cell = tuple[int, int]


def patrol_target(amap: AreaMap, reach: np.ndarray, cell: Cell) -> Cell | None:
    """The cell to walk to (module doc), or None: no other ground in reach.
    ``reach``: boolean ``[y, x]``, the cells connected to the player's."""
    ground = reach & (amap.kinds == CellKind.WALKABLE) & (amap.visits > 0)
    if amap.inside(cell):
        ground[cell[1], cell[0]] = False
    ys, xs = np.nonzero(ground)
    if not len(xs):
        return None
    visits = amap.visits[ys, xs]
    least = visits == visits.min()
    ys, xs = ys[least], xs[least]
    far = np.abs(xs - cell[0]) + np.abs(ys - cell[1])
    i = int(np.argmax(far))
    return int(xs[i]), int(ys[i])


def patrol_steps(planner: TacticalPlanner, frame: int, area: Hashable, cell: Cell,
                 npcs: Mapping[Hashable, Cell]) -> Generator[None, None, Plan | None]:
    """A plan to the :func:`patrol_target` of ``area`` from ``cell`` (None: no ground
    left to walk to, or no way there), its searches sliced like the planner's."""
    reach = yield from planner.reach_steps(area, cell)
    target = patrol_target(planner.world.area(area), reach, cell)
    if target is None:
        return None
    return (yield from planner.plan_steps(frame, area, cell,
                                          Action("walk", Target(area, target)), npcs))
