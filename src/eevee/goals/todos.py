"""Todos from what the world model knows, the way a careful first-time player makes them.

- HP low and a healer known (someone whose talk restored HP) → heal there;
- a person or thing seen and not yet tried → talk to it (face it, press A); one that did
  not answer A → walk onto it (items are picked up that way);
- after progress (a new item, a flag, a new dialogue), everyone and everything that
  answered before and has not said all it has to say → go back;
- a place that answered A (a sign, a lever, a gate) → press A there again after progress;
- a wall whose look was never tried with A → press A at the nearest one of that look
  (a lever looks like nothing else on the map);
- otherwise → explore (the tactical layer's frontier).

Each todo is an :class:`~eevee.goals.quests.Objective` with its distance in cells from the
player (other areas: through known doors), so the strategist can rank them by
``priority * 100 - distance * 0.1``.

>>> from eevee.world import WorldModel
>>> w = WorldModel(default_size=(8, 8))
>>> w.observe(0, 0, (1, 1))
>>> t = w.curiosity.see_thing(0, (4, 1), frame=0)
>>> [(o.action, o.target.cell, d) for o, d in world_todos(w, 0, (1, 1))]
[('talk', (4, 1), 3)]
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from eevee.goals.quests import PRIORITY, Objective, Target
from eevee.world.model import CellKind, WorldModel

Cell = tuple[int, int]
OTHER_AREA = 40  # cells a trip to another area counts, plus 20 per door on the way
_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))
TALK_RETRIES = 2  # a person who did not answer may have walked off: ask again this often


def _distance(world: WorldModel, here: Hashable, cell: Cell, area: Hashable,
              target: Cell) -> int | None:
    if area == here:
        return abs(target[0] - cell[0]) + abs(target[1] - cell[1])
    hops = world.route(here, area)
    if hops is None:
        return None
    return OTHER_AREA + 20 * len(hops)


def world_todos(world: WorldModel, area: Hashable, cell: Cell, *, hp: int | None = None,
                max_hp: int | None = None) -> list[tuple[Objective, int]]:
    """Every todo the world model suggests, with its distance (see the module doc)."""
    cur = world.curiosity
    out: list[tuple[Objective, int]] = []

    def add(obj: Objective, where: Cell) -> None:
        d = _distance(world, area, cell, obj.target.area, where)
        if d is not None:
            out.append((obj, d))

    low = hp is not None and max_hp and hp * 10 < max_hp * 3
    for areas in cur.things.values():
        for t in areas:
            if t.taken:
                continue
            tgt = Target(t.area, t.cell)
            if low and ("thing", t.key) in cur.healers:
                add(Objective("heal", PRIORITY["heal"], "talk", tgt, "todo", t.key), t.cell)
            elif cur.worth_trying(("thing", t.key), retries=TALK_RETRIES):
                add(Objective(f"talk to {t.key}", PRIORITY["talk"], "talk", tgt, "todo",
                              t.key), t.cell)
            elif (("thing", t.key) in cur.tries and not cur.answered(("thing", t.key))
                  and ("walk", t.key) not in cur.tries):
                add(Objective(f"walk onto {t.key}", PRIORITY["collect"], "walk", tgt, "todo",
                              t.key), t.cell)
    for (kind, key), _tried in list(cur.tries.items()):
        if kind != "cell" or not cur.worth_trying((kind, key)):
            continue
        a, c = cell_target(key)
        add(Objective(f"press A at {c}", PRIORITY["talk"], "use", Target(a, c), "todo"), c)
    step = _novel_floor(world, area, cell)
    if step is not None:
        add(Objective(f"step onto {step}", PRIORITY["talk"] - 1, "walk", Target(area, step),
                      "todo"), step)
    wall = _untried_wall(world, area, cell)
    if wall is not None:
        add(Objective(f"try A at {wall}", PRIORITY["talk"] - 1, "use", Target(area, wall),
                      "todo"), wall)
    return out


def cell_target(key: Hashable) -> tuple[Hashable, Cell]:
    """The (area, cell) of a ``("cell", key)`` target."""
    pair: tuple[Hashable, tuple[int, int]] = key  # type: ignore[assignment]
    return pair[0], (int(pair[1][0]), int(pair[1][1]))


def _novel_floor(world: WorldModel, area: Hashable, cell: Cell) -> Cell | None:
    """The nearest cell never stood on, next to one stood on, whose look is new (never
    walked, never bumped) or once led elsewhere (a door): a curious player steps on
    what looks new. None when there is none."""
    amap = world.areas.get(area)
    if amap is None or amap.looks is None or amap.given_up is None:
        return None
    cand = (amap.visits == 0) & (amap.looks != 0) & ~amap.given_up
    cand &= (amap.kinds == CellKind.UNKNOWN) | (amap.kinds == CellKind.WALKABLE)
    ys, xs = np.nonzero(cand)
    if not len(xs):
        return None
    looks = amap.looks[ys, xs]
    wanted = [int(u) for u in np.unique(looks).tolist()
              if world.book.meaning(int(u)) in ("novel", "door")]
    if not wanted:
        return None
    sel = np.isin(looks, wanted)
    return _nearest(world, "step", area, cell, xs[sel], ys[sel], amap.visits > 0)


def _untried_wall(world: WorldModel, area: Hashable, cell: Cell) -> Cell | None:
    """The nearest wall cell next to a walkable one, never pressed itself, whose look
    was bumped but never tried with A, or answered A elsewhere; or None."""
    amap = world.areas.get(area)
    if amap is None or amap.looks is None:
        return None
    walls = amap.kinds == CellKind.WALL
    ys, xs = np.nonzero(walls & (amap.looks != 0))
    if not len(xs):
        return None
    looks = amap.looks[ys, xs]
    uniq = np.unique(looks)
    wanted = [int(u) for u in uniq.tolist()
              if world.book.untried_wall(int(u)) or world.book.meaning(int(u)) == "interactive"]
    if not wanted:
        return None
    walk = (amap.kinds == CellKind.WALKABLE) & (amap.visits > 0)
    sel = np.isin(looks, wanted)
    return _nearest(world, "cell", area, cell, xs[sel], ys[sel], walk)


def _nearest(world: WorldModel, kind: str, area: Hashable, cell: Cell, xs: np.ndarray,
             ys: np.ndarray, beside: np.ndarray) -> Cell | None:
    """Of the candidate cells ``(xs, ys)`` not yet tried as ``kind`` and next to a cell
    of ``beside``, the nearest to ``cell``; or None."""
    h, w = beside.shape
    best: tuple[int, Cell] | None = None
    for x, y in zip(xs.tolist(), ys.tolist()):
        if (kind, (area, (x, y))) in world.curiosity.tries:
            continue
        if not any(0 <= x + dx < w and 0 <= y + dy < h and beside[y + dy, x + dx]
                   for dx, dy in _STEPS):
            continue
        d = abs(x - cell[0]) + abs(y - cell[1])
        if best is None or d < best[0]:
            best = (d, (x, y))
    return None if best is None else best[1]
