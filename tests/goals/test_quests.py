"""Objectives are ranked by priority*100 - distance*0.1; todos come from context."""

from __future__ import annotations

from dataclasses import dataclass

from eevee.goals import GoalBook, Objective, TodoContext, generate_todos, score
from eevee.goals.quests import Target


@dataclass
class M:
    name: str
    quest: str
    step: int
    doc: str = ""


MILESTONES = [M("talked_to_elder", "main", 1), M("got_key", "main", 2),
              M("found_cat", "side", 1), M("quest_complete", "main", 3)]


def test_quests_follow_milestones_in_step_order() -> None:
    book = GoalBook.from_milestones(MILESTONES)
    main = next(q for q in book.quests if q.name == "main")
    assert main.current is not None and main.current.milestone == "talked_to_elder"
    assert book.update({"talked_to_elder": True, "got_key": False}) == ["talked_to_elder"]
    assert main.current.milestone == "got_key"
    book.update({"got_key": True, "quest_complete": True})
    assert main.complete


def test_main_beats_side_beats_exploration_and_distance_breaks_ties() -> None:
    book = GoalBook.from_milestones(MILESTONES)
    ctx = TodoContext(frontier=((0, (3, 3)), (0, (9, 9))))
    far = {Target(0, (3, 3)): 5.0, Target(0, (9, 9)): 50.0}
    objs = book.objectives(ctx, distance=lambda t: far.get(t, 0.0))
    assert [o.priority for o in objs] == [10, 5, 3, 3]
    assert objs[2].target == Target(0, (3, 3))  # nearer frontier first
    assert score(objs[2], 5) > score(objs[3], 50)


def test_todos_from_context() -> None:
    ctx = TodoContext(hp=3, max_hp=20, new_npcs=((1, (4, 5)),), items_seen=((1, (2, 2)),),
                      stuck=True)
    todos = generate_todos(ctx)
    by_action = {t.action: t for t in todos}
    assert by_action["heal"].priority == 9
    assert by_action["collect"].priority == 6
    assert by_action["talk"].priority == 5 and by_action["talk"].target == Target(1, (4, 5))
    assert "elsewhere" in by_action
    assert generate_todos(TodoContext(hp=10, max_hp=20)) == []  # 50% HP: no heal todo
    assert score(Objective("x", 10, "goto"), 999) > score(Objective("y", 9, "goto"), 0)
