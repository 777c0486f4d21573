"""The reactive controller: overrides, plan steps with outcome checks, stuck detection."""

from __future__ import annotations

from eevee.emulator.buttons import Buttons
from eevee.goals.quests import Action, Target
from eevee.reactive import ReactiveController
from eevee.tactical.planner import TacticalPlanner
from eevee.world import CellKind, WorldModel


def ow(x: int, y: int, **kw: int) -> dict[str, int]:
    return {"game_mode": 1, "area": 0, "player_x": x, "player_y": y, "moving": 0,
            "facing": 0, "hp": 20, "max_hp": 20, **kw}


def test_stuck_detection_marks_the_wall_and_asks_for_a_replan() -> None:
    w = WorldModel(sizes={0: (5, 5)})
    rc = ReactiveController(w)
    rc.set_plan(TacticalPlanner(w).plan(0, 0, (1, 1), Action("walk", Target(0, (3, 1)))))
    assert rc.act(0, ow(1, 1)) == int(Buttons.RIGHT)
    assert rc.act(1, ow(1, 1)) == int(Buttons.RIGHT)  # still there, standing: suspicious
    rc.act(2, ow(1, 1))
    assert w.area(0).kind((2, 1)) == CellKind.WALL
    assert rc.plan is None and rc.need_replan and rc.stats.bumps == 1


def test_plan_steps_advance_when_the_expected_cell_is_reached() -> None:
    w = WorldModel(sizes={0: (5, 5)})
    rc = ReactiveController(w)
    rc.set_plan(TacticalPlanner(w).plan(0, 0, (1, 1), Action("walk", Target(0, (2, 2)))))
    first = rc.act(0, ow(1, 1))
    second = rc.act(1, ow(*((2, 1) if first == int(Buttons.RIGHT) else (1, 2)), moving=7))
    assert {first, second} == {int(Buttons.RIGHT), int(Buttons.DOWN)}
    assert rc.plan is not None and rc.plan.index == 1


def test_dialogue_is_advanced_with_taps_and_titles_with_start() -> None:
    rc = ReactiveController(WorldModel())
    taps = [rc.act(f, {"game_mode": 2, "dialogue_open": 1}) for f in range(4)]
    assert taps == [int(Buttons.A), 0, int(Buttons.A), 0]
    assert rc.act(9, {"game_mode": 0}) == int(Buttons.START)


def test_battle_fights_when_healthy_and_runs_when_low() -> None:
    rc = ReactiveController(WorldModel())
    healthy = {"game_mode": 4, "battle": 3, "hp": 20, "max_hp": 20, "menu_cursor": 0}
    assert rc.act(0, healthy) == int(Buttons.A)
    rc = ReactiveController(WorldModel())
    low = {**healthy, "hp": 3, "potions": 0}
    assert rc.act(0, low) == int(Buttons.DOWN)  # move the cursor towards RUN
    assert rc.act(1, {**low, "menu_cursor": 1}) == 0  # release first: a new edge
    assert rc.act(2, {**low, "menu_cursor": 1}) == int(Buttons.DOWN)
    assert rc.act(3, {**low, "menu_cursor": 2}) == int(Buttons.A)


def test_the_fallback_walk_never_takes_a_door_and_waits_for_a_plan_in_a_new_area() -> None:
    """Arriving through a door with no plan, the seeded fallback walk used to step
    straight back onto the door it came from: two areas traded forever."""
    w = WorldModel(sizes={0: (3, 3), 1: (3, 3)})
    for y in range(3):
        for x in range(3):
            w.area(0).set((x, y), CellKind.WALL)
    w.area(0).set((1, 1), CellKind.WALKABLE)
    w.area(0).set((1, 0), CellKind.DOOR)  # the only way off (1, 1) besides walls
    w.area(0).set((1, 2), CellKind.WALKABLE)
    rc = ReactiveController(w, seed=1)
    rc.set_plan(None)  # the tactical layer had nothing: fallback walking
    assert rc.explore_fallback
    rc.act(0, {**ow(0, 0), "area": 1})  # somewhere else first
    assert rc.act(1, ow(1, 1)) == 0  # new area: wait a frame for the tactical layer
    assert not rc.explore_fallback
    rc.set_plan(None)
    for f in range(2, 60):
        assert rc.act(f, ow(1, 1)) != int(Buttons.UP)  # never onto the door


def test_turning_to_face_waits_for_the_step_under_way_then_presses_a() -> None:
    """A game ignores the d-pad while a step is under way: turning then would be lost,
    and A pressed facing the wrong way."""
    w = WorldModel(sizes={0: (5, 5)})
    w.area(0).set((2, 2), CellKind.WALL)  # a lever, below (2, 1)
    rc = ReactiveController(w)
    planner = TacticalPlanner(w, {"down": 0, "up": 1, "left": 2, "right": 3})
    rc.set_plan(planner.plan(0, 0, (2, 1), Action("use", Target(0, (2, 2)))))
    assert [rc.act(f, ow(2, 1, moving=m, facing=2)) for f, m in enumerate((5, 3, 1))] == [0] * 3
    assert rc.act(3, ow(2, 1, facing=2)) == int(Buttons.DOWN)  # still now: turn
    assert rc.act(4, ow(2, 1, facing=0)) == int(Buttons.A)  # facing the lever: A
    assert rc.presses == 1


