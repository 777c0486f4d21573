"""Todos from what the world model knows, the way a careful first-time player makes them.

- HP low and a healer known (someone whose talk restored HP) → heal there;
- a person or thing seen and not yet tried → talk to it (face it, press A); one that did
  not answer A → walk onto it (items are picked up that way);
- after progress (a new item, a flag, a new dialogue), everyone and everything that
  answered before and has not said all it has to say → go back;
- a place that answered A (a sign, a lever, a gate) → press A there again after progress;
- a cell that progress redrew (the gate that opened, the bridge that rose) → step onto it,
  before anything else;
- a wall whose look was never tried with A → press A at the nearest one of that look
  (a lever looks like nothing else on the map);
- a wall of a rare look walked into before the last progress → walk into it again (a
  locked door opens for the one carrying the key);
- in an area barely walked yet → explore it first;
- otherwise → explore (the tactical layer's frontier);
- and before all of these but healing, when an earlier run's knowledge was recalled: the
  next try that moved the game on then (:mod:`eevee.world.leads`), until tried once.

Each todo is an :class:`~eevee.goals.quests.Objective` with its distance in cells from the
player (other areas: through known doors), so the strategist can rank them by
``priority * 100 - distance * 0.1``.

>>> from eevee.world import WorldModel
>>> w = WorldModel(default_size=(8, 8))
>>> w.observe(0, 0, (1, 1))
>>> t = w.curiosity.see_thing(0, (4, 1), frame=0)
>>> [(o.action, o.target.cell, d) for o, d in world_todos(w, 0, (1, 1))]
[('explore', None, 8), ('talk', (4, 1), 3)]
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from typing import Any

import numpy as np

from eevee.goals.quests import PRIORITY, Objective, Target
from eevee.world.curiosity import Curiosity
from eevee.world.leads import NEAR
from eevee.world.model import AreaMap, CellKind, WorldModel

Cell = tuple[int, int]
# (counts of cells below are of 16-pixel cells, a screen being 10 to 15 of them across:
# a game whose cells are 8 pixels has twice as many of them on the same walk: _unit)
DOOR_COST = 10  # cells a door counts (the fade, the unknown on the other side)
OTHER_AREA = 20  # cells an area crossed on the way counts
_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))
RARE = 2  # cells of one look seen, at most, for a wall to be worth pushing again
TALK_RETRIES = 2  # a person who did not answer may have walked off: ask again this often
LOOK_AROUND = 8  # cells looking around a new area counts (someone nearer comes first)
FRESH = 30  # cells stood on, at most, in an area that is still new (look around first)
AGAIN = PRIORITY["talk"] - 1  # going back, and whatever a first look does not settle
PART = 200  # what a part of the todos costs besides its scan, in cells (:func:`todo_steps`)


def _unit(world: WorldModel) -> float:
    """16-pixel cells per cell of this game (0.5 where cells are 8 pixels)."""
    return world.cell_px / 16


def _view(world: WorldModel) -> int:
    """Whole cells from the player's own that any screen shows: half the screen's
    shorter side, less the player's cell (4 on a GBA with 16-pixel cells, 8 on a GB with
    8-pixel ones)."""
    return max(1, (world.view_px - world.cell_px) // world.cell_px)


def _distance(world: WorldModel, here: Hashable, cell: Cell, area: Hashable,
              target: Cell, routes: dict[Hashable, Any] | None = None) -> int | None:
    """Cells to walk (16-pixel ones, :func:`_unit`): to the first door, ``DOOR_COST``
    per door, ``OTHER_AREA`` per area crossed on the way, and from the last door's
    arrival cell to ``target``; None when no way is known, or walks there were given
    up on since the last progress (``Curiosity.cut``). ``routes``: the routes found so
    far from ``here`` (one search per area, not per target)."""
    unit = _unit(world)
    if area == here:
        return round((abs(target[0] - cell[0]) + abs(target[1] - cell[1])) * unit)
    if world.curiosity.out_of_reach(area):  # (the way there failed: not again for now)
        return None
    if routes is None:
        routes = {}
    if area not in routes:
        routes[area] = world.route(here, area)
    hops = routes[area]
    if not hops:
        return None
    door = hops[0][1]
    last = world.transitions.get(hops[-1])
    arrival = last.to_cell if last is not None and last.to_cell is not None else target
    walk = (abs(door[0] - cell[0]) + abs(door[1] - cell[1])
            + abs(target[0] - arrival[0]) + abs(target[1] - arrival[1]))
    return round(walk * unit) + DOOR_COST * len(hops) + OTHER_AREA * (len(hops) - 1)


def world_todos(world: WorldModel, area: Hashable, cell: Cell, *, hp: int | None = None,
                max_hp: int | None = None) -> list[tuple[Objective, int]]:
    """Every todo the world model suggests, with its distance (see the module doc)."""
    steps = todo_steps(world, area, cell, hp=hp, max_hp=max_hp)
    while True:  # (all parts at once)
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def todo_steps(world: WorldModel, area: Hashable, cell: Cell, *, hp: int | None = None,
               max_hp: int | None = None
               ) -> Generator[int, None, list[tuple[Objective, int]]]:
    """:func:`world_todos` a part at a time: after each part (a scan of one area, or
    of one list) it yields what the part cost, in cells of the area it scanned, so that
    a frame loop can spread the whole over a few frames instead of carrying it in one
    (the world may change in between: what it returns is as fresh as the part that
    found it)."""
    out: list[tuple[Objective, int]] = []
    routes: dict[Hashable, Any] = {}

    def add(obj: Objective, where: Cell) -> None:
        d = _distance(world, area, cell, obj.target.area, where, routes)
        if d is not None:
            out.append((obj, d))

    amap = world.areas.get(area)
    unit = _unit(world)
    near = None if amap is None or amap.explored else _frontier(amap, cell)
    if near is not None:
        near = round(near * unit)
    if amap is not None and int(np.count_nonzero(amap.visits)) * unit < FRESH \
            and not amap.explored:
        # a new area: look around before going back to anything elsewhere (a small
        # room is looked around once nothing is left in it to walk to)
        out.append((Objective("explore here", PRIORITY["talk"], "explore", Target(area),
                              "todo"), LOOK_AROUND))
    elif near is not None:  # new ground here: as worth a walk as going back to someone
        out.append((Objective("explore", AGAIN, "explore", Target(area), "todo"), near))
    cost = PART + (0 if amap is None else int(amap.kinds.size))
    low = bool(hp is not None and max_hp and hp * 10 < max_hp * 3)
    _lead_todo(world, area, cell, add)
    yield cost
    _thing_todos(world, low, add)
    yield cost
    _cell_todos(world, add)
    if amap is not None:
        _changed_todos(world, amap, add)
    yield cost
    # a look never met anywhere comes with the first tries; a door-like look, an edge later
    new, door = _novel_floor(world, area, cell, ("novel",), ("door",))
    if amap is not None:
        amap.noticed_due = True  # (what is here changes while the player is here)
    yield cost
    yield from _noticed_todos(world, area, add)
    for name, step, priority in (("step onto new", new, PRIORITY["talk"]),
                                 ("step onto", door, AGAIN)):
        if step is not None:
            add(Objective(f"{name} {step}", priority, "walk", Target(area, step), "todo"),
                step)
    yield cost
    edge = _edge_floor(world, area, cell)
    if edge is not None:
        add(Objective(f"step onto edge {edge}", AGAIN, "walk", Target(area, edge), "todo"),
            edge)
    # (what was left untried in other areas counts once nothing here is worth as much)
    places = _places(world, area, cell) if all(o.priority < AGAIN for o, _ in out) \
        else [(area, cell)]
    for where, ref in places:
        yield cost
        cost = PART + int(world.area(where).kinds.size)
        wall = _untried_wall(world, where, ref)
        if wall is not None:
            add(Objective(f"try A at {wall}", AGAIN, "use", Target(where, wall), "todo"),
                wall)
        if where != area:  # (a look never met, seen elsewhere: the way out, an item)
            [step] = _novel_floor(world, where, ref, ("novel",))
            if step is not None:
                add(Objective(f"step onto new {step}", AGAIN, "walk", Target(where, step),
                              "todo"), step)
    return out


def _noticed_todos(world: WorldModel, area: Hashable, add: Add) -> Generator[int, None, None]:
    """Step onto what was noticed in other areas and never stepped on (a look met
    nowhere else: a doorway, an item), as a first try, as long as it still is one.
    An area is searched for it once after the player left it (a part each)."""
    for key in world.entered:
        amap = world.areas.get(key)
        if key == area or amap is None:
            continue
        if amap.noticed_due:
            amap.noticed_due = False
            [amap.noticed] = _novel_floor(world, key, _most_stood_on(amap), ("novel",))
            yield PART + int(amap.kinds.size)
        if amap.noticed is None:
            continue
        x, y = c = amap.noticed
        assert amap.given_up is not None and amap.looks is not None
        if (amap.visits[y, x] or amap.given_up[y, x] or ("step", (key, c)) in
                world.curiosity.tries or world.book.meaning(int(amap.looks[y, x])) != "novel"):
            amap.noticed = None
            continue
        add(Objective(f"step onto new {c}", PRIORITY["talk"], "walk", Target(key, c),
                      "todo"), c)


def _places(world: WorldModel, area: Hashable, cell: Cell) -> list[tuple[Hashable, Cell]]:
    """Each area entered, with the cell to measure from there: the player's own in this
    area, elsewhere the cell most stood on (a place left behind keeps what was not tried
    there: a lever seen on the way through a field)."""
    out = [(area, cell)]
    for key in world.entered:
        amap = world.areas.get(key)
        if key != area and amap is not None and amap.visits.any():
            out.append((key, _most_stood_on(amap)))
    return out


def _most_stood_on(amap: AreaMap) -> Cell:
    """The cell of ``amap`` stood on most often (where a place left behind is measured
    from)."""
    y, x = np.unravel_index(int(np.argmax(amap.visits)), amap.visits.shape)
    return int(x), int(y)


Add = Callable[[Objective, Cell], None]
LEAD = PRIORITY["heal"] - 1  # what moved the game on last time: before all but healing


def _lead_todo(world: WorldModel, area: Hashable, cell: Cell, add: Add) -> None:
    """The next try that moved the game on in an earlier run, as a todo. One that
    cannot be followed any more (the person is not where they stood, the area is this
    one) is skipped."""
    lead = world.leads.next()
    while lead is not None:
        why = "moved the game on before"
        if lead.kind == "enter":
            if lead.area != area:
                add(Objective(f"go to {lead.area} ({why})", LEAD, "enter",
                              Target(lead.area), "todo"), lead.cell)
                return
        elif lead.kind == "thing":
            lx, ly = lead.cell
            near = [t for t in world.curiosity.things_in(lead.area)
                    if min(abs(c[0] - lx) + abs(c[1] - ly) for c in (t.cell, t.home))
                    <= 2 * NEAR]
            if near:
                t = min(near, key=lambda t: abs(t.cell[0] - lx) + abs(t.cell[1] - ly))
                tried = world.curiosity.tries.get(("thing", t.key))
                action, name = ("walk", "walk onto") if tried is not None \
                    and not tried.answered else ("talk", "talk to")
                add(Objective(f"{name} {t.key} ({why})", LEAD, action,
                              Target(t.area, t.cell), "todo", t.key), t.cell)
                return
            if lead.area != area or abs(cell[0] - lead.cell[0]) \
                    + abs(cell[1] - lead.cell[1]) > 1:  # (look there first)
                add(Objective(f"go to {lead.cell} ({why})", LEAD, "walk",
                              Target(lead.area, lead.cell), "todo"), lead.cell)
                return
        else:
            action, name = ("use", "press A at") if lead.kind == "cell" else \
                ("walk", "step onto")
            add(Objective(f"{name} {lead.cell} ({why})", LEAD, action,
                          Target(lead.area, lead.cell), "todo"), lead.cell)
            return
        world.leads.skip()
        lead = world.leads.next()


def _thing_todos(world: WorldModel, low: bool, add: Add) -> None:
    """Heal at a healer when HP is low; talk to things (again after progress); walk
    onto things that never answered."""
    cur = world.curiosity
    for areas in cur.things.values():
        for t in areas:
            if t.taken:
                continue
            tgt = Target(t.area, t.cell)
            key = ("thing", t.key)
            if low and key in cur.healers:
                add(Objective("heal", PRIORITY["heal"], "talk", tgt, "todo", t.key), t.cell)
            elif cur.worth_trying(key, retries=TALK_RETRIES):
                again = cur.answered(key)
                add(Objective(f"talk {'again ' if again else ''}to {t.key}",
                              AGAIN if again else PRIORITY["talk"], "talk", tgt,
                              "todo", t.key), t.cell)
            elif key in cur.tries and not cur.answered(key) and ("walk", t.key) not in cur.tries:
                add(Objective(f"walk onto {t.key}", PRIORITY["collect"], "walk", tgt, "todo",
                              t.key), t.cell)


def _frontier(amap: AreaMap, cell: Cell) -> int | None:
    """Cells to the nearest never-stood-on cell that may be open, next to one stood on
    (what exploring here would walk to next); None when there is none."""
    ys, xs = np.nonzero(amap.unvisited_open() & _near(amap.visits > 0, 1))
    if not len(xs):
        return None
    return int((np.abs(xs - cell[0]) + np.abs(ys - cell[1])).min())


def _changed_todos(world: WorldModel, amap: AreaMap, add: Add) -> None:
    """Step onto what progress redrew (a gate opened, a bridge rose): the first thing to
    try after progress."""
    for c in sorted(amap.changed):
        if amap.visits[c[1], c[0]] or ("step", (amap.key, c)) in world.curiosity.tries:
            amap.changed.discard(c)
        else:
            add(Objective(f"step onto {c}", PRIORITY["talk"] + 1, "walk",
                          Target(amap.key, c), "todo"), c)


def _cell_todos(world: WorldModel, add: Add) -> None:
    """Press A again where A answered before progress; walk again into rare walls that
    did not give way before progress, and into whatever spoke when walked into."""
    cur = world.curiosity
    rare: dict[int, bool] = {}  # look -> rare (counted once per look, not per wall)
    for (kind, key), _tried in list(cur.tries.items()):
        if kind == "cell" and cur.worth_trying((kind, key)):
            a, c = cell_target(key)
            add(Objective(f"press A at {c}", AGAIN, "use", Target(a, c), "todo"), c)
            continue
        spoke = kind == "push" and cur.answered((kind, key)) and cur.worth_trying((kind, key))
        if not (spoke or _worth_a_push(cur, kind, key)):
            continue
        a, c = cell_target(key)
        amap = world.area(a)
        if not amap.inside(c) or amap.visits[c[1], c[0]]:
            continue  # (off the map's grid; or it gave way: walked on since)
        look = amap.look(c)  # (rare: a locked door, a boulder; not a person on the floor)
        if look not in rare:
            rare[look] = few_alike(world, look)
        if rare[look] and (spoke or world.book.meaning(look) == "wall"):
            add(Objective(f"push into {c}", AGAIN, "push", Target(a, c), "todo"), c)


def _worth_a_push(cur: Curiosity, kind: str, key: Hashable) -> bool:
    """Whether a wall is worth walking into again, progress made since: walked into in
    vain before (a wall that answered A is a lever or a sign, not a door), or pressed
    with A in vain and never walked into (a locked door opens to a push)."""
    if kind == "push":
        return cur.stale((kind, key)) and not cur.answered(("cell", key))
    return kind == "cell" and cur.stale((kind, key)) and ("push", key) not in cur.tries


def cell_target(key: Hashable) -> tuple[Hashable, Cell]:
    """The (area, cell) of a ``("cell", key)`` target."""
    pair: tuple[Hashable, tuple[int, int]] = key  # type: ignore[assignment]
    return pair[0], (int(pair[1][0]), int(pair[1][1]))


def few_alike(world: WorldModel, look: int) -> bool:
    """Whether ``look`` is the look of at most :data:`RARE` cells seen anywhere: a locked
    door, a boulder, a guard (walls, trees and floors are everywhere)."""
    return bool(look) and sum(a.look_count(look) for a in world.areas.values()) <= RARE


def _novel_floor(world: WorldModel, area: Hashable, cell: Cell,
                 *groups: tuple[str, ...]) -> list[Cell | None]:
    """For each group of look meanings, the nearest cell never stood on, next to walkable
    ground, whose look means one of them: new (never walked, never bumped), led elsewhere
    (a door): a curious player steps on what looks new. None where there is none."""
    amap = world.areas.get(area)
    if amap is None:
        return [None] * len(groups)
    return _step_targets(world, amap, cell, np.ones(amap.kinds.shape, dtype=bool), groups)


def _step_targets(world: WorldModel, amap: AreaMap, cell: Cell, where: np.ndarray,
                  groups: tuple[tuple[str, ...], ...]) -> list[Cell | None]:
    """Of the cells in ``where`` never stood on, not given up, that may be walkable, for
    each group of look meanings the nearest whose look means one of them and that is
    next to walkable ground (one scan of the area for all groups)."""
    assert amap.looks is not None and amap.given_up is not None
    cand = where & (amap.visits == 0) & (amap.looks != 0) & ~amap.given_up
    cand &= (amap.kinds == CellKind.UNKNOWN) | (amap.kinds == CellKind.WALKABLE)
    ys, xs = np.nonzero(cand)
    if not len(xs):
        return [None] * len(groups)
    looks = amap.looks[ys, xs]
    meaning = {int(u): world.book.meaning(int(u)) for u in np.unique(looks).tolist()}
    walkable = amap.kinds == CellKind.WALKABLE
    out: list[Cell | None] = []
    for meanings in groups:
        wanted = [u for u, m in meaning.items() if m in meanings]
        sel = np.isin(looks, wanted) if wanted else None
        out.append(None if sel is None else
                   _nearest(world, "step", amap.key, cell, xs[sel], ys[sel], walkable))
    return out


def _near(mask: np.ndarray, r: int) -> np.ndarray:
    """Cells within ``r`` cells (a square) of a cell of ``mask``.

    >>> m = np.zeros((5, 5), dtype=bool); m[2, 2] = True
    >>> int(_near(m, 1).sum())
    9
    """
    out = mask.copy()
    for k in range(1, r + 1):
        out[k:] |= mask[:-k]
        out[:-k] |= mask[k:]
    rows = out.copy()
    for k in range(1, r + 1):
        out[:, k:] |= rows[:, :-k]
        out[:, :-k] |= rows[:, k:]
    return out


def _edge_floor(world: WorldModel, area: Hashable, cell: Cell) -> Cell | None:
    """The nearest cell never stood on whose look is floor (or new) and that borders
    what was never seen (beyond the map's edge, where exits are): a careful player walks
    to the edge of a path to see whether it leads on. None when there is none."""
    amap = world.areas.get(area)
    if amap is None or amap.looks is None or amap.given_up is None:
        return None
    h, w = amap.looks.shape
    # never seen though the player stood near enough for the screen to show it: beyond
    # the map (cells far from anywhere walked are merely not seen yet)
    beyond = np.ones((h + 2, w + 2), dtype=bool)  # (outside the area too)
    assert amap.seen is not None
    beyond[1:-1, 1:-1] = ~amap.seen & _near(amap.visits > 0, _view(world))
    border = beyond[:-2, 1:-1] | beyond[2:, 1:-1] | beyond[1:-1, :-2] | beyond[1:-1, 2:]
    return _step_targets(world, amap, cell, border, (("floor", "novel", "door"),))[0]


def _untried_wall(world: WorldModel, area: Hashable, cell: Cell) -> Cell | None:
    """The nearest wall cell next to a walkable one, never pressed itself, whose look
    was bumped but never tried with A, answered A elsewhere, or was never met at all (a
    cell given up as out of reach may be a lever); or None."""
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
              if world.book.untried_wall(int(u))
              or world.book.meaning(int(u)) in ("interactive", "novel")]
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
