"""The world model learns cells, transitions and routes from what the player does."""

from __future__ import annotations

from eevee.tactical.astar import CostGrid
from eevee.world import CellKind, Transition, WorldModel


def test_observe_learns_walkable_cells_visits_and_areas() -> None:
    w = WorldModel(default_size=(6, 4))
    for f, cell in enumerate([(0, 0), (1, 0), (1, 0), (2, 0), (1, 0)]):
        w.observe(f, 0, cell)
    a = w.area(0)
    assert a.kind((2, 0)) == CellKind.WALKABLE
    assert a.kind((3, 3)) == CellKind.UNKNOWN
    assert int(a.visits[0, 1]) == 2  # consecutive frames on the same cell count once
    assert w.tiles_stood_on() == 3
    assert w.events.kinds() == ["area_entered"]


def test_area_change_learns_a_transition_and_routes_across_areas() -> None:
    w = WorldModel(default_size=(8, 8))
    w.observe(0, 0, (3, 3))
    w.observe(5, 0, (3, 4))
    w.observe(20, 1, (1, 1))  # stepping on (3, 4) led to area 1
    w.add_hint_transition(Transition(1, (5, 5), 2, (0, 0), learned=False))
    assert w.area(0).kind((3, 4)) == CellKind.DOOR
    assert w.route(0, 2) == [(0, (3, 4)), (1, (5, 5))]
    assert w.route(2, 0) is None  # nothing known leads back yet
    assert "transition_learned" in w.events.kinds()


def test_walls_are_learned_and_forgotten_when_the_world_changes() -> None:
    w = WorldModel(default_size=(4, 4))
    w.mark(1, 0, (2, 2), CellKind.WALL, "bumped")
    assert not CostGrid(w.area(0).costs()).passable((2, 2))
    w.world_changed(2, 0)  # e.g. a bridge was raised
    assert w.area(0).kind((2, 2)) == CellKind.UNKNOWN
    assert CostGrid(w.area(0).costs()).passable((2, 2))
    assert w.events.kinds() == ["cell_learned", "walls_forgotten"]


def test_a_guessed_way_back_that_does_not_give_way_is_a_wall_a_walked_door_is_not() -> None:
    # the cell behind an arrival is guessed to lead back; walked into, it stood firm
    # (the real way back was a cell beside it): plans must stop going through it
    w = WorldModel(default_size=(8, 8))
    w.add_hint_transition(Transition(0, (3, 4), 1, (0, 0), learned=False))
    w.learn_transition(0, 0, (6, 6), 1, (1, 1))
    w.mark(5, 0, (3, 4), CellKind.WALL, "bumped")
    w.mark(6, 0, (6, 6), CellKind.WALL, "bumped")  # (a door walked through: a way round)
    assert (0, (3, 4)) not in w.transitions
    assert w.area(0).kind((3, 4)) == CellKind.WALL
    assert w.area(0).kind((6, 6)) == CellKind.DOOR
    assert w.route(0, 1) == [(0, (6, 6))]


def test_outside_the_map_counts_as_wall() -> None:
    w = WorldModel(sizes={0: (3, 3)})
    assert w.area(0).kind((5, 0)) == CellKind.WALL
    assert w.area(0).size == (3, 3)


def test_a_transition_next_to_a_known_door_is_that_door() -> None:
    # the maze updates the position at the end of a step: the last cell is before the door
    w = WorldModel(sizes={0: (10, 8), 1: (10, 8)})
    w.add_hint_transition(Transition(0, (5, 7), 1, (5, 1), learned=False))
    w.observe(0, 0, (5, 6))
    w.observe(9, 1, (5, 1))
    assert (0, (5, 6)) not in w.transitions
    assert w.transitions[(0, (5, 7))].learned
    w.forget_transition(0, (5, 7))
    assert w.route(0, 1) is None


def test_a_relocation_is_not_a_door_and_a_late_reported_step_names_the_door() -> None:
    w = WorldModel(default_size=(8, 8))
    w.observe(0, 0, (3, 3))
    w.observe(10, 1, (0, 0), walked=False)  # fainted, sent home: no door walked
    assert w.transitions == {} and "relocated" in w.events.kinds()
    w.observe(20, 1, (2, 2))
    # the game reports a cell when a step ends: the door is the cell walked into
    w.observe(30, 2, (5, 5), door=(2, 3))
    assert (1, (2, 3)) in w.transitions and (1, (2, 2)) not in w.transitions
    assert w.area(1).kind((2, 2)) == CellKind.WALKABLE


def test_progress_marks_what_it_redrew() -> None:
    import numpy as np

    w = WorldModel(default_size=(4, 4))
    looks = np.arange(1, 17, dtype=np.int64).reshape(4, 4)
    w.see(0, looks, (0, 0))
    w.world_changed(5, 0)  # a gate opened
    after = looks.copy()
    after[0, 2] = 99
    w.see(0, after, (0, 0))
    assert w.area(0).changed == {(2, 0)}
    w.see(0, looks, (0, 0))  # only the first look after progress counts
    assert w.area(0).changed == {(2, 0)}


