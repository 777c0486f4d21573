"""A* on a tile grid with learned costs, and frontier targets for exploration.

Costs come from what the agent has learned: known floor is cheap, unknown cells cost
more (worth trying, but known routes win), hazards cost a lot, walls are impassable.

>>> import numpy as np
>>> grid = CostGrid(np.array([[1, 1, 1], [WALL, WALL, 1], [1, 1, 1]], dtype=np.float32))
>>> astar(grid, (0, 0), (0, 2))   # (x, y) cells
[(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2)]
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

WALL = np.float32(np.inf)
FLOOR_COST = 1.0
UNKNOWN_COST = 3.0
HAZARD_COST = 40.0

Cell = tuple[int, int]
_STEPS: tuple[Cell, ...] = ((1, 0), (-1, 0), (0, 1), (0, -1))


@dataclass
class CostGrid:
    """Per-cell entry cost, indexed ``[y, x]``; ``inf`` is impassable."""

    cost: np.ndarray

    @property
    def width(self) -> int:
        return int(self.cost.shape[1])

    @property
    def height(self) -> int:
        return int(self.cost.shape[0])

    def inside(self, cell: Cell) -> bool:
        x, y = cell
        return 0 <= x < self.width and 0 <= y < self.height

    def passable(self, cell: Cell) -> bool:
        return self.inside(cell) and bool(np.isfinite(self.cost[cell[1], cell[0]]))


def astar(
    grid: CostGrid,
    start: Cell,
    goal: Cell,
    *,
    goal_adjacent: bool = False,
    max_expansions: int = 50_000,
    weight: float = 1.0,
) -> list[Cell] | None:
    """The cheapest 4-connected path from ``start`` to ``goal`` (both included), or None.

    With ``goal_adjacent`` the path ends next to ``goal`` (to talk to an NPC or face a
    sign standing on an impassable cell). The start cell's own cost is never charged.
    ``weight`` > 1 inflates the heuristic (weighted A*): far fewer expansions, paths at
    most ``weight`` times the cheapest.
    """
    if not grid.inside(start):
        return None
    goals: set[Cell]
    if goal_adjacent:
        goals = {(goal[0] + dx, goal[1] + dy) for dx, dy in _STEPS}
        goals = {g for g in goals if grid.passable(g) or g == start}
    else:
        goals = {goal} if grid.passable(goal) or goal == start else set()
    if not goals:
        return None
    if start in goals:
        return [start]
    gx = [g[0] for g in goals]
    gy = [g[1] for g in goals]

    def h(c: Cell) -> float:
        return weight * min(abs(c[0] - x) + abs(c[1] - y) for x, y in zip(gx, gy))

    cost = grid.cost
    best: dict[Cell, float] = {start: 0.0}
    came: dict[Cell, Cell] = {}
    frontier: list[tuple[float, int, Cell]] = [(h(start), 0, start)]
    tie = 0
    expansions = 0
    while frontier:
        _, _, cur = heapq.heappop(frontier)
        if cur in goals:
            path = [cur]
            while cur in came:
                cur = came[cur]
                path.append(cur)
            return path[::-1]
        expansions += 1
        if expansions > max_expansions:
            return None
        g_cur = best[cur]
        for dx, dy in _STEPS:
            nxt = (cur[0] + dx, cur[1] + dy)
            if not grid.inside(nxt):
                continue
            step = float(cost[nxt[1], nxt[0]])
            if step == np.inf:
                continue
            g = g_cur + step
            if g < best.get(nxt, np.inf):
                best[nxt] = g
                came[nxt] = cur
                tie += 1
                heapq.heappush(frontier, (g + h(nxt), tie, nxt))
    return None


def frontier_targets(known: np.ndarray, passable: np.ndarray) -> list[Cell]:
    """Known passable cells that touch an unknown cell: where exploration should go.

    ``known`` and ``passable`` are boolean ``[y, x]`` arrays. Vectorised.
    """
    unknown = ~known
    touch = np.zeros_like(unknown)
    touch[1:, :] |= unknown[:-1, :]
    touch[:-1, :] |= unknown[1:, :]
    touch[:, 1:] |= unknown[:, :-1]
    touch[:, :-1] |= unknown[:, 1:]
    ys, xs = np.nonzero(known & passable & touch)
    return [(int(x), int(y)) for x, y in zip(xs, ys)]


def path_to_moves(path: Iterable[Cell]) -> list[Cell]:
    """The unit moves ``(dx, dy)`` along ``path``."""
    cells = list(path)
    return [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(cells)]
