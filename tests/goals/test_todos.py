"""The todos are made a part at a time, so no frame carries a whole question."""

from __future__ import annotations

from eevee.agents.thinking import ASK_BUDGET
from eevee.goals.todos import PART, todo_steps, world_todos
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
