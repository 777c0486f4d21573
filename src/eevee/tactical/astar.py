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
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from eevee.world.model import FLOOR_COST, HAZARD_COST, UNKNOWN_COST

WALL = np.float32(np.inf)
__all__ = ["FLOOR_COST", "HAZARD_COST", "UNKNOWN_COST", "WALL", "CostGrid", "astar",
           "astar_steps", "frontier_targets", "padded", "path_to_moves", "reachable",
           "reachable_steps", "run"]

Cell = tuple[int, int]
_STEPS: tuple[Cell, ...] = ((1, 0), (-1, 0), (0, 1), (0, -1))


@dataclass
class CostGrid:
    """Per-cell entry cost, indexed ``[y, x]``; ``inf`` is impassable. ``flat``, when
    given, is the same costs as :func:`padded` lays them out (a caller that keeps one
    up to date saves the search from building it)."""

    cost: np.ndarray
    flat: list[float] | None = None

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


def padded(cost: np.ndarray) -> tuple[list[float], int]:
    """The cost grid as a flat list with an impassable border (no bounds checks in the
    inner loops), and its row stride."""
    h, w = cost.shape
    pad = np.full((h + 2, w + 2), np.inf, dtype=np.float64)
    pad[1:-1, 1:-1] = cost
    return pad.ravel().tolist(), w + 2


T = TypeVar("T")


