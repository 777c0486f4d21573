"""The tactical planner (~10 Hz): A* on the learned area grid, across areas through known
transitions, frontier exploration; emits a :class:`Plan` of button steps.

>>> from eevee.world import WorldModel
>>> from eevee.strategists.base import Action
>>> from eevee.goals.quests import Target
>>> w = WorldModel(default_size=(5, 5))
>>> plan = TacticalPlanner(w).plan(0, 0, (0, 0), Action("walk", Target(0, (2, 0))))
>>> [s.expect_cell for s in plan.steps]
[(1, 0), (2, 0)]
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.strategists.base import Action
from eevee.tactical.astar import CostGrid
from eevee.tactical.astar import astar as _astar
from eevee.tactical.plan import DIRECTIONS, FACE, FACING_NAME, MOVE, PRESS, Plan, PlanStep
from eevee.world.model import CellKind, Transition, WorldModel

Cell = tuple[int, int]
WEIGHT = 2.0  # weighted A*: plans are replanned often, speed matters more than optimality
MAX_TRIES = 6  # exploration plans towards one cell before giving it up
MAX_DOOR_TRIES = 4  # exploration plans through one door before giving it up


def astar(grid: CostGrid, start: Cell, goal: Cell, **kw: object) -> list[Cell] | None:
    return _astar(grid, start, goal, weight=WEIGHT, **kw)  # type: ignore[arg-type]


DEFAULT_FACING = {"down": 0, "up": 1, "left": 2, "right": 3}


def moves_plan(path: list[Cell]) -> list[PlanStep]:
    steps = []
    for a, b in itertools.pairwise(path):
        d = (b[0] - a[0], b[1] - a[1])
        steps.append(PlanStep(MOVE, int(DIRECTIONS[d]), from_cell=a, expect_cell=b))
    return steps


class TacticalPlanner:
    def __init__(self, world: WorldModel, facing_codes: Mapping[str, int] | None = None) -> None:
        self.world = world
        self.facing = dict(facing_codes or DEFAULT_FACING)
        self.plans_made = 0
        self.failures = 0
        self.attempts: dict[tuple[Hashable, Cell], int] = {}
        self.door_attempts: dict[Cell, int] = {}  # in the current area
        self._door_area: Hashable = None

    def grid(
        self, area: Hashable, blocked: tuple[Cell, ...] = (), goal: Cell | None = None
    ) -> CostGrid:
        """The area's cost grid; doors (they lead away) and ``blocked`` cells are walls,
        except ``goal``."""
        amap = self.world.area(area)
        grid = amap.cost_grid()
        grid.cost[amap.kinds == CellKind.DOOR] = np.inf
        for x, y in blocked:
            if grid.inside((x, y)):
                grid.cost[y, x] = np.inf
        if goal is not None and grid.inside(goal) and amap.kind(goal) == CellKind.DOOR:
            grid.cost[goal[1], goal[0]] = 1.0
        return grid

    def plan(
        self,
        frame: int,
        area: Hashable,
        cell: Cell,
        action: Action,
        npcs: Mapping[int, Cell] | None = None,
    ) -> Plan | None:
        """A plan towards ``action`` from ``cell`` of ``area``, or None (nothing to do)."""
        npcs = npcs or {}
        self.plans_made += 1
        tgt_area = area if action.target.area is None else action.target.area
        if action.kind == "explore":
            return self.explore(frame, area, cell, npcs)
        if tgt_area != area:
            return self.toward_area(frame, area, cell, tgt_area, npcs, action.kind)
        if action.kind == "enter":
            return None
        target = action.target.cell
        if action.npc is not None:
            target = npcs.get(action.npc, target)
        if target is None:
            return self.explore(frame, area, cell, npcs)
        others = tuple(c for c in npcs.values() if c != target)
        if action.kind in ("talk", "use", "heal"):
            grid = self.grid(area, (*others, target))
            path = astar(grid, cell, target, goal_adjacent=True)
            if path is None:
                self.failures += 1
                return None
            steps = moves_plan(path)
            end = path[-1]
            d = (target[0] - end[0], target[1] - end[1])
            if d in DIRECTIONS:
                steps.append(PlanStep(FACE, int(DIRECTIONS[d]), from_cell=end,
                                      expect_facing=self.facing.get(FACING_NAME[d])))
            steps.append(PlanStep(PRESS, int(Buttons.A), from_cell=end))
            return Plan(area, f"{action.kind} {target}", steps, 0, frame, target)
        path = astar(self.grid(area, others, target), cell, target)
        if path is None:
            self.failures += 1
            return None
        return Plan(area, f"{action.kind} {target}", moves_plan(path), 0, frame, target)

    def toward_area(
        self, frame: int, area: Hashable, cell: Cell, goal: Hashable,
        npcs: Mapping[int, Cell], why: str,
    ) -> Plan | None:
        hops = self.world.route(area, goal)
        if hops and hops[0][1] == cell:
            # standing on it and still here: not a door after all
            self.world.forget_transition(area, cell)
            hops = self.world.route(area, goal)
        if not hops:
            return self.explore(frame, area, cell, npcs)
        door = hops[0][1]
        path = astar(self.grid(area, tuple(npcs.values()), door), cell, door)
        if path is None:
            self.failures += 1
            return self.explore(frame, area, cell, npcs)
        return Plan(area, f"{why}: to area {goal} via {door}", moves_plan(path), 0, frame, door)

    def explore(
        self, frame: int, area: Hashable, cell: Cell, npcs: Mapping[int, Cell]
    ) -> Plan | None:
        """Walk to the nearest cell never stood on; else through a door towards the
        nearest area with frontier left. Targets tried ``MAX_TRIES`` times without being
        reached (or with no path) are given up, so exploration never loops on them."""
        amap = self.world.area(area)
        grid = self.grid(area, tuple(npcs.values()))
        open_ = amap.unvisited_open()
        ys, xs = np.nonzero(open_)
        if len(xs):
            dist = np.abs(xs - cell[0]) + np.abs(ys - cell[1])
            # two candidates per call: an unreachable one costs a whole flood, so the rest
            # wait for the next tactical tick (keeps the tactical p99 inside ~1 ms)
            order = np.lexsort((xs, ys, dist))[:2]
            for i in order:
                tgt = (int(xs[i]), int(ys[i]))
                tries = self.attempts.get((area, tgt), 0) + 1
                self.attempts[(area, tgt)] = tries
                path = None
                if tries <= MAX_TRIES:
                    path = astar(grid, cell, tgt, max_expansions=1500)
                if path is not None and len(path) > 1:
                    return Plan(area, f"explore {tgt}", moves_plan(path), 0, frame, tgt)
                # unreachable as far as we know: stop wanting it
                amap.give_up(tgt)
                if amap.kinds[tgt[1], tgt[0]] == CellKind.UNKNOWN:
                    amap.kinds[tgt[1], tgt[0]] = CellKind.WALL
        if area != self._door_area:  # went through a door: every door is worth a try again
            self._door_area = area
            self.door_attempts.clear()
        door = self._door_to_frontier(area, cell)
        if door is not None:
            self.door_attempts[door] = self.door_attempts.get(door, 0) + 1
            path = astar(self.grid(area, tuple(npcs.values()), door), cell, door)
            if path is not None and len(path) > 1:
                return Plan(area, f"explore via door {door}", moves_plan(path), 0, frame, door)
            self.door_attempts[door] = MAX_DOOR_TRIES + 1
        return None

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
                    other = self.world.areas.get(t.to_area)
                    left = 10_000 if other is None else int(np.count_nonzero(
                        other.unvisited_open()))
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
