"""The todos are made a part at a time, so no frame carries a whole question."""

from __future__ import annotations

from eevee.agents.thinking import ASK_BUDGET
from eevee.goals.todos import PART, _view, todo_steps, world_todos
from eevee.world import WorldModel


def _world() -> WorldModel:
    w = WorldModel()  # (64 × 64 cells an area, as a map from pixels is)
    for area in (0, 1, 2):
        for x in range(1, 9):
            w.observe(x, area, (x, 3))
    w.curiosity.see_thing(0, (12, 3), frame=0)
    return w


def test_the_parts_make_the_same_todos_as_the_whole() -> None:
    whole = [(o.name, d) for o, d in world_todos(_world(), 0, (8, 3))]
    steps = todo_steps(_world(), 0, (8, 3))
    costs = []
    while True:
        try:
            costs.append(next(steps))
        except StopIteration as done:
            parts = [(o.name, d) for o, d in done.value]
            break
    assert parts == whole and any(name.startswith("talk to") for name, _ in parts)
    assert len(costs) >= 5 and all(c >= PART for c in costs)


def test_a_large_map_takes_a_few_frames_at_most_two_parts_each() -> None:
    steps = todo_steps(_world(), 0, (8, 3))
    frames, finished = 0, False
    while not finished:  # (what the agent does each frame: parts up to the budget)
        frames += 1
        spent = parts = 0
        try:
            while spent < ASK_BUDGET:
                spent += next(steps)
                parts += 1
        except StopIteration:
            finished = True
        assert parts <= 2
    assert frames >= 3


def test_a_walk_counts_the_same_whatever_the_cell_size() -> None:
    """Distances come in 16-pixel cells: a person 64 pixels off is as far in a game of
    8-pixel cells as in one of 16-pixel cells (each todo's weight against a door, a new
    area, is the same); the view is what a screen shows around the player."""
    walks = []
    for px, cells in ((16, 4), (8, 8)):
        w = WorldModel()
        w.cell_px = px
        for x in range(1, 9):
            w.observe(x, 0, (x, 3))
        w.curiosity.see_thing(0, (8 + cells, 3), frame=0)
        walks.append([d for o, d in world_todos(w, 0, (8, 3)) if o.name.startswith("talk")])
    assert walks[0] == walks[1] == [4]
    gb, gba = WorldModel(cell_px=8, view_px=72), WorldModel(cell_px=16, view_px=80)
    assert (_view(gb), _view(gba)) == (8, 4)


def test_an_area_whose_walks_were_given_up_again_and_again_waits_for_progress() -> None:
    """Bottle Boy: a cutscene learned as an area left about a hundred things in it, and a
    door that led there once. Each was chosen in turn, walked towards, given up: the
    agent spent 8,000 frames on the stairs. After a few walks there given up, nothing
    in that area is worth the walk until progress (or until the player gets there)."""
    from eevee.world.curiosity import CUT_AFTER

    w = _world()
    w.learn_transition(0, 0, (1, 3), 1, (8, 3))
    w.curiosity.see_thing(1, (4, 3), frame=0)

    def elsewhere() -> list[str]:
        return [o.name for o, _ in world_todos(w, 0, (8, 3)) if o.target.area == 1]

    assert elsewhere()  # (the person over there is worth a walk)
    for _ in range(CUT_AFTER - 1):
        w.curiosity.cut(1)
    assert elsewhere()  # (a walk or two given up says little: a person was in the way)
    w.curiosity.cut(1)
    assert elsewhere() == [] and w.curiosity.out_of_reach(1)
    w.curiosity.progress()
    assert elsewhere()
