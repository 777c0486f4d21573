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
from eevee.world.model import CellKind, WorldModel

Cell = tuple[int, int]
WEIGHT = 2.0  # weighted A*: plans are replanned often, speed matters more than optimality


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

    def grid(self, area: Hashable, blocked: tuple[Cell, ...] = ()) -> CostGrid:
        grid = self.world.area(area).cost_grid()
        for x, y in blocked:
            if grid.inside((x, y)):
                grid.cost[y, x] = np.inf
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
        path = astar(self.grid(area, others), cell, target)
        if path is None:
            self.failures += 1
            return None
        return Plan(area, f"{action.kind} {target}", moves_plan(path), 0, frame, target)

    def toward_area(
        self, frame: int, area: Hashable, cell: Cell, goal: Hashable,
        npcs: Mapping[int, Cell], why: str,
    ) -> Plan | None:
        hops = self.world.route(area, goal)
        if not hops:
            return self.explore(frame, area, cell, npcs)
        door = hops[0][1]
        path = astar(self.grid(area, tuple(npcs.values())), cell, door)
        if path is None:
            self.failures += 1
            return self.explore(frame, area, cell, npcs)
        return Plan(area, f"{why}: to area {goal} via {door}", moves_plan(path), 0, frame, door)

    def explore(
        self, frame: int, area: Hashable, cell: Cell, npcs: Mapping[int, Cell]
    ) -> Plan | None:
        """Walk to the nearest cell never stood on; else through a door to less-seen parts."""
        amap = self.world.area(area)
        grid = self.grid(area, tuple(npcs.values()))
        open_ = amap.unvisited_open()
        ys, xs = np.nonzero(open_)
        if len(xs):
            dist = np.abs(xs - cell[0]) + np.abs(ys - cell[1])
            order = np.lexsort((xs, ys, dist))[:6]
            for i in order:
                tgt = (int(xs[i]), int(ys[i]))
                path = astar(grid, cell, tgt, max_expansions=4000)
                if path is not None and len(path) > 1:
                    return Plan(area, f"explore {tgt}", moves_plan(path), 0, frame, tgt)
                # unreachable as far as we know: stop wanting it
                amap.visits[tgt[1], tgt[0]] = max(1, int(amap.visits[tgt[1], tgt[0]]))
                if amap.kinds[tgt[1], tgt[0]] == CellKind.UNKNOWN:
                    amap.kinds[tgt[1], tgt[0]] = CellKind.WALL
        # this area looks done: go through the door to the least-known neighbour
        best: tuple[float, Cell] | None = None
        for t in self.world.doors_of(area):
            other = self.world.areas.get(t.to_area)
            left = 10_000 if other is None else int(np.count_nonzero(other.unvisited_open()))
            if left == 0 or t.cell == cell:
                continue
            d = abs(t.cell[0] - cell[0]) + abs(t.cell[1] - cell[1])
            key = (-left + d * 0.01, t.cell)
            if best is None or key < (best[0], best[1]):
                best = key
        if best is not None:
            path = astar(grid, cell, best[1])
            if path is not None:
                return Plan(area, f"explore via door {best[1]}", moves_plan(path), 0, frame,
                            best[1])
        return None
