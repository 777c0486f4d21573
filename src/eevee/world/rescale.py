"""What was learned by cell, moved into cells of another size.

Without a profile, the cell size is a guess until the player's moves tell it (a grid
walker's step; a free mover, found out only after a few walks, gets 8-pixel tiles). What
was learned before then — the cells stood on, the walls walked into, the doors, where
people stand, what was tried where — is in cells of the old size. :func:`rescale` puts
each of these where it lies in the new cells, as a player who learns the map is finer
than they thought does not forget where they have been.

A cell ``k`` of size ``c`` is centred on pixel ``k * c`` (the player's cell is the
nearest one), so a new cell lies in the old cell ``round(k * new / old)`` and an old
cell's centre in the new cell ``round(k * old / new)``. What is seen again is seen in the
new cells: the looks (a look is a cell's tiles, so one of another size never matches) are
dropped, to be taken at the next look, and nothing is taken for redrawn meanwhile.

>>> from eevee.world.model import CellKind, WorldModel
>>> w = WorldModel(default_size=(8, 8))
>>> w.observe(0, 0, (2, 1)); w.mark(0, 0, (3, 1), CellKind.WALL, "bumped")
>>> rescale(w, 16, 8)
>>> w.last_cell, bool(w.area(0).visits[2, 4]), w.area(0).kind((6, 2)).name
((4, 2), True, 'WALL')
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from eevee.world.model import AreaMap, CellKind, Transition, WorldModel

Cell = tuple[int, int]
BY_CELL = ("cell", "step", "push")  # tries whose target is an (area, cell), not a thing


def to_new(cell: Cell, old: int, new: int) -> Cell:
    """The new cell an old cell's centre lies in.

    >>> to_new((3, 5), 16, 8), to_new((7, 10), 8, 16)
    ((6, 10), (4, 5))
    """
    return ((cell[0] * old + new // 2) // new, (cell[1] * old + new // 2) // new)


def rescale(world: WorldModel, old: int, new: int) -> None:
    """Move everything ``world`` learned by cell from ``old``-pixel cells into
    ``new``-pixel ones (module doc). The maps keep their sizes in cells."""
    if old == new or old <= 0 or new <= 0:
        return
    for amap in world.areas.values():
        _rescale_map(amap, old, new)
    moved = {}
    for (area, cell), t in world.transitions.items():
        c = to_new(cell, old, new)
        moved[(area, c)] = Transition(area, c, t.to_area,
                                      None if t.to_cell is None else to_new(t.to_cell, old, new),
                                      t.learned)
        world.area(area).set(c, CellKind.DOOR)
    world.transitions = moved
    cur = world.curiosity
    for things in cur.things.values():
        for thing in things:
            thing.home, thing.cell = to_new(thing.home, old, new), to_new(thing.cell, old, new)
            thing.size = max(1, -(-thing.size * old // new))
    cur.tries = {_target(k, old, new): v for k, v in cur.tries.items()}
    for name in ("healers", "ways", "unreached"):
        setattr(cur, name, {_target(k, old, new) for k in getattr(cur, name)})
    for spots in world.npcs.values():
        for i, c in spots.items():
            spots[i] = to_new(c, old, new)
    for area, cells in world.items.items():
        world.items[area] = {to_new(c, old, new) for c in cells}
    if world.last_cell is not None:
        world.last_cell = to_new(world.last_cell, old, new)


def _rescale_map(amap: AreaMap, old: int, new: int) -> None:
    """One area's map in new cells: each new cell takes what its old cell held (a door
    only where a transition says so: :func:`rescale` puts those back)."""
    h, w = amap.kinds.shape
    xs = np.minimum((np.arange(w) * new + old // 2) // old, w - 1)
    ys = np.minimum((np.arange(h) * new + old // 2) // old, h - 1)
    pick = np.ix_(ys, xs)
    kinds = amap.kinds[pick]
    kinds[kinds == CellKind.DOOR] = CellKind.WALKABLE
    amap.kinds = kinds
    amap.visits = amap.visits[pick]
    assert amap.given_up is not None and amap.seen is not None
    amap.given_up = amap.given_up[pick]
    amap.seen = amap.seen[pick]
    amap.looks = np.zeros(amap.kinds.shape, dtype=np.int64)
    amap.judged = np.zeros(amap.kinds.shape, dtype=bool)
    amap.before, amap.counts, amap.noticed = None, None, None
    amap.changed = {to_new(c, old, new) for c in amap.changed}
    amap.noticed_due, amap.explored = True, False


def _target(key: tuple[str, Hashable], old: int, new: int) -> tuple[str, Hashable]:
    """A try's target with its cell (if it names one) in new cells."""
    kind, what = key
    if kind not in BY_CELL:
        return key
    pair: Any = what
    return kind, (pair[0], to_new((int(pair[1][0]), int(pair[1][1])), old, new))
