"""What was learned in 16-pixel cells, moved into 8-pixel ones when a free mover is found
out: a player who learns the map is finer than they thought does not forget it."""

from __future__ import annotations

from eevee.world import WorldModel
from eevee.world.model import CellKind
from eevee.world.rescale import rescale, to_new


def _world() -> WorldModel:
    w = WorldModel(default_size=(16, 16))
    for x in range(1, 4):
        w.observe(x * 10, 0, (x, 2))  # walked east along row 2
    w.mark(40, 0, (4, 2), CellKind.WALL, "bumped")
    w.learn_transition(50, 0, (2, 3), 1, (5, 6))  # the door south of the walk
    w.curiosity.see_thing(0, (6, 6), frame=60, size=1)
    w.tried_cell(70, 0, (3, 1), answered=True)
    return w


def test_cells_walked_and_walls_bumped_stay_where_they_were() -> None:
    w = _world()
    rescale(w, 16, 8)
    amap = w.area(0)
    # each old cell is two new ones across and down: the walk covers x 1..6 of rows 3..4
    for x in range(1, 7):
        assert amap.visits[3, x] > 0 and amap.visits[4, x] > 0, x
    assert not amap.visits[4, 0] and not amap.visits[4, 7] and not amap.visits[5, 3]
    assert amap.kind((7, 4)) == CellKind.WALL and amap.kind((8, 3)) == CellKind.WALL
    assert amap.kind((9, 4)) == CellKind.UNKNOWN
    assert w.last_cell == to_new((3, 2), 16, 8) == (6, 4)


def test_doors_people_and_tries_move_with_their_cells() -> None:
    w = _world()
    rescale(w, 16, 8)
    door = to_new((2, 3), 16, 8)
    assert list(w.transitions) == [(0, door)]
    t = w.transitions[(0, door)]
    assert (t.to_area, t.to_cell) == (1, (10, 12))
    # one door cell, not four: the rest of the old door cell is ground to walk on
    amap = w.area(0)
    doors = [(x, y) for y in range(16) for x in range(16) if amap.kind((x, y)) == CellKind.DOOR]
    assert doors == [door]
    [thing] = w.curiosity.things_in(0)
    assert (thing.cell, thing.size) == ((12, 12), 2)  # a figure of one old cell: two new
    assert w.curiosity.answered(("cell", (0, (6, 2))))
    assert not w.curiosity.answered(("cell", (0, (3, 1))))


def test_looks_are_taken_again_and_nothing_is_taken_for_redrawn() -> None:
    w = _world()
    amap = w.area(0)
    assert amap.looks is not None
    amap.looks[2, 1] = 99
    rescale(w, 16, 8)
    assert amap.looks is not None and not amap.looks.any() and not amap.changed
    assert not amap.explored and w.redrawn == 0


def test_the_same_size_changes_nothing() -> None:
    w = _world()
    before = w.area(0).visits.copy()
    rescale(w, 16, 16)
    assert (w.area(0).visits == before).all() and w.last_cell == (3, 2)
