"""With nothing left to explore, the agent walks to the ground it stood on least, the
farthest of it: across the map, not round the few cells where exploring ended."""

from __future__ import annotations

import numpy as np

from eevee.tactical.astar import run
from eevee.tactical.patrol import patrol_steps, patrol_target
from eevee.tactical.plan import MOVE
from eevee.tactical.planner import TacticalPlanner
from eevee.world import CellKind, WorldModel

Cell = tuple[int, int]


def _walked_room() -> WorldModel:
    """A 7 × 5 room walked all over, walls round it and a wall in its middle."""
    w = WorldModel(sizes={0: (7, 5)})
    for y in range(5):
        for x in range(7):
            edge = x in (0, 6) or y in (0, 4)
            w.mark(0, 0, (x, y), CellKind.WALL if edge or (x, y) == (3, 2) else
                   CellKind.WALKABLE, "test")
            if not edge and (x, y) != (3, 2):
                w.observe(0, 0, (x, y))
    return w


def test_the_least_stood_on_ground_in_reach_is_walked_to_the_farthest_first() -> None:
    w = _walked_room()
    amap = w.area(0)
    amap.visits[1:4, 1:6] += 5  # walked round here a lot ...
    amap.visits[3, 5] = amap.visits[1, 1] = 1  # ... two corners hardly
    reach = np.ones_like(amap.visits, dtype=bool)
    assert patrol_target(amap, reach, (1, 2)) == (5, 3)
    assert patrol_target(amap, reach, (5, 2)) == (1, 1)
    reach[3, 5] = False  # (out of reach: a way there is not known)
    assert patrol_target(amap, reach, (1, 2)) == (1, 1)


def test_no_other_ground_is_no_patrol() -> None:
    w = WorldModel(sizes={0: (3, 3)})
    w.observe(0, 0, (1, 1))
    amap = w.area(0)
    assert patrol_target(amap, np.ones((3, 3), bool), (1, 1)) is None  # only where it stands
    assert patrol_target(amap, np.zeros((3, 3), bool), (0, 0)) is None


def test_the_patrol_is_a_walk_round_the_walls_to_the_target() -> None:
    w = _walked_room()
    amap = w.area(0)
    amap.visits[:, :] = np.where(amap.visits > 0, 9, 0)
    amap.visits[2, 5] = 1
    planner = TacticalPlanner(w)
    plan = run(patrol_steps(planner, 0, 0, (1, 2), {}))
    assert plan is not None and plan.target == (5, 2)
    assert all(s.kind == MOVE for s in plan.steps)
    cells = [s.expect_cell for s in plan.steps]
    assert (3, 2) not in cells and cells[-1] == (5, 2)  # round the wall in the middle


def test_an_agent_whose_walk_finds_no_new_ground_for_long_goes_on_patrol() -> None:
    from eevee.agents.restless import PATROL_EVERY
    from eevee.agents.three_layer import Agent, AgentConfig
    from eevee.runtime.clock import TimeMode
    from eevee.strategists import make_strategist

    agent = Agent(None, make_strategist("builtin", {}),
                  AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0), platform="gb")
    try:
        agent.world = w = _walked_room()
        agent.planner.world = w
        amap = w.area(0)
        amap.visits[:, :] = np.where(amap.visits > 0, 9, 0)
        amap.visits[3, 5] = 1  # the corner stood on least

        def nothing_left(frame: int) -> Cell | None:
            agent.reactive.set_plan(None)
            run(agent._nothing_left(frame, 0, (1, 2), {}))
            return None if agent.reactive.plan is None else agent.reactive.plan.target

        assert nothing_left(10) is None  # (the walk with no plan: watched from now)
        assert nothing_left(PATROL_EVERY) is None  # it stood on new ground meanwhile
        w.observe(PATROL_EVERY + 5, 0, (4, 2))  # (not new: stood on before)
        assert nothing_left(2 * PATROL_EVERY - 1) is None  # (not yet over)
        assert nothing_left(2 * PATROL_EVERY) == (5, 3)  # no new ground in a whole watch
        assert amap.explored
        assert [dict(e.data)["cell"] for e in w.events.events if e.kind == "patrol"] == [[5, 3]]
    finally:
        agent.close()
