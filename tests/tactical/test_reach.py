"""Reachability: one cached flood per area, kept through learned walls that cut nothing,
so exploration and A* never flood an area on the frame thread to learn a target is cut
off."""

from __future__ import annotations

import numpy as np

from eevee.tactical.astar import reachable
from eevee.tactical.planner import TacticalPlanner, _shrink
from eevee.world.model import CellKind, Transition, WorldModel


def test_flood_is_the_connected_region() -> None:
    passable = np.array([[1, 1, 0, 1], [0, 1, 0, 1], [1, 1, 0, 1]], dtype=bool)
    r = reachable(passable, (0, 0))
    assert r.tolist() == [[True, True, False, False], [False, True, False, False],
                          [True, True, False, False]]
    assert not reachable(passable, (9, 9)).any()


def test_shrink_matches_a_fresh_flood_or_asks_for_one() -> None:
    rng = np.random.default_rng(2)
    kept = 0
    for _ in range(3000):
        h, w = (int(n) for n in rng.integers(2, 10, size=2))
        old = rng.random((h, w)) > rng.random() * 0.5
        start = (int(rng.integers(w)), int(rng.integers(h)))
        old[start[1], start[0]] = True
        region = reachable(old, start)
        new = old.copy()
        for _ in range(int(rng.integers(1, 4))):
            x, y = int(rng.integers(w)), int(rng.integers(h))
            if (x, y) != start:
                new[y, x] = False
        r = _shrink(old, new, region)
        if r is not None:
            kept += 1
            assert (r == reachable(new, start)).all()
    assert kept > 1000  # most learned walls cut nothing: no flood for them


def test_reach_is_cached_until_a_wall_cuts_the_region() -> None:
    w = WorldModel(sizes={0: (5, 3)})
    p = TacticalPlanner(w)
    r = p.reach(0, (0, 1))
    assert r.all() and p.floods == 1
    p.reach(0, (4, 2))  # elsewhere in the same region: no flood
    w.mark(0, 0, (2, 0), CellKind.WALL)  # cuts nothing
    assert not p.reach(0, (0, 1))[0, 2] and p.floods == 1
    w.mark(0, 0, (2, 1), CellKind.WALL)
    w.mark(0, 0, (2, 2), CellKind.WALL)  # the column is closed: the right side is cut off
    r = p.reach(0, (0, 1))
    assert not r[:, 3:].any() and r[:, :2].all()


def test_exploration_gives_up_unreachable_cells_at_once_without_a_star() -> None:
    w = WorldModel(sizes={0: (5, 1)})
    w.observe(0, 0, (0, 0))
    w.mark(0, 0, (2, 0), CellKind.WALL)
    p = TacticalPlanner(w)
    plan = p.explore(1, 0, (0, 0), {})
    assert plan is not None and plan.target == (1, 0)  # next to the player: no search
    w.observe(2, 0, (1, 0))
    assert p.explore(3, 0, (1, 0), {}) is None  # the rest lies beyond the wall
    amap = w.area(0)
    assert amap.given_up is not None and amap.given_up[0, 3:].all()
    assert not p.can_reach(0, (0, 0), (4, 0))


def test_exploration_steps_to_the_neighbour_with_fewest_ways_on() -> None:
    """Of two unvisited neighbours, the one that would otherwise be left behind as a
    lone cell comes first (no trip back for it later); ties go straight ahead."""
    w = WorldModel(sizes={0: (3, 3)})
    amap = w.area(0)
    amap.kinds[:] = CellKind.WALKABLE
    amap.visits[:] = 1
    amap.visits[0, 1] = 0  # above the player: a dead end once stepped on
    amap.visits[1, 2] = amap.visits[2, 2] = 0  # right: leads on to (2, 2)
    p = TacticalPlanner(w)
    plan = p.explore(0, 0, (1, 1), {})
    assert plan is not None and plan.target == (1, 0)
    assert [s.expect_cell for s in plan.steps] == [(1, 0)]


def test_doors_beyond_the_region_are_not_planned_to() -> None:
    w = WorldModel(sizes={0: (5, 1), 1: (3, 3)})
    w.add_hint_transition(Transition(0, (4, 0), 1, (0, 0), learned=False))
    w.area(0).visits[:] = 1
    w.area(0).kinds[:] = CellKind.WALKABLE
    w.area(0).kinds[0, 4] = CellKind.DOOR
    assert TacticalPlanner(w).explore(0, 0, (0, 0), {}) is not None
    w.area(0).kinds[0, 2] = CellKind.WALL
    p = TacticalPlanner(w)
    assert not p.can_reach(0, (0, 0), (4, 0))
    assert p.explore(0, 0, (0, 0), {}) is None


def test_a_long_search_spreads_over_slices_of_the_budget() -> None:
    from eevee.goals.quests import Action, Target
    from eevee.tactical.astar import run

    w = WorldModel(sizes={0: (30, 20)})
    whole = TacticalPlanner(w).plan(0, 0, (0, 0), Action("walk", Target(0, (29, 19))))
    p = TacticalPlanner(w)
    p.budget = 8
    steps = p.plan_steps(0, 0, (0, 0), Action("walk", Target(0, (29, 19))))
    slices = 0
    plan = None
    while True:
        try:
            next(steps)
            slices += 1
        except StopIteration as done:
            plan = done.value
            break
    assert slices > 3  # yielded between slices of at most ``budget`` expansions
    assert plan is not None and whole is not None
    assert [s.expect_cell for s in plan.steps] == [s.expect_cell for s in whole.steps]
    assert run(p.plan_steps(0, 0, (0, 0), Action("walk", Target(0, (1, 0))))) is not None
