"""The world model: areas, their cells' learned meanings, transitions, NPCs, items, events.

Everything the per-frame path needs is here, in memory. Areas are keyed by the profile's
area id (or, without a profile, any hashable screen signature). Each area keeps a cell grid
of learned meanings (:class:`CellKind`) and visit counts; a transition is learned when the
area changes (the cell stood on last leads to the new area and cell).

>>> w = WorldModel(default_size=(8, 6))
>>> w.observe(0, area=0, cell=(1, 1))
>>> w.observe(10, area=0, cell=(2, 1))
>>> w.observe(30, area=1, cell=(4, 5))
>>> w.route(0, 1)
[(0, (2, 1))]
>>> w.tiles_stood_on()
3
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from eevee.world.curiosity import Curiosity
from eevee.world.events import EventLog
from eevee.world.leads import Leads
from eevee.world.looks import ANSWERED, BUMPED, HURT, PRESSED, WALKED, LookBook
from eevee.world.looks import DOOR as LED_AWAY

Cell = tuple[int, int]
AreaKey = Hashable


class CellKind(enum.IntEnum):
    UNKNOWN = 0
    WALKABLE = 1
    WALL = 2
    DOOR = 3
    INTERACTIVE = 4
    HAZARD = 5
    SLOW = 6  # walkable but costly (e.g. tall grass with encounters)


# entry cost of a cell for path planning: known floor is cheap, unknown cells cost more
# (worth trying, but known routes win), hazards cost a lot, walls are impassable
FLOOR_COST = 1.0
UNKNOWN_COST = 3.0
HAZARD_COST = 40.0
REDRAWN_AT_MOST = 0.25  # share of the view whose looks change at once: a gate, not a fade

# entry cost per CellKind, indexed by the kind's value
COST_LUT = np.array(
    [UNKNOWN_COST, FLOOR_COST, np.inf, FLOOR_COST, np.inf, HAZARD_COST, 6.0], dtype=np.float32
)

# kinds a never-visited cell may be worth walking to (exploration targets)
_MAYBE_OPEN = np.array([k in (CellKind.UNKNOWN, CellKind.WALKABLE, CellKind.SLOW)
                        for k in CellKind], dtype=bool)


@dataclass
class AreaMap:
    """One area: learned cell meanings and visit counts, both indexed ``[y, x]``."""

    key: AreaKey
    kinds: np.ndarray
    visits: np.ndarray
    name: str = ""
    given_up: np.ndarray | None = None  # cells not worth trying again (unreachable)
    looks: np.ndarray | None = None  # int64 look hash per cell, 0 = never seen (or unknown)
    seen: np.ndarray | None = None  # ever on screen during a look (even if its tiles were not)
    judged: np.ndarray | None = None  # seen, and its look says plain floor or wall
    before: np.ndarray | None = None  # the looks when progress happened here, until seen
    changed: set[Cell] = field(default_factory=set)  # cells progress redrew (a gate)
    explored: bool = False  # exploring here found nothing to walk to (until progress)
    counts: dict[int, int] | None = None  # cells per look, made when asked (see look_count)
    # the nearest cell of a look never met, found once after the player last left: what
    # was noticed here and not yet stepped on (``noticed_due``: to be looked for again)
    noticed: Cell | None = None
    noticed_due: bool = True

    def __post_init__(self) -> None:
        if self.given_up is None:
            self.given_up = np.zeros(self.kinds.shape, dtype=bool)
        if self.seen is None:
            self.seen = np.zeros(self.kinds.shape, dtype=bool)
        if self.looks is None:
            self.looks = np.zeros(self.kinds.shape, dtype=np.int64)
        if self.judged is None:
            self.judged = np.zeros(self.kinds.shape, dtype=bool)

    @classmethod
    def blank(cls, key: AreaKey, size: tuple[int, int], name: str = "") -> AreaMap:
        w, h = size
        return cls(key, np.zeros((h, w), dtype=np.uint8), np.zeros((h, w), dtype=np.uint32), name)

    def give_up(self, cell: Cell) -> None:
        """Stop wanting ``cell`` as an exploration target (tried, never reached)."""
        if self.inside(cell):
            assert self.given_up is not None
            self.given_up[cell[1], cell[0]] = True

    @property
    def size(self) -> tuple[int, int]:
        return int(self.kinds.shape[1]), int(self.kinds.shape[0])

    def inside(self, cell: Cell) -> bool:
        return 0 <= cell[0] < self.kinds.shape[1] and 0 <= cell[1] < self.kinds.shape[0]

    def kind(self, cell: Cell) -> CellKind:
        if not self.inside(cell):
            return CellKind.WALL
        return CellKind(int(self.kinds[cell[1], cell[0]]))

    def set(self, cell: Cell, kind: CellKind) -> None:
        if self.inside(cell):
            self.kinds[cell[1], cell[0]] = kind

    def costs(self) -> np.ndarray:
        """Entry cost of every cell, ``[y, x]`` (``inf``: impassable)."""
        return COST_LUT[self.kinds]

    def forget(self, kinds: tuple[CellKind, ...]) -> int:
        """Turn cells of ``kinds`` back to unknown (the world changed); how many."""
        mask = np.isin(self.kinds, [int(k) for k in kinds])
        self.kinds[mask] = CellKind.UNKNOWN
        return int(mask.sum())

    def unvisited_open(self) -> np.ndarray:
        """Boolean ``[y, x]``: cells never stood on that may be walkable."""
        assert self.given_up is not None and self.judged is not None
        out = _MAYBE_OPEN[self.kinds]  # a fresh array: one lookup instead of three compares
        out &= self.visits == 0
        out &= ~self.given_up
        out &= ~self.judged
        return out

    def look_count(self, look: int) -> int:
        """How many cells of this area have ``look`` (counted once per change of looks)."""
        if self.counts is None:
            assert self.looks is not None
            u, n = np.unique(self.looks, return_counts=True)
            self.counts = dict(zip(u.tolist(), n.tolist(), strict=True))
        return self.counts.get(look, 0)

    def look(self, cell: Cell) -> int:
        assert self.looks is not None
        return int(self.looks[cell[1], cell[0]]) if self.inside(cell) else 0


def _in_places(changed: np.ndarray, seen: np.ndarray) -> bool:
    """Whether the cells whose look changed are a part of the view (a gate, a bridge), not
    most of it: a whole view redrawn is a fade, a palette that cycles, a sky that
    twinkles, or a camera misread, and none of its cells is worth a step.

    >>> seen = np.ones((10, 10), dtype=bool)
    >>> gate, dusk = np.zeros_like(seen), seen.copy()
    >>> gate[4, 4:6] = True
    >>> _in_places(gate, seen), _in_places(dusk, seen)
    (True, False)
    """
    return int(np.count_nonzero(changed)) <= REDRAWN_AT_MOST * int(np.count_nonzero(seen))


@dataclass(frozen=True)
class Transition:
    """Standing on ``cell`` of ``area`` leads to ``to_cell`` of ``to_area``."""

    area: AreaKey
    cell: Cell
    to_area: AreaKey
    to_cell: Cell | None = None
    learned: bool = True  # False: from a hint, not yet walked


@dataclass
class WorldModel:
    """Areas, transitions, NPCs and items seen, and the event log."""

    default_size: tuple[int, int] = (64, 64)
    sizes: dict[AreaKey, tuple[int, int]] = field(default_factory=dict)
    names: dict[AreaKey, str] = field(default_factory=dict)
    areas: dict[AreaKey, AreaMap] = field(default_factory=dict)
    transitions: dict[tuple[AreaKey, Cell], Transition] = field(default_factory=dict)
    npcs: dict[AreaKey, dict[int, Cell]] = field(default_factory=dict)
    items: dict[AreaKey, set[Cell]] = field(default_factory=dict)
    events: EventLog = field(default_factory=EventLog)
    entered: set[AreaKey] = field(default_factory=set)
    first_epoch: dict[AreaKey, int] = field(default_factory=dict)  # progress epoch at entry
    last_area: AreaKey | None = None
    last_cell: Cell | None = None
    book: LookBook = field(default_factory=LookBook)
    curiosity: Curiosity = field(default_factory=Curiosity)
    leads: Leads = field(default_factory=Leads)
    redrawn: int = 0  # cells seen redrawn since the start (a sign that the game moved on)
    keys: str = ""  # what names the areas: "profile" (the game's ids), "pixels", or unsaid
    cell_px: int = 16  # a cell's size on screen, in pixels (the agent sets what it learned)
    # the map is in the cells this run guessed, to be moved into the ones it learns
    # (:mod:`eevee.world.rescale`); one loaded from a saved session or an earlier run is
    # in the cells that run learned, and stays so
    rescalable: bool = True
    view_px: int = 72  # pixels from the player any screen shows: half its shorter side

    def area(self, key: AreaKey) -> AreaMap:
        a = self.areas.get(key)
        if a is None:
            size = self.sizes.get(key, self.default_size)
            a = self.areas[key] = AreaMap.blank(key, size, self.names.get(key, ""))
        return a

    # ------------------------------------------------------------------ learning
    def observe(self, frame: int, area: AreaKey, cell: Cell, *, walked: bool = True,
                door: Cell | None = None) -> None:
        """The player stands on (or is stepping into) ``cell`` of ``area``.

        ``walked=False``: the player got here without walking (a dialogue or a battle came
        between, as when a game sends a fainted player home), so a change of area is not a
        door. ``door``: the cell that led here when it is not the last one reported (a
        game that reports a cell only once a step ends). Cheap when nothing changed (the
        per-frame case): two comparisons.
        """
        if area == self.last_area and cell == self.last_cell:
            return
        amap = self.area(area)
        if area not in self.entered:
            self.entered.add(area)
            self.first_epoch[area] = self.curiosity.epoch
            self.events.add(frame, "area_entered", area=area)
        if self.leads.recalled:  # (a run that remembers what moved the game on)
            self.leads.tried("enter" if area != self.last_area else "step", area, cell)
        if self.last_area is not None and area != self.last_area and self.last_cell is not None:
            if walked:
                self.learn_transition(frame, self.last_area, door or self.last_cell, area,
                                      cell)
            else:
                self.events.add(frame, "relocated", area=area, cell=list(cell),
                                from_area=self.last_area, from_cell=list(self.last_cell))
        if amap.inside(cell):
            if amap.kinds[cell[1], cell[0]] in (CellKind.UNKNOWN, CellKind.WALL,
                                                CellKind.INTERACTIVE):
                amap.kinds[cell[1], cell[0]] = CellKind.WALKABLE
            if not amap.visits[cell[1], cell[0]]:
                self.book.note(amap.look(cell), WALKED)
                if ("push", (area, cell)) in self.curiosity.tries:  # it gave way at last
                    self.curiosity.tried(("push", (area, cell)), answered=True)
            amap.visits[cell[1], cell[0]] += 1
        self.last_area, self.last_cell = area, cell

    def learn_transition(
        self, frame: int, area: AreaKey, cell: Cell, to_area: AreaKey, to_cell: Cell
    ) -> None:
        key = (area, cell)
        old = self.transitions.get(key)
        if old is None:
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                near = self.transitions.get((area, (cell[0] + dx, cell[1] + dy)))
                if near is not None and near.to_area == to_area:
                    # the position updates at the end of a step (some games): the door is the
                    # neighbour we stepped into, already known
                    if not near.learned:
                        self.transitions[near.area, near.cell] = Transition(
                            near.area, near.cell, to_area, to_cell, True)
                    return
        self.transitions[key] = Transition(area, cell, to_area, to_cell, True)
        self.area(area).set(cell, CellKind.DOOR)
        if old is None:
            self.book.note(self.area(area).look(cell), LED_AWAY)
        if old is None or not old.learned:
            self.events.add(frame, "transition_learned", area=area, cell=list(cell),
                            to_area=to_area, to_cell=list(to_cell))
        # the arrival cell usually leads back (doors are two-way); remember it weakly
        back = (to_area, to_cell)
        if back not in self.transitions:
            self.area(to_area)  # make sure the area exists

    def forget_transition(self, area: AreaKey, cell: Cell) -> None:
        """``cell`` of ``area`` turned out not to lead anywhere."""
        if self.transitions.pop((area, cell), None) is not None:
            amap = self.area(area)
            if amap.kind(cell) == CellKind.DOOR:
                amap.set(cell, CellKind.WALKABLE)

    def add_hint_transition(self, t: Transition) -> None:
        if (t.area, t.cell) not in self.transitions:
            self.transitions[(t.area, t.cell)] = t
            self.area(t.area).set(t.cell, CellKind.DOOR)

    def mark(self, frame: int, area: AreaKey, cell: Cell, kind: CellKind, why: str = "") -> None:
        amap = self.area(area)
        if why in ("bumped", "talked when walked into") and amap.inside(cell):
            # walked into and did not give way (in this progress epoch); said something
            # (a locked door): worth walking into again after progress (a key found)
            self.curiosity.tried(("push", (area, cell)), answered=why != "bumped")
        if not amap.inside(cell) or amap.kind(cell) == kind:
            return
        if amap.kind(cell) == CellKind.DOOR and kind == CellKind.WALL:
            hint = self.transitions.get((area, cell))
            if hint is None or hint.learned:  # (a door walked through stays one)
                return
            # a way back only guessed, walked into and not given way: no way at all (else
            # every plan through it bumps it again, a way round never tried)
            self.forget_transition(area, cell)
        amap.set(cell, kind)
        if kind == CellKind.WALL and why == "bumped":
            self.book.note(amap.look(cell), BUMPED)
        elif kind == CellKind.HAZARD:
            self.book.note(amap.look(cell), HURT)
        self.events.add(frame, "cell_learned", area=area, cell=list(cell), meaning=kind.name,
                        why=why)

    def tried_cell(self, frame: int, area: AreaKey, cell: Cell, *, answered: bool,
                   signature: int = 0) -> None:
        """A was pressed facing ``cell``: remember whether it answered (and its look)."""
        look = self.area(area).look(cell)
        self.book.note(look, PRESSED)
        if answered:
            self.book.note(look, ANSWERED)
        self.curiosity.tried(("cell", (area, cell)), answered=answered, signature=signature)
        self.leads.tried("cell", area, cell)
        self.events.add(frame, "tried", target="cell", area=area, cell=list(cell),
                        answered=answered)

    def tried_thing(self, frame: int, key: Hashable, kind: str, *, answered: bool,
                    signature: int = 0) -> None:
        """Talked to (``kind`` ``thing``) or walked onto (``walk``) the thing ``key``.
        One that says what another of its area said is that one, met again (a wanderer
        lost from sight and found elsewhere): it is not visited twice."""
        self.curiosity.tried((kind, key), answered=answered, signature=signature)
        if kind == "thing" and answered and signature:
            self.curiosity.same_as_another(key, signature)
        area, cell = self.where(key)
        self.leads.tried(kind, area, cell, answered)
        self.events.add(frame, "tried", target=kind, thing=str(key), answered=answered)

    # ------------------------------------------------------------------ sight
    def see(self, area: AreaKey, looks: np.ndarray, first: Cell) -> None:
        """Cells on screen: ``looks[row, col]`` is cell ``first + (col, row)`` of
        ``area``. Each seen cell keeps its look; a cell never stood on whose look has
        only ever been floor, or only ever a wall, is judged from it (no need to step on
        every grass cell, or bump every tree)."""
        amap = self.area(area)
        assert amap.looks is not None and amap.judged is not None
        h, w = amap.kinds.shape
        x0, y0 = max(0, first[0]), max(0, first[1])
        x1 = min(w, first[0] + looks.shape[1])
        y1 = min(h, first[1] + looks.shape[0])
        if x0 >= x1 or y0 >= y1:
            return
        part = looks[y0 - first[1]:y1 - first[1], x0 - first[0]:x1 - first[0]]
        seen = part != 0
        win = (slice(y0, y1), slice(x0, x1))
        assert amap.seen is not None
        amap.seen[win] = True
        first_since = amap.before is not None
        if amap.before is not None:  # the first look since progress: what did it redraw?
            old = amap.before[win]
            redrawn = seen & (old != 0) & (old != part)
            if _in_places(redrawn, seen):
                ys, xs = np.nonzero(redrawn)
                amap.changed.update(zip((xs + x0).tolist(), (ys + y0).tolist()))
            amap.before = None
        other = seen & (amap.looks[win] != part)  # (looks that changed, or first seen)
        if not first_since and other.any():
            # redrawn before our eyes (a bridge rose, a gate opened): worth a step
            moved = other & (amap.looks[win] != 0) & (amap.visits[win] == 0)
            if moved.any() and _in_places(moved, seen):
                ys, xs = np.nonzero(moved)
                cells = list(zip((xs + x0).tolist(), (ys + y0).tolist()))
                amap.changed.update(cells)
                self.redrawn += len(cells)
                amap.kinds[win][moved & (amap.kinds[win] != CellKind.DOOR)] = CellKind.UNKNOWN
        if amap.counts is not None and other.any():
            amap.counts = None  # (the looks changed: count them again when asked)
        amap.looks[win][seen] = part[seen]
        kinds = amap.kinds[win]
        judged = amap.judged[win]
        uniq, inv = np.unique(part, return_inverse=True)
        meaning = [self.book.meaning(int(u)) if u else "" for u in uniq.tolist()]
        floor = np.array([m == "floor" for m in meaning], dtype=bool)[inv].reshape(part.shape)
        wall = np.array([m == "wall" for m in meaning], dtype=bool)[inv].reshape(part.shape)
        judged[:] = floor | wall
        unknown = (kinds == CellKind.UNKNOWN) & (amap.visits[win] == 0)
        kinds[unknown & wall] = CellKind.WALL
        kinds[unknown & floor] = CellKind.WALKABLE
        self._rejudge(area, kinds, floor, (x0, y0))

    def _rejudge(self, area: AreaKey, kinds: np.ndarray, floor: np.ndarray,
                 first: Cell) -> None:
        """Walls judged from a look that was bumped before it was ever walked on (the
        cave's floor, where a slime stood in the way) are floor once that look is walked
        on: a cell the player walked into in vain itself stays a wall."""
        stale = (kinds == CellKind.WALL) & floor
        if not stale.any():
            return
        tries = self.curiosity.tries
        for y, x in zip(*np.nonzero(stale)):
            cell = (int(x) + first[0], int(y) + first[1])
            if ("push", (area, cell)) not in tries:
                kinds[y, x] = CellKind.WALKABLE

    def world_changed(self, frame: int, area: AreaKey) -> None:
        """A flag changed (bridge raised, gate opened): walls learned here may be gone,
        and the cells whose look changes in the next look are worth a step — here, and in
        every other area seen before (progress may redraw a place far away: a flower
        that grows in a wood visited earlier)."""
        for key, other in self.areas.items():
            if key != area and other.seen is not None and other.seen.any():
                assert other.looks is not None
                other.before = other.looks.copy()
        amap = self.area(area)
        assert amap.looks is not None
        amap.before = amap.looks.copy()
        amap.explored = False
        assert amap.given_up is not None
        amap.given_up[:] = False  # (ground out of reach may be in reach now: a bridge)
        n = amap.forget((CellKind.WALL, CellKind.INTERACTIVE))
        if n:
            self.events.add(frame, "walls_forgotten", area=area, cells=n)

    def where(self, key: Hashable) -> tuple[AreaKey, Cell | None]:
        """The area and cell of a try's target key: a thing ``(area, n)`` where it was
        last seen, or a place ``(area, cell)``."""
        if not isinstance(key, tuple) or len(key) != 2:
            return None, None
        area, rest = key
        if isinstance(rest, tuple):
            return area, (int(rest[0]), int(rest[1]))
        t = self.curiosity.thing(key)
        return area, (None if t is None else t.cell)

    def merge(self, frame: int, other: WorldModel) -> list[AreaKey]:
        """Take from ``other`` (another agent's knowledge of the same game) the areas this
        one has never entered, with their people, and every door not known here; what
        this one learned itself stays as it is. The areas taken, in ``other``'s order."""
        taken = [k for k, amap in other.areas.items() if k not in self.entered
                 and amap.visits.any() and not (k in self.areas
                                                and self.areas[k].visits.any())]
        for key in taken:
            self.areas[key] = other.areas[key]
            self.sizes[key] = other.areas[key].size
            if key in other.names:
                self.names[key] = other.names[key]
            if key in other.curiosity.things:
                self.curiosity.things[key] = other.curiosity.things[key]
        for where, t in other.transitions.items():
            if where not in self.transitions and t.learned:
                self.transitions[where] = t
                self.area(t.area).set(t.cell, CellKind.DOOR)
        if taken:
            self.events.add(frame, "knowledge_merged", areas=taken)
        return taken

    def see_npc(self, area: AreaKey, index: int, cell: Cell) -> None:
        self.npcs.setdefault(area, {})[index] = cell

    def see_item(self, area: AreaKey, cell: Cell) -> None:
        self.items.setdefault(area, set()).add(cell)

    # ------------------------------------------------------------------ queries
    def route(self, start: AreaKey, goal: AreaKey) -> list[tuple[AreaKey, Cell]] | None:
        """Doors to take, ``[(area, door cell), ...]``, from ``start`` to ``goal`` (BFS)."""
        if start == goal:
            return []
        by_area: dict[AreaKey, list[Transition]] = {}
        for t in self.transitions.values():
            by_area.setdefault(t.area, []).append(t)
        prev: dict[AreaKey, Transition] = {}
        seen = {start}
        queue: deque[AreaKey] = deque([start])
        while queue:
            cur = queue.popleft()
            for t in sorted(by_area.get(cur, []), key=lambda t: t.cell):
                if t.to_area in seen:
                    continue
                seen.add(t.to_area)
                prev[t.to_area] = t
                if t.to_area == goal:
                    hops: list[tuple[AreaKey, Cell]] = []
                    node = goal
                    while node != start:
                        tr = prev[node]
                        hops.append((tr.area, tr.cell))
                        node = tr.area
                    return hops[::-1]
                queue.append(t.to_area)
        return None

    def doors_of(self, area: AreaKey) -> list[Transition]:
        return sorted((t for t in self.transitions.values() if t.area == area),
                      key=lambda t: t.cell)

    def tiles_stood_on(self) -> int:
        return int(sum(int(np.count_nonzero(a.visits)) for a in self.areas.values()))

    def known_cells(self) -> int:
        return int(sum(int(np.count_nonzero(a.kinds)) for a in self.areas.values()))
