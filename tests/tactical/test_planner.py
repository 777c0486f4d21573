"""The tactical planner: A* steps on the learned grid, across areas, and exploration."""

from __future__ import annotations

from eevee.emulator.buttons import Buttons
from eevee.goals.quests import Action, Target
from eevee.tactical.plan import FACE, MOVE, PRESS
from eevee.tactical.planner import TacticalPlanner
from eevee.world import CellKind, Transition, WorldModel


def test_plans_across_areas_through_known_transitions() -> None:
    w = WorldModel(sizes={0: (6, 6), 1: (6, 6), 2: (6, 6)})
    w.add_hint_transition(Transition(0, (5, 2), 1, (0, 2), learned=False))
    w.add_hint_transition(Transition(1, (3, 0), 2, (3, 5), learned=False))
    planner = TacticalPlanner(w)
    plan = planner.plan(0, 0, (1, 2), Action("talk", Target(2, (3, 1))))
    assert plan is not None and plan.target == (5, 2)  # first: the door out of area 0
    assert [s.kind for s in plan.steps] == [MOVE] * 4
    assert plan.steps[-1].expect_cell == (5, 2)
    # in area 1 the next door; in area 2 walk next to the target, face it and press A
    plan1 = planner.plan(1, 1, (0, 2), Action("talk", Target(2, (3, 1))))
    assert plan1 is not None and plan1.target == (3, 0)
    plan2 = planner.plan(2, 2, (3, 5), Action("talk", Target(2, (3, 1))))
    assert plan2 is not None
    assert [s.kind for s in plan2.steps][-2:] == [FACE, PRESS]
    assert plan2.steps[-2].button == int(Buttons.UP)
    assert plan2.steps[-3].expect_cell == (3, 2)


def test_a_figure_two_cells_across_is_talked_to_from_beside_its_body() -> None:
    """With 8-pixel cells a 16-pixel person spans two cells from its top-left one: the
    player stands two cells off it (one cell off is inside its body), faces it, presses
    A, and walks no cell the body covers."""
    w = WorldModel(sizes={0: (10, 10)})
    person = w.curiosity.see_thing(0, (4, 2), frame=0, size=2)
    plan = TacticalPlanner(w).plan(0, 0, (4, 8), Action("talk", Target(0, (4, 2)),
                                                        npc=person.key),
                                   npcs={person.key: (4, 2)})
    assert plan is not None
    assert [s.kind for s in plan.steps][-2:] == [FACE, PRESS]
    assert plan.steps[-2].button == int(Buttons.UP)
    assert plan.steps[-3].expect_cell == (4, 4)
    body = {(x, y) for x in (3, 4, 5) for y in (1, 2, 3)}
    assert not body & {s.expect_cell for s in plan.steps}


def test_routes_around_learned_walls_and_npcs() -> None:
    w = WorldModel(sizes={0: (5, 3)})
    for y in (0, 1):
        w.mark(0, 0, (2, y), CellKind.WALL)
    plan = TacticalPlanner(w).plan(0, 0, (0, 0), Action("walk", Target(0, (4, 0))),
                                   npcs={0: (3, 1)})
    assert plan is not None
    cells = [s.expect_cell for s in plan.steps]
    assert (2, 2) in cells and (3, 1) not in cells and cells[-1] == (4, 0)


def test_explore_goes_to_the_nearest_unvisited_cell_then_through_doors() -> None:
    w = WorldModel(sizes={0: (3, 1), 1: (3, 3)})
    w.add_hint_transition(Transition(0, (2, 0), 1, (0, 0), learned=False))
    w.observe(0, 0, (0, 0))
    plan = TacticalPlanner(w).explore(0, 0, (0, 0), {})
    assert plan is not None and plan.target == (1, 0)
    w.observe(1, 0, (1, 0))
    plan = TacticalPlanner(w).explore(2, 0, (1, 0), {})
    assert plan is not None and plan.target == (2, 0)  # the door: area 1 is unexplored


def test_exploration_gives_up_on_targets_it_never_reaches() -> None:
    from eevee.tactical.planner import MAX_TRIES

    w = WorldModel(sizes={0: (6, 3)})
    w.observe(0, 0, (0, 1))
    p = TacticalPlanner(w)
    targets = set()
    for f in range(40):
        plan = p.explore(f, 0, (0, 1), {})
        if plan is None:
            break
        targets.add(plan.target)
        # the player never gets there (e.g. a wall the map does not know)
    assert plan is None or len(targets) > 1
    assert all(n <= MAX_TRIES + 1 for n in p.attempts.values())
    assert w.area(0).given_up.any()


def test_exploration_goes_through_doors_to_areas_with_frontier_left() -> None:
    w = WorldModel(sizes={0: (3, 1), 1: (3, 1), 2: (4, 4)})
    w.add_hint_transition(Transition(0, (0, 0), 1, (0, 0), learned=False))
    w.add_hint_transition(Transition(1, (2, 0), 2, (0, 0), learned=False))
    for area in (0, 1):  # both walked end to end
        w.area(area).visits[:] = 1
        w.area(area).kinds[w.area(area).kinds == CellKind.UNKNOWN] = CellKind.WALKABLE
    plan = TacticalPlanner(w).explore(9, 0, (2, 0), {})
    # area 1 has nothing left, area 2 is unknown: the way there starts at area 0's door
    assert plan is not None and plan.target == (0, 0)
    assert [s.expect_cell for s in plan.steps] == [(1, 0), (0, 0)]
