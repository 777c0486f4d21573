"""The built-in strategist follows quest-step hints and explores when it has none."""

from __future__ import annotations

from eevee.cartridges import registry
from eevee.goals.quests import GoalBook
from eevee.profiles import load_profile
from eevee.strategists import BuiltinStrategist, StrategyCache, StrategyContext


def ctx(book: GoalBook, **values: int) -> StrategyContext:
    return StrategyContext(frame=0, situation="s", description="", quests=tuple(book.quests),
                           todos=(), values=values)


def quest_profile():  # type: ignore[no-untyped-def]
    cart = {c.name: c for c in registry.list_cartridges()}["quest"]
    return load_profile(cart.profile_path)


def test_quest_hints_become_actions_in_order() -> None:
    profile = quest_profile()
    book = GoalBook.from_milestones(profile.milestones)
    s = BuiltinStrategist(profile.hints)
    first = s.think(ctx(book, quest_flags=0, hp=20, max_hp=20))
    assert first.action.kind == "talk" and first.action.target.area == 1
    book.update({"talked_to_elder": True})
    lever = s.think(ctx(book, quest_flags=1, hp=20, max_hp=20))
    assert lever.action.kind == "use" and lever.action.target.cell == (18, 11)
    flower = s.think(ctx(book, quest_flags=1 | 64, hp=20, max_hp=20))
    assert flower.action.kind == "walk" and flower.action.target.cell == (27, 3)


def test_low_hp_heals_and_a_finished_quest_explores() -> None:
    profile = quest_profile()
    book = GoalBook.from_milestones(profile.milestones)
    s = BuiltinStrategist(profile.hints)
    assert s.think(ctx(book, hp=3, max_hp=20)).objective.name == "heal"
    book.update({m.name: True for m in profile.milestones})
    assert s.think(ctx(book, hp=20, max_hp=20)).action.kind == "explore"
    assert BuiltinStrategist({}).think(ctx(book)).action.kind == "explore"


def test_cache_entries_go_stale() -> None:
    s = BuiltinStrategist({}).think(ctx(GoalBook([])))
    cache = StrategyCache(max_age=10)
    cache.put(s)
    assert cache.get("s", 5) is s
    assert cache.get("s", 11) is None