def run(steps: Generator[None, None, T]) -> T:
    """Drive a ``*_steps`` generator to its end in one go; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result


def astar(
    grid: CostGrid,
    start: Cell,
    goal: Cell,
    *,
    goal_adjacent: bool = False,
    max_expansions: int = 50_000,
    weight: float = 1.0,
    reach: int = 1,
) -> list[Cell] | None:
    """The cheapest 4-connected path from ``start`` to ``goal`` (both included), or None
    (see :func:`astar_steps`, which this runs in one go)."""
    return run(astar_steps(grid, start, goal, goal_adjacent=goal_adjacent,
                           max_expansions=max_expansions, weight=weight, reach=reach))


def astar_steps(
    grid: CostGrid,
    start: Cell,
    goal: Cell,
    *,
    goal_adjacent: bool = False,
    max_expansions: int = 50_000,
    weight: float = 1.0,
    budget: int | None = None,
    reach: int = 1,
) -> Generator[None, None, list[Cell] | None]:
    """The cheapest 4-connected path from ``start`` to ``goal`` (both included), or None.

    With ``goal_adjacent`` the path ends next to ``goal`` (to talk to an NPC or face a
    sign standing on an impassable cell), ``reach`` cells from it straight up, down, left
    or right (a figure that spans two cells is talked to from two cells off its top-left
    one). The start cell's own cost is never charged.
    ``weight`` > 1 inflates the heuristic (weighted A*): far fewer expansions, paths at
    most ``weight`` times the cheapest. At most ``max_expansions`` cells are expanded.

    It runs on the tactical tick, on the frame thread: cells are flat indices into a
    padded list (no bounds checks, no numpy scalar reads in the loop). A generator: with
    ``budget`` it yields after every ``budget`` expansions, so the caller can spread one
    search over several frames (resuming it next frame); the path is its return value.
    """
    goals = _goal_cells(grid, start, goal, goal_adjacent, reach)
    if not goals:
        return None
    if start in goals:
        return [start]
    if grid.flat is not None:
        cost, stride = grid.flat, grid.width + 2
    else:
        cost, stride = padded(grid.cost)
    inf = float("inf")
    goal_idx = {(g[1] + 1) * stride + g[0] + 1 for g in goals}
    gxy = [(g[0], g[1]) for g in goals]
    single = len(gxy) == 1
    gx0, gy0 = gxy[0]
    gxp, gyp = gx0 + 1, gy0 + 1  # the goal in padded coordinates
    steps = (1, -1, stride, -stride)
    h = _heuristic(gxy, stride, weight)
    s = (start[1] + 1) * stride + start[0] + 1
    if budget is not None:
        yield  # the set-up above (the padded grid) is this slice's work
    best = [inf] * len(cost)
    best[s] = 0.0
    came: dict[int, int] = {}
    frontier: list[tuple[float, int, int]] = [(h(s), 0, s)]
    push, pop = heapq.heappush, heapq.heappop
    tie = 0
    expansions = 0
    while frontier:
        _, _, cur = pop(frontier)
        if cur in goal_idx:
            return _path(came, cur, stride)
        expansions += 1
        if expansions > max_expansions:
            return None
        if budget is not None and expansions % budget == 0:
            yield
        g_cur = best[cur]
        for d in steps:
            nxt = cur + d
            step = cost[nxt]
            if step == inf:
                continue
            g = g_cur + step
            if g < best[nxt]:
                best[nxt] = g
                came[nxt] = cur
                tie += 1
                if single:  # the heuristic inline: no call in the inner loop
                    y, x = divmod(nxt, stride)
                    est = g + weight * (abs(x - gxp) + abs(y - gyp))
                else:
                    est = g + h(nxt)
                push(frontier, (est, tie, nxt))
    return None


def ring(cell: Cell, reach: int = 1) -> list[Cell]:
    """The cells ``reach`` cells straight right, left, down and up of ``cell``.

    >>> ring((5, 5), 2)
    [(7, 5), (3, 5), (5, 7), (5, 3)]
    """
    return [(cell[0] + dx * reach, cell[1] + dy * reach) for dx, dy in _STEPS]


def _goal_cells(grid: CostGrid, start: Cell, goal: Cell, goal_adjacent: bool,
                reach: int = 1) -> set[Cell]:
    """The cells an :func:`astar_steps` path may end on (none when ``start`` is outside
    the grid): ``goal`` itself, or with ``goal_adjacent`` the passable cells ``reach``
    cells from it straight out; the start cell counts as passable."""
    if not grid.inside(start):
        return set()
    if goal_adjacent:
        return {g for g in ring(goal, reach) if grid.passable(g) or g == start}
    return {goal} if grid.passable(goal) or goal == start else set()


def _heuristic(gxy: list[Cell], stride: int, weight: float) -> Callable[[int], float]:
    """The A* estimate from a padded index to the nearest of the goals ``gxy``: the
    Manhattan distance times ``weight``."""
    single = len(gxy) == 1
    gx0, gy0 = gxy[0]

    def h(i: int) -> float:
        y, x = divmod(i, stride)
        x -= 1
        y -= 1
        if single:
            return weight * (abs(x - gx0) + abs(y - gy0))
        return weight * min(abs(x - gx) + abs(y - gy) for gx, gy in gxy)

    return h


def _path(came: dict[int, int], end: int, stride: int) -> list[Cell]:
    """The (x, y) cells from the search's start to the padded index ``end``, following
    ``came`` (each index's predecessor) back."""
    path = [end]
    while end in came:
        end = came[end]
        path.append(end)
    return [(i % stride - 1, i // stride - 1) for i in reversed(path)]


def reachable(passable: np.ndarray, start: Cell) -> np.ndarray:
    """Boolean ``[y, x]``: the cells 4-connected to ``start`` through ``passable`` cells
    (``start`` itself always; it may be a door). One flood, O(cells)."""
    return run(reachable_steps(passable, start))


def reachable_steps(
    passable: np.ndarray, start: Cell, budget: int | None = None
) -> Generator[None, None, np.ndarray]:
    """:func:`reachable` as a generator that yields after every ``budget`` cells taken
    off the queue (and once after the set-up), so a flood of a large area can spread
    over frames; the region is its return value."""
    h, w = passable.shape
    out = np.zeros((h, w), dtype=bool)
    x0, y0 = start
    if not (0 <= x0 < w and 0 <= y0 < h):
        return out
    stride = w + 2
    pad = np.zeros((h + 2, w + 2), dtype=bool)
    pad[1:-1, 1:-1] = passable
    ok = pad.ravel().tolist()
    s = (y0 + 1) * stride + x0 + 1
    seen = [False] * len(ok)
    seen[s] = True
    todo = [s]
    steps = (1, -1, stride, -stride)
    if budget is not None:
        yield
    for n, cur in enumerate(todo, 1):  # grows while iterating: breadth-first
        for d in steps:
            nxt = cur + d
            if ok[nxt] and not seen[nxt]:
                seen[nxt] = True
                todo.append(nxt)
        if budget is not None and n % budget == 0:
            yield
    flat = np.asarray(seen, dtype=bool).reshape(h + 2, w + 2)
    out[:] = flat[1:-1, 1:-1]
    return out


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
