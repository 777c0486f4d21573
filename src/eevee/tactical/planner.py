"""The tactical planner (~10 Hz): A* on the learned area grid, across areas through known
transitions, frontier exploration; emits a :class:`Plan` of button steps.

It runs on the frame thread, so every tick is bounded: which cells the player can reach
is one flood per area, cached (:meth:`TacticalPlanner.reach`) and kept through learned
walls that cut nothing, so targets and doors beyond the player's region are dropped
without an A* flood each; A* itself is capped, and the ``*_steps`` generators yield
every ``budget`` expansions so that the agent spreads a long search over frames.

>>> from eevee.world import WorldModel
>>> from eevee.goals.quests import Action
>>> from eevee.goals.quests import Target
>>> w = WorldModel(default_size=(5, 5))
>>> plan = TacticalPlanner(w).plan(0, 0, (0, 0), Action("walk", Target(0, (2, 0))))
>>> [s.expect_cell for s in plan.steps]
[(1, 0), (2, 0)]
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Hashable, Mapping
from typing import Any

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.goals.quests import Action
from eevee.tactical.astar import CostGrid, astar_steps, padded, reachable_steps, ring, run
from eevee.tactical.plan import DIRECTIONS, FACE, FACING_NAME, MOVE, PRESS, Plan, PlanStep
from eevee.world.model import COST_LUT, AreaMap, CellKind, Transition, WorldModel

Cell = tuple[int, int]
WEIGHT = 2.0  # weighted A*: plans are replanned often, speed matters more than optimality
MAX_TRIES = 6  # exploration plans towards one cell before giving it up
MAX_DOOR_TRIES = 4  # exploration plans through one door before giving it up
FLOOD_FACTOR = 8  # flood cells per A* expansion of budget (a flood cell costs ~0.5 us)
MAX_EXPANSIONS = 1500  # A* budget per plan: targets are checked reachable first
_STEPS: tuple[Cell, ...] = ((1, 0), (-1, 0), (0, 1), (0, -1))
_COST_NO_DOORS = COST_LUT.copy()  # entry costs, doors impassable (they lead away)
_COST_NO_DOORS[CellKind.DOOR] = np.inf
# learned kinds a never-stood-on cell may be worth walking onto (exploration)
_OPEN_KINDS = frozenset(int(k) for k in (CellKind.UNKNOWN, CellKind.WALKABLE, CellKind.SLOW))
# learned kinds a path may cross (NPCs aside; doors lead away, so they are walls here)
_PASSABLE = np.array([k not in (CellKind.WALL, CellKind.DOOR, CellKind.INTERACTIVE)
                      for k in CellKind], dtype=bool)


DEFAULT_FACING = {"down": 0, "up": 1, "left": 2, "right": 3}


def moves_plan(path: list[Cell]) -> list[PlanStep]:
    steps = []
    for a, b in itertools.pairwise(path):
        d = (b[0] - a[0], b[1] - a[1])
        steps.append(PlanStep(MOVE, int(DIRECTIONS[d]), from_cell=a, expect_cell=b))
    return steps


_RING: tuple[Cell, ...] = ((-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0))


def _shrink(old: np.ndarray, new: np.ndarray, region: np.ndarray) -> np.ndarray | None:
    """``region`` (connected over ``old`` passable cells) after cells turned impassable
    (a bumped wall, a learned door), without a flood: None when a cell turned passable
    or a lost cell may have cut the region in two (then flood again).

    A lost cell cannot disconnect anything when its passable 4-neighbours are joined
    around it through its 8-neighbourhood (one run of passable cells around the ring);
    the cells are removed one at a time so that each check stands on its own."""
    if (new & ~old).any():
        return None
    lost = old & ~new
    ys, xs = np.nonzero(lost & region)
    if len(xs) > 8:
        return None
    h, w = new.shape
    mask = old.copy()
    for x, y in zip(xs.tolist(), ys.tolist()):
        mask[y, x] = False
        ring = [0 <= x + dx < w and 0 <= y + dy < h and bool(mask[y + dy, x + dx])
                for dx, dy in _RING]
        edges = [i for i in (1, 3, 5, 7) if ring[i]]
        if len(edges) <= 1:
            continue
        runs = 0
        for i in range(8):
            if ring[i] and not ring[i - 1]:
                runs += 1
        if runs == 0:  # the whole ring is passable: one run
            runs = 1
        if runs > 1:
            # several runs: fine only if all the passable edge cells share one
            run_of = [0] * 8
            start = next(i for i in range(8) if ring[i] and not ring[i - 1])
            run = 0
            for k in range(8):
                i = (start + k) % 8
                if ring[i] and not ring[i - 1]:
                    run += 1
                run_of[i] = run if ring[i] else 0
            if len({run_of[i] for i in edges}) > 1:
                return None
    return region & new


class TacticalPlanner:
    def __init__(self, world: WorldModel, facing_codes: Mapping[str, int] | None = None) -> None:
        self.world = world
        self.facing = dict(facing_codes or DEFAULT_FACING)
        self.plans_made = 0
        self.failures = 0
        self.attempts: dict[tuple[Hashable, Cell], int] = {}
        self.door_attempts: dict[Cell, int] = {}  # in the current area
        self._door_area: Hashable = None
        # per area: (passable mask bytes, cells reachable from the player) — one flood,
        # reused until a wall/door is learned or forgotten or the player leaves the region
        self._reach: dict[Hashable, tuple[bytes, np.ndarray]] = {}
        self.floods = 0
        # A* expansions between yields of the ``*_steps`` generators (None: no yields);
        # the agent sets it so that one plan spreads over frames, each frame short
        self.budget: int | None = None
        # frontier cells left per other area: those change only while the player is in
        # them, so the counts hold while the player stays in ``_left_area``
        self._left: dict[Hashable, int] = {}
        self._left_area: Hashable = None
        self._heading: Cell = (0, 0)  # the last exploration step's direction
        # per area: (the kinds the flat cost list was made from, the flat padded costs)
        self._flat: dict[Hashable, tuple[np.ndarray, list[float]]] = {}

    def reach(self, area: Hashable, cell: Cell) -> np.ndarray:
        """Boolean ``[y, x]``: cells of ``area`` connected to ``cell`` over learned
        passable cells (NPCs ignored: they move). Cached; a flood only when the learned
        walls changed or ``cell`` is outside the cached region."""
        return run(self.reach_steps(area, cell))

    def reached(self, area: Hashable) -> np.ndarray | None:
        """The last flood of ``area`` if the learned walls have not changed since (no
        new flood: cheap enough for any frame), else None."""
        hit = self._reach.get(area)
        if hit is None or hit[0] != _PASSABLE[self.world.area(area).kinds].tobytes():
            return None
        return hit[1]

    def reach_steps(self, area: Hashable, cell: Cell) -> Generator[None, None, np.ndarray]:
        """:meth:`reach` as a generator: a flood (when one is needed) yields every
        ``budget`` cells, so a large area's flood spreads over frames."""
        amap = self.world.area(area)
        passable = _PASSABLE[amap.kinds]
        key = passable.tobytes()
        hit = self._reach.get(area)
        if hit is not None and hit[0] == key and amap.inside(cell):
            r = hit[1]
            x, y = cell
            if r[y, x]:
                return r
            if not passable[y, x]:
                # standing on a door (just came through): the region next to it, if
                # every way off the door leads into the cached region
                ways = [(x + dx, y + dy) for dx, dy in _STEPS]
                ways = [(a, b) for a, b in ways if amap.inside((a, b)) and passable[b, a]]
                if ways and all(r[b, a] for a, b in ways):
                    return r
        if hit is not None and amap.inside(cell):
            shrunk = _shrink(np.frombuffer(hit[0], dtype=bool).reshape(passable.shape),
                             passable, hit[1])
            if shrunk is not None and shrunk[cell[1], cell[0]]:
                self._reach[area] = (key, shrunk)
                return shrunk
        self.floods += 1
        r = yield from reachable_steps(
            passable, cell, None if self.budget is None else self.budget * FLOOD_FACTOR)
        self._reach[area] = (key, r)
        return r

    def can_reach(self, area: Hashable, cell: Cell, target: Cell,
                  adjacent: bool = False) -> bool:
        """False when no path can exist from ``cell`` to ``target`` (or, ``adjacent``,
        to a cell next to it) as far as the learned map goes, so A* need not flood the
        area to find out. Doors count: the path may end on one."""
        return run(self.can_reach_steps(area, cell, target, adjacent))

    def can_reach_steps(self, area: Hashable, cell: Cell, target: Cell, adjacent: bool = False,
                        reach: int = 1) -> Generator[None, None, bool]:
        """:meth:`can_reach` as a generator (its flood, when one is needed, is sliced);
        ``reach``: how far off ``target``, with ``adjacent`` (a figure's span)."""
        if target == cell:
            return True
        amap = self.world.area(area)
        r = yield from self.reach_steps(area, cell)
        ends = ring(target, reach) if adjacent else [target]
        for e in ends:
            if e == cell:
                return True
            if not amap.inside(e):
                continue
            if r[e[1], e[0]]:
                return True
            if amap.kinds[e[1], e[0]] == CellKind.DOOR and any(
                    amap.inside(n) and r[n[1], n[0]]
                    for n in ((e[0] + dx, e[1] + dy) for dx, dy in _STEPS)):
                return True
        return False

    def grid(
        self, area: Hashable, blocked: tuple[Cell, ...] = (), goal: Cell | None = None
    ) -> CostGrid:
        """The area's cost grid; doors (they lead away) and ``blocked`` cells are walls,
        except ``goal``. Its flat padded form is kept per area and patched where the
        learned kinds changed since the last call, so a plan costs a list copy, not a
        rebuild of the whole area."""
        amap = self.world.area(area)
        kinds = amap.kinds
        stride = kinds.shape[1] + 2
        hit = self._flat.get(area)
        changed = None
        if hit is not None and hit[0].shape == kinds.shape:
            changed = np.nonzero(hit[0] != kinds)
        if hit is None or changed is None or len(changed[0]) > 256:  # new or much changed
            hit = self._flat[area] = (kinds.copy(), padded(_COST_NO_DOORS[kinds])[0])
        elif len(changed[0]):
            (ys, xs), (old, flat) = changed, hit
            for x, y, c in zip(xs.tolist(), ys.tolist(), _COST_NO_DOORS[kinds[ys, xs]].tolist()):
                flat[(y + 1) * stride + x + 1] = c
            old[ys, xs] = kinds[ys, xs]
        grid = CostGrid(_COST_NO_DOORS[kinds], hit[1].copy())
        assert grid.flat is not None
        for x, y in blocked:
            if grid.inside((x, y)):
                grid.cost[y, x] = np.inf
                grid.flat[(y + 1) * stride + x + 1] = np.inf
        if goal is not None and grid.inside(goal) and amap.kind(goal) == CellKind.DOOR:
            grid.cost[goal[1], goal[0]] = 1.0
            grid.flat[(goal[1] + 1) * stride + goal[0] + 1] = 1.0
        return grid

    def plan(
        self,
        frame: int,
        area: Hashable,
        cell: Cell,
        action: Action,
        npcs: Mapping[Hashable, Cell] | None = None,
    ) -> Plan | None:
        """A plan towards ``action`` from ``cell`` of ``area``, or None (nothing to do)."""
        return run(self.plan_steps(frame, area, cell, action, npcs))

    def toward_area(
        self, frame: int, area: Hashable, cell: Cell, goal: Hashable,
        npcs: Mapping[Hashable, Cell], why: str,
    ) -> Plan | None:
        return run(self.toward_area_steps(frame, area, cell, goal, npcs, why))

    def explore(
        self, frame: int, area: Hashable, cell: Cell, npcs: Mapping[Hashable, Cell]
    ) -> Plan | None:
        """See :meth:`explore_steps`, run in one go."""
        return run(self.explore_steps(frame, area, cell, npcs))

    def _search(self, grid: CostGrid, start: Cell, goal: Cell,
                **kw: Any) -> Generator[None, None, list[Cell] | None]:
        kw.setdefault("max_expansions", MAX_EXPANSIONS)
        return (yield from astar_steps(grid, start, goal, weight=WEIGHT,
                                       budget=self.budget, **kw))

    def plan_steps(
        self,
        frame: int,
        area: Hashable,
        cell: Cell,
        action: Action,
        npcs: Mapping[Hashable, Cell] | None = None,
    ) -> Generator[None, None, Plan | None]:
        """A plan towards ``action`` from ``cell`` of ``area``, or None (nothing to do)."""
        npcs = npcs or {}
        self.plans_made += 1
        tgt_area = area if action.target.area is None else action.target.area
        if action.kind == "explore":
            return (yield from self.explore_steps(frame, area, cell, npcs))
        if tgt_area != area:
            return (yield from self.toward_area_steps(frame, area, cell, tgt_area, npcs,
                                                           action.kind))
        if action.kind == "enter":
            return None
        target = action.target.cell
        if action.npc is not None:
            target = npcs.get(action.npc, target)
        if target is None:
            return (yield from self.explore_steps(frame, area, cell, npcs))
        others = tuple(c for c in npcs.values() if c != target)
        if action.kind in ("talk", "use", "heal", "push"):
            # a figure k cells across is met from k cells off its top-left cell, not via its body
            k = 1 if action.npc is None else self.world.curiosity.size_of(action.npc)
            body = tuple((target[0] + dx, target[1] + dy)
                         for dx in range(1 - k, k) for dy in range(1 - k, k))
            path = None
            if (yield from self.can_reach_steps(area, cell, target, adjacent=True, reach=k)):
                grid = self.grid(area, (*others, *body))
                path = yield from self._search(grid, cell, target, goal_adjacent=True, reach=k)
            if path is None:
                self.failures += 1
                return None
            steps = moves_plan(path)
            end = path[-1]
            dx, dy = target[0] - end[0], target[1] - end[1]
            d = ((dx > 0) - (dx < 0), (dy > 0) - (dy < 0))  # (k cells off: one step's way)
            if action.kind == "push" and d in DIRECTIONS:  # walk into it (a locked door)
                steps.append(PlanStep(MOVE, int(DIRECTIONS[d]), from_cell=end,
                                      expect_cell=target))
                return Plan(area, f"push {target}", steps, 0, frame, target)
            if d in DIRECTIONS:
                steps.append(PlanStep(FACE, int(DIRECTIONS[d]), from_cell=end,
                                      expect_facing=self.facing.get(FACING_NAME[d])))
            steps.append(PlanStep(PRESS, int(Buttons.A), from_cell=end))
            return Plan(area, f"{action.kind} {target}", steps, 0, frame, target)
        path = None
        if (yield from self.can_reach_steps(area, cell, target)):
            path = yield from self._search(self.grid(area, others, target), cell, target)
        if path is None:
            self.failures += 1
            return None
        return Plan(area, f"{action.kind} {target}", moves_plan(path), 0, frame, target)

    def toward_area_steps(
        self, frame: int, area: Hashable, cell: Cell, goal: Hashable,
        npcs: Mapping[Hashable, Cell], why: str,
    ) -> Generator[None, None, Plan | None]:
        hops = self.world.route(area, goal)
        if hops and hops[0][1] == cell:
            # standing on it and still here: not a door after all
            self.world.forget_transition(area, cell)
            hops = self.world.route(area, goal)
        if not hops:
            return (yield from self.explore_steps(frame, area, cell, npcs))
        door = hops[0][1]
        path = None
        if (yield from self.can_reach_steps(area, cell, door)):
            path = yield from self._search(self.grid(area, tuple(npcs.values()), door), cell, door)
        if path is None:
            self.failures += 1
            return (yield from self.explore_steps(frame, area, cell, npcs))
        return Plan(area, f"{why}: to area {goal} via {door}", moves_plan(path), 0, frame, door)

    def explore_steps(
        self, frame: int, area: Hashable, cell: Cell, npcs: Mapping[Hashable, Cell]
    ) -> Generator[None, None, Plan | None]:
        """Walk to the nearest cell never stood on; else through a door towards the
        nearest area with frontier left. Targets tried ``MAX_TRIES`` times without being
        reached (or with no path) are given up, so exploration never loops on them."""
        amap = self.world.area(area)
        near = self._open_neighbour(area, amap, cell, npcs)
        if near is not None:
            # the cheap, common case: a never-stood-on cell right next to the player
            self._heading = (near[0] - cell[0], near[1] - cell[1])
            return Plan(area, f"explore {near}", moves_plan([cell, near]), 0, frame, near)
        open_ = amap.unvisited_open()
        if self.budget is not None:
            yield  # the scan above is the slice's work; the search starts next frame
        if open_.any() and amap.inside(cell):
            # unreachable as far as we know (one cached flood tells): stop wanting them
            # all at once, rather than an A* flood per candidate on the frame thread
            r = yield from self.reach_steps(area, cell)
            lost = open_ & ~r
            if lost.any():
                # given up, not walls: nothing was learned of them (a false wall, a gate
                # that opens, may let the flood reach them later)
                assert amap.given_up is not None
                amap.given_up |= lost
                open_ &= ~lost
        ys, xs = np.nonzero(open_)
        if len(xs):
            # two candidates per call, each reachable on the learned map (only NPCs in
            # the way can fail them) and A* bounded: the tactical tick stays short. The
            # nearest by (distance, y, x), as one integer key and a partial sort (a full
            # sort of thousands of candidates in a big field costs ~150 µs)
            h, w = open_.shape
            key = (np.abs(xs - cell[0]) + np.abs(ys - cell[1])) * (h * w) + ys * w + xs
            if len(key) > 2:
                part = np.argpartition(key, 1)[:2]
                order = part[np.argsort(key[part])]
            else:
                order = np.argsort(key)
            if self.budget is not None:
                yield
            grid = self.grid(area, tuple(npcs.values()))
            for i in order:
                tgt = (int(xs[i]), int(ys[i]))
                tries = self.attempts.get((area, tgt), 0) + 1
                self.attempts[(area, tgt)] = tries
                path = None
                if tries <= MAX_TRIES:
                    path = yield from self._search(grid, cell, tgt)
                if path is not None and len(path) > 1:
                    last = path[-1]
                    self._heading = (last[0] - path[-2][0], last[1] - path[-2][1])
                    return Plan(area, f"explore {tgt}", moves_plan(path), 0, frame, tgt)
                # not reached after all these tries: stop wanting it (not a wall: its
                # look may be something worth a step once a way there is found)
                amap.give_up(tgt)
        if amap.visits.any():  # (walked here, and nothing left to walk to: elsewhere)
            amap.explored = True
        if area != self._door_area:  # went through a door: every door is worth a try again
            self._door_area = area
            self.door_attempts.clear()
        door = self._door_to_frontier(area, cell)
        if door is not None:
            self.door_attempts[door] = self.door_attempts.get(door, 0) + 1
            path = None
            if (yield from self.can_reach_steps(area, cell, door)):
                grid = self.grid(area, tuple(npcs.values()), door)
                path = yield from self._search(grid, cell, door)
            if path is not None and len(path) > 1:
                return Plan(area, f"explore via door {door}", moves_plan(path), 0, frame, door)
            self.door_attempts[door] = MAX_DOOR_TRIES + 1
        return None

    def forget_attempts(self, area: Hashable | None = None) -> None:
        """The world changed in ``area`` (None: everywhere, as when the cells changed
        size): cells tried in vain may be in reach now."""
        self.attempts = {k: n for k, n in self.attempts.items()
                         if area is not None and k[0] != area}
        self.door_attempts.clear()

    def _open_neighbour(self, area: Hashable, amap: AreaMap, cell: Cell,
                        npcs: Mapping[Hashable, Cell]) -> Cell | None:
        """A never-stood-on cell next to ``cell`` that may be walkable, or None. Of
        several, the one with the fewest such cells around it (so no lone cell is left
        behind to come back for), then the one straight ahead. Pure Python: a few
        dozen element reads, no array built."""
        if not amap.inside(cell):
            return None
        kinds, visits, given = amap.kinds, amap.visits, amap.given_up
        assert given is not None
        w, h = amap.size
        taken = set(npcs.values())

        def open_at(x: int, y: int) -> bool:
            return (0 <= x < w and 0 <= y < h and int(kinds[y, x]) in _OPEN_KINDS
                    and not visits[y, x] and not given[y, x])

        best: tuple[int, int] | None = None
        pick: Cell | None = None
        for dx, dy in _STEPS:
            x, y = cell[0] + dx, cell[1] + dy
            if not open_at(x, y) or (x, y) in taken:
                continue
            if self.attempts.get((area, (x, y)), 0) >= MAX_TRIES:
                continue
            onward = sum(open_at(x + ex, y + ey) for ex, ey in _STEPS)
            key = (onward, 0 if (dx, dy) == self._heading else 1)
            if best is None or key < best:
                best, pick = key, (x, y)
        if pick is not None:
            self.attempts[(area, pick)] = self.attempts.get((area, pick), 0) + 1
        return pick

    def _frontier_left(self, here: Hashable, other: Hashable) -> int:
        """Cells of ``other`` (not the current area ``here``) still worth exploring."""
        if here != self._left_area:
            self._left_area = here
            self._left.clear()
        left = self._left.get(other)
        if left is None:
            amap = self.world.areas.get(other)
            left = 10_000 if amap is None else int(np.count_nonzero(amap.unvisited_open()))
            self._left[other] = left
        return left

    def _door_to_frontier(self, area: Hashable, cell: Cell) -> Cell | None:
        """First door on the way to the nearest area (fewest doors) with frontier left."""
        by_area: dict[Hashable, list[Transition]] = {}
        for t in self.world.transitions.values():
            if t.area != area or self.door_attempts.get(t.cell, 0) <= MAX_DOOR_TRIES:
                by_area.setdefault(t.area, []).append(t)
        first: dict[Hashable, Cell] = {}
        seen = {area}
        frontier_level = [area]
        while frontier_level:
            best: tuple[float, Cell] | None = None
            nxt = []
            for cur in frontier_level:
                for t in sorted(by_area.get(cur, []), key=lambda t: t.cell):
                    if t.to_area in seen or (cur == area and t.cell == cell):
                        continue
                    seen.add(t.to_area)
                    door = t.cell if cur == area else first[cur]
                    first[t.to_area] = door
                    nxt.append(t.to_area)
                    left = self._frontier_left(area, t.to_area)
                    if left == 0:
                        continue
                    d = abs(door[0] - cell[0]) + abs(door[1] - cell[1])
                    key = (-left + d * 0.01, door)
                    if best is None or key < best:
                        best = key
            if best is not None:
                return best[1]
            frontier_level = nxt
        return None