def test_a_free_mover_lines_up_on_its_cell_and_stops_on_the_next_ones_corner() -> None:
    """A game that walks pixel by pixel (``free``): the player is first put on its cell's
    line across the way (a doorway as wide as it lets it through only there), then held
    on until it is on the next cell's corner, not merely nearer to it than to this one."""
    w = WorldModel(sizes={0: (8, 8)})
    rc = ReactiveController(w)
    rc.set_plan(TacticalPlanner(w).plan(0, 0, (1, 1), Action("walk", Target(0, (3, 1)))))
    free = {"free": 1, "coast": 0}
    assert rc.act(0, ow(1, 1, off_y=3, **free)) == int(Buttons.UP)  # 3 px below the line
    assert rc.act(1, ow(1, 1, off_y=-2, **free)) == int(Buttons.DOWN)
    assert rc.act(2, ow(1, 1, **free)) == int(Buttons.RIGHT)  # on the line: go
    assert rc.act(3, ow(2, 1, off_x=-3, moving=3, **free)) == int(Buttons.RIGHT)
    assert rc.plan is not None and rc.plan.index == 0  # nearer (2, 1), not on it yet
    assert rc.act(4, ow(2, 1, moving=3, **free)) == int(Buttons.RIGHT)
    assert rc.plan is not None and rc.plan.index == 1  # on its corner: the next step


def test_a_free_mover_within_its_coast_of_the_line_is_tapped_there() -> None:
    """Within the pixels it goes on after the d-pad is let go, one-frame taps, each
    waited out, so that it does not sway across the line for ever."""
    w = WorldModel(sizes={0: (8, 8)})
    rc = ReactiveController(w)
    rc.set_plan(TacticalPlanner(w).plan(0, 0, (1, 1), Action("walk", Target(0, (3, 1)))))
    v = ow(1, 1, off_y=2, free=1, coast=2)
    pressed = [rc.act(f, v) for f in range(8)]
    assert pressed[0] == int(Buttons.UP) and pressed[1:4] == [0, 0, 0]
    assert pressed.count(int(Buttons.UP)) == 2  # a second tap once the first is waited out
    assert int(Buttons.RIGHT) not in pressed


def test_someone_who_talks_when_walked_into_is_gone_round_next_time() -> None:
    """A dialogue that opens as the player walks into the next cell (and does not move)
    marks that cell: without it, the plan walked into the same talker again and again."""
    w = WorldModel(sizes={0: (5, 5)})
    rc = ReactiveController(w)
    rc.set_plan(TacticalPlanner(w).plan(0, 0, (1, 1), Action("walk", Target(0, (3, 1)))))
    assert rc.act(0, ow(1, 1)) == int(Buttons.RIGHT)
    assert rc.act(1, ow(1, 1, game_mode=2)) == int(Buttons.A)
    assert w.area(0).kind((2, 1)) == CellKind.INTERACTIVE
    assert rc.plan is None and rc.need_replan and rc.bumped == (0, (2, 1))


def test_the_walk_with_no_plan_learns_what_it_walked_into() -> None:
    """With no plan, a way held without a move is a wall (the walk used to pick it again
    and again: a person in the way was never learned); boxed in, the walls are doubted."""
    w = WorldModel(sizes={0: (5, 5)})
    rc = ReactiveController(w, seed=3)
    rc.act(0, ow(2, 2))
    rc.set_plan(None)  # (the tactical layer has nothing)
    pressed = {rc.act(f, ow(2, 2)) for f in range(1, 200)} - {0}
    assert len(pressed) == 4  # every way tried in turn, none held for ever
    assert rc.stats.bumps >= 4


def test_a_map_where_every_way_is_blocked_is_prodded_for_a_while_then_walked_again() -> None:
    """Boxed in on all four sides and never moving: not a map now (a text told over the
    map, a cutscene), so every button is tried in turn; after ``DEAF_PROD`` frames the
    map gets another chance (A may have reopened a text at a cupboard again and again)."""
    import numpy as np

    from eevee.reactive.deafness import DEAF_PROD

    w = WorldModel(sizes={0: (5, 5)})
    rc = ReactiveController(w)
    rc.screen = np.zeros((144, 160, 3), np.uint8)
    planner = TacticalPlanner(w)
    frame = 0
    for target in ((3, 2), (1, 2), (2, 3), (2, 1)):
        rc.set_plan(planner.plan(frame, 0, (2, 2), Action("walk", Target(0, target))))
        while rc.plan is not None:
            rc.act(frame, ow(2, 2))
            frame += 1
    assert rc.stats.bumps == 4
    pressed = {rc.act(f, ow(2, 2)) for f in range(frame, frame + 60)}
    assert int(Buttons.A) in pressed
    assert not pressed & {int(b) for b in (Buttons.UP, Buttons.DOWN, Buttons.LEFT,
                                           Buttons.RIGHT)}
    rc.act(frame + DEAF_PROD, ow(2, 2))
    assert rc.need_replan and not rc.deafness.ways