def test_a_whole_view_redrawn_is_no_place_to_step_onto() -> None:
    """Escape from Dreamland: back in a starry area after progress elsewhere, the sky's
    twinkle and a palette fade made nearly every cell in view look "redrawn", and each
    was a step to try (2,500 frames of walking to stars). A view changed nearly all over
    is not a gate that opened, either at the first look after progress or before the
    player's eyes (nor the map redrawn, which counts as progress without a profile)."""
    import numpy as np

    w = WorldModel(default_size=(4, 4))
    looks = np.arange(1, 17, dtype=np.int64).reshape(4, 4)
    w.see(0, looks, (0, 0))
    w.world_changed(5, 0)
    w.see(0, looks + 100, (0, 0))  # (dusk: every look is another)
    assert w.area(0).changed == set()
    w.see(0, looks + 200, (0, 0))  # and again before its eyes
    assert w.area(0).changed == set() and w.redrawn == 0
    gate = looks + 200
    gate[3, 3] = 7
    w.see(0, gate, (0, 0))  # one cell redrawn: that is a place
    assert w.area(0).changed == {(3, 3)} and w.redrawn == 1


def test_a_bump_is_a_push_that_did_not_give_way_until_it_does() -> None:
    w = WorldModel(default_size=(4, 4))
    w.mark(1, 0, (2, 2), CellKind.WALL, "bumped")
    key = ("push", (0, (2, 2)))
    assert not w.curiosity.stale(key)
    w.curiosity.progress()
    assert w.curiosity.stale(key)  # walked into before progress: worth another push
    w.observe(9, 0, (2, 2))  # it gave way
    assert w.curiosity.answered(key) and not w.curiosity.stale(key)


def test_progress_puts_ground_given_up_back_in_reach() -> None:
    w = WorldModel(default_size=(6, 6))
    amap = w.area(0)
    amap.give_up((5, 5))  # across the river, out of reach while the bridge was down
    amap.explored = True
    w.world_changed(3, 0)  # the bridge rose
    assert not amap.given_up.any() and not amap.explored


def test_one_who_says_what_another_said_is_that_one_met_again() -> None:
    w = WorldModel(default_size=(8, 8))
    first = w.curiosity.see_thing(0, (1, 1), frame=0)
    w.tried_thing(5, first.key, "thing", answered=True, signature=77)
    again = w.curiosity.see_thing(0, (6, 6), frame=9)  # lost from sight, found far off
    assert again.key != first.key
    w.tried_thing(20, again.key, "thing", answered=True, signature=77)
    assert [t.key for t in w.curiosity.things_in(0)] == [first.key]


def test_one_who_says_something_new_and_then_leaves_is_a_departure() -> None:
    """A lost cat that, found, says what nobody said before and goes home: the game
    moved on. Someone repeating words heard already, or who never answered, and then
    walks off is not."""
    w = WorldModel(default_size=(40, 32))
    cur = w.curiosity
    first, echo, mute = (cur.see_thing(0, c, frame=0) for c in ((2, 2), (30, 2), (9, 9)))
    w.tried_thing(5, first.key, "thing", answered=True, signature=41)
    w.tried_thing(9, echo.key, "thing", answered=True, signature=41)  # (heard already)
    w.tried_thing(12, mute.key, "thing", answered=False)
    for thing in (echo, mute):
        cur.gone(thing)
    assert cur.departures == 0 and echo.taken and mute.taken
    cat = cur.see_thing(2, (34, 4), frame=20)
    w.tried_thing(30, cat.key, "thing", answered=True, signature=97)  # never heard
    cur.gone(cat)
    assert cur.departures == 1


def test_look_counts_follow_what_is_seen() -> None:
    import numpy as np

    w = WorldModel(default_size=(4, 4))
    looks = np.full((4, 4), 7, dtype=np.int64)
    looks[1, 1] = 9
    w.see(0, looks, (0, 0))
    assert (w.area(0).look_count(9), w.area(0).look_count(7)) == (1, 15)
    looks[2, 2] = 9  # a second cell of that look comes into view
    w.see(0, looks, (0, 0))
    assert w.area(0).look_count(9) == 2


def test_a_floor_judged_a_wall_before_it_was_walked_on_is_floor_once_it_is() -> None:
    """A cave floor bumped (a slime stood in the way) before the player ever walked on
    that look was judged a wall everywhere; walked on since, the cells never walked into
    are floor again at the next look, and the one walked into in vain stays a wall."""
    import numpy as np

    w = WorldModel(default_size=(6, 6))
    looks = np.full((6, 6), 5, dtype=np.int64)
    looks[0, :] = 9  # the first row: the floor's other look, walked on at first
    w.observe(0, 0, (0, 0))
    w.see(0, looks, (0, 0))
    w.mark(1, 0, (0, 1), CellKind.WALL, "bumped")  # look 5, never walked on yet
    w.see(0, looks, (0, 0))
    a = w.area(0)
    assert a.kind((3, 3)) == CellKind.WALL  # judged from its look
    w.observe(2, 0, (1, 0))
    w.observe(3, 0, (1, 1))  # look 5 is walked on at last
    w.see(0, looks, (0, 0))
    assert a.kind((3, 3)) == CellKind.WALKABLE
    assert a.kind((0, 1)) == CellKind.WALL  # (walked into in vain itself)
