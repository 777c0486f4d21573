"""A* finds cheapest routes around walls and hazards; frontiers mark the edge of the known."""

from __future__ import annotations

import numpy as np

from eevee.tactical.astar import (
    HAZARD_COST,
    UNKNOWN_COST,
    WALL,
    CostGrid,
    astar,
    frontier_targets,
    path_to_moves,
)


def grid_from(rows: list[str]) -> CostGrid:
    table = {".": 1.0, "#": WALL, "?": UNKNOWN_COST, "~": HAZARD_COST}
    return CostGrid(np.array([[table[c] for c in row] for row in rows], dtype=np.float32))


def test_routes_around_walls() -> None:
    grid = grid_from(["....", "###.", "....", ".###"])
    path = astar(grid, (0, 0), (0, 3))
    assert path is not None
    assert path[0] == (0, 0) and path[-1] == (0, 3)
    assert all(grid.passable(c) for c in path)
    assert all(abs(dx) + abs(dy) == 1 for dx, dy in path_to_moves(path))
    assert len(path) == 10


def test_prefers_long_safe_route_over_hazard_and_unknown_over_hazard() -> None:
    grid = grid_from([".~.", ".#.", "..."])
    assert astar(grid, (0, 0), (2, 0)) == [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0)]
    grid = grid_from([".?.", "###"])
    assert astar(grid, (0, 0), (2, 0)) == [(0, 0), (1, 0), (2, 0)]


def test_unreachable_and_adjacent_goals() -> None:
    grid = grid_from(["..#..", "..#.."])
    assert astar(grid, (0, 0), (4, 0)) is None
    npc = grid_from(["...", ".#.", "..."])
    path = astar(npc, (0, 0), (1, 1), goal_adjacent=True)
    assert path is not None and path[-1] in {(1, 0), (0, 1)}
    assert len(path) == 2


def test_frontier_is_known_passable_cells_touching_unknown() -> None:
    known = np.array([[1, 1, 0], [1, 1, 0], [1, 1, 1]], dtype=bool)
    passable = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=bool)
    assert sorted(frontier_targets(known, passable)) == [(1, 0), (2, 2)]
