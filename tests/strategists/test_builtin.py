"""The built-in strategist ranks the world model's todos; it follows no walkthrough."""

from __future__ import annotations

from eevee.goals.quests import PRIORITY, Objective, Target
from eevee.goals.todos import world_todos
from eevee.strategists import BuiltinStrategist, StrategyCache, StrategyContext
from eevee.world import CellKind, WorldModel


def ctx(*todos: tuple[Objective, float]) -> StrategyContext:
    return StrategyContext(frame=0, situation="s", description="", quests=(),
                           todos=tuple(o for o, _ in todos),
                           distances=tuple(d for _, d in todos))


def test_priority_first_then_distance_then_explore() -> None:
    s = BuiltinStrategist()
    near = Objective("talk to a", PRIORITY["talk"], "talk", Target(0, (1, 1)), "todo", (0, 0))
    far = Objective("talk to b", PRIORITY["talk"], "talk", Target(0, (9, 9)), "todo", (0, 1))
    heal = Objective("heal", PRIORITY["heal"], "talk", Target(2, (5, 2)), "todo", (2, 0))
    assert s.think(ctx((far, 30.0), (near, 2.0))).objective.name == "talk to a"
    pick = s.think(ctx((far, 30.0), (near, 2.0), (heal, 80.0)))
    assert pick.objective.name == "heal" and pick.action.npc == (2, 0)
    assert s.think(ctx()).action.kind == "explore"


def test_todos_come_from_what_was_seen_and_tried() -> None:
    w = WorldModel(default_size=(8, 8))
    for x in range(1, 5):
        w.observe(x, 0, (x, 1))
    cur = w.curiosity
    person = cur.see_thing(0, (5, 3), frame=0)
    names = [o.name for o, _ in world_todos(w, 0, (4, 1))]
    assert names == [f"talk to {person.key}"]
    for _ in range(3):  # never answered, three times: maybe an item, walk onto it
        w.tried_thing(10, person.key, "thing", answered=False)
    assert [o.action for o, _ in world_todos(w, 0, (4, 1))] == ["walk"]
    # a sign answered A; after progress it is worth reading again, then it is settled
    w.area(0).set((2, 0), CellKind.WALL)
    w.tried_cell(20, 0, (2, 0), answered=True, signature=5)
    assert not any(o.action == "use" for o, _ in world_todos(w, 0, (4, 1)))
    cur.progress()
    assert any(o.target.cell == (2, 0) for o, _ in world_todos(w, 0, (4, 1)))
    w.tried_cell(30, 0, (2, 0), answered=True, signature=5)
    cur.progress()
    assert not any(o.target.cell == (2, 0) for o, _ in world_todos(w, 0, (4, 1)))
    # HP restored after talking to someone: a healer, visited when HP is low
    cur.healers.add(("thing", person.key))
    low = world_todos(w, 0, (4, 1), hp=2, max_hp=20)
    assert low[0][0].name == "heal"


def test_cache_entries_go_stale() -> None:
    s = BuiltinStrategist({}).think(ctx())
    cache = StrategyCache(max_age=10)
    cache.put(s)
    assert cache.get("s", 5) is s
    assert cache.get("s", 11) is None
