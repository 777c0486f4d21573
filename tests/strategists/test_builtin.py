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
    assert names == ["explore here", f"talk to {person.key}"]  # (a new area)
    for x in range(1, 6):
        for y in range(2, 8):
            w.observe(100, 0, (x, y))
    # new ground next to where the player walked: exploring is a todo like the others
    assert [o.name for o, _ in world_todos(w, 0, (4, 1))] == ["explore",
                                                             f"talk to {person.key}"]
    w.area(0).explored = True  # (exploring found nothing to walk to)
    assert [o.name for o, _ in world_todos(w, 0, (4, 1))] == [f"talk to {person.key}"]
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


def test_after_progress_first_what_changed_then_rare_walls_pushed_again() -> None:
    import numpy as np

    w = WorldModel(default_size=(8, 8))
    for x in range(8):
        for y in range(4, 8):
            w.observe(x * 8 + y, 0, (x, y))  # (no longer a new area)
    looks = np.full((8, 8), 7, dtype=np.int64)
    looks[3, 5] = 42  # one odd-looking wall: a locked door
    w.see(0, looks, (0, 0))
    w.mark(100, 0, (5, 3), CellKind.WALL, "bumped")
    w.mark(101, 0, (2, 3), CellKind.WALL, "bumped")  # an ordinary wall
    names = [o.name for o, _ in world_todos(w, 0, (5, 4))]
    assert not any(n.startswith("push") for n in names)  # no progress since the bump
    w.curiosity.progress()
    w.world_changed(110, 0)
    opened = looks.copy()
    opened[3, 1] = 43  # progress redrew a cell
    w.see(0, opened, (0, 0))
    todos = world_todos(w, 0, (5, 4))
    best = BuiltinStrategist().think(StrategyContext(
        0, "s", "", (), todos=tuple(o for o, _ in todos),
        distances=tuple(float(d) for _, d in todos)))
    assert best.objective.name == "step onto (1, 3)"
    names = [o.name for o, _ in todos]
    assert "push into (5, 3)" in names and "push into (2, 3)" not in names


def test_the_objective_under_way_is_kept_against_a_slightly_nearer_one() -> None:
    s = BuiltinStrategist()
    a = Objective("talk to a", PRIORITY["talk"], "talk", Target(0, (1, 1)), "todo", (0, 0))
    b = Objective("talk to b", PRIORITY["talk"], "talk", Target(0, (9, 9)), "todo", (0, 1))
    held = StrategyContext(0, "s", "", (), todos=(a, b), distances=(12.0, 10.0),
                           current="talk to a")
    assert s.think(held).objective.name == "talk to a"
    far = StrategyContext(0, "s", "", (), todos=(a, b), distances=(60.0, 10.0),
                          current="talk to a")
    assert s.think(far).objective.name == "talk to b"


def test_a_gate_that_closes_a_way_never_settles() -> None:
    """A sign says the same after progress: settled. A locked gate says the same until
    the key is in the bag: it closes a way, so it is worth a press after every progress."""
    w = WorldModel(default_size=(8, 8))
    for x in range(8):
        for y in range(4, 8):
            w.observe(x * 8 + y, 0, (x, y))
    gate, sign = ("cell", (0, (3, 3))), ("cell", (0, (6, 3)))
    w.curiosity.ways.add(gate)
    for _ in range(2):
        w.tried_cell(10, 0, (3, 3), answered=True, signature=4)
        w.tried_cell(10, 0, (6, 3), answered=True, signature=5)
        w.curiosity.progress()
    names = [o.name for o, _ in world_todos(w, 0, (4, 4))]
    assert "press A at (3, 3)" in names and "press A at (6, 3)" not in names
    assert w.curiosity.tries[sign].settled


def test_after_progress_a_door_that_spoke_when_walked_into_is_walked_into_again() -> None:
    """A locked door that says so when walked into, or a wall A did not open, is worth a
    push once progress is made (a key picked up), not before; one the player has since
    walked on gave way."""
    import numpy as np

    w = WorldModel(default_size=(8, 8))
    for x in range(8):
        w.observe(x, 0, (x, 5))
    looks = np.full((8, 8), 7, dtype=np.int64)
    looks[4, 4] = 42  # the door looks like nothing else (a person stands on the floor)
    w.see(0, looks, (0, 0))
    w.mark(20, 0, (4, 4), CellKind.INTERACTIVE, "talked when walked into")
    w.mark(21, 0, (2, 4), CellKind.INTERACTIVE, "talked when walked into")
    w.tried_cell(21, 0, (6, 4), answered=False)  # pressed with A, never walked into
    names = [o.name for o, _ in world_todos(w, 0, (4, 5))]
    assert not any(n.startswith("push") for n in names)
    w.curiosity.progress()
    names = [o.name for o, _ in world_todos(w, 0, (4, 5))]
    assert "push into (4, 4)" in names and "push into (2, 4)" not in names
    w.observe(40, 0, (4, 4))  # it opened: walked through
    names = [o.name for o, _ in world_todos(w, 0, (4, 5))]
    assert "push into (4, 4)" not in names


def test_a_wall_pressed_off_the_maps_grid_is_no_push() -> None:
    """(a cell tried at the grid's edge, outside it, makes no todo and no error)"""
    w = WorldModel(default_size=(8, 8))
    w.observe(0, 0, (7, 5))
    w.tried_cell(1, 0, (8, 5), answered=False)
    w.curiosity.progress()
    assert not any(o.name.startswith("push") for o, _ in world_todos(w, 0, (7, 5)))
