"""The built-in strategist: quest-step hints from the profile, else exploration.

No model: it picks the best objective (goals: priority, then distance), turns the current
quest step into actions using the profile's ``hints.quest_steps`` (which area, cell or NPC,
and whether to talk, use, walk onto or enter), heals when HP is low and a healer is
known, and explores when it has nothing better (or the quest is done).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eevee.goals.quests import PRIORITY, Objective, Target
from eevee.strategists.base import Action, Strategy, StrategyContext


def _target(spec: Mapping[str, Any]) -> Target:
    cell = spec.get("cell")
    return Target(spec.get("area"), (int(cell[0]), int(cell[1])) if cell else None)


class BuiltinStrategist:
    """Quest hints + goals + exploration. Deterministic and fast (microseconds)."""

    name = "builtin"

    def __init__(
        self,
        hints: Mapping[str, Any] | None = None,
        *,
        latency_s: float | None = None,
        side_quests: bool = False,
    ) -> None:
        hints = hints or {}
        self.steps: Mapping[str, list[Mapping[str, Any]]] = hints.get("quest_steps", {}) or {}
        self.healer: Mapping[str, Any] | None = hints.get("healer_target")
        self.latency_s = latency_s
        self.side_quests = side_quests

    def _actions_for(self, milestone: str, values: Mapping[str, int]) -> tuple[Action, ...]:
        out: list[Action] = []
        flags = values.get("quest_flags", 0)
        inv = values.get("inventory", 0)
        for spec in self.steps.get(milestone, []):
            if "unless_flag" in spec and flags & int(spec["unless_flag"]):
                continue
            if "unless_item" in spec and inv & int(spec["unless_item"]):
                continue
            npc = spec.get("npc")
            out.append(Action(str(spec.get("action", "goto")), _target(spec),
                              None if npc is None else int(npc)))
        return tuple(out)

    def think(self, context: StrategyContext) -> Strategy:
        values = context.values
        hp, max_hp = values.get("hp"), values.get("max_hp")
        if (self.healer is not None and hp is not None and max_hp
                and hp < 0.3 * max_hp):
            obj = Objective("heal", PRIORITY["heal"], "heal", _target(self.healer), "todo")
            return Strategy(obj, (Action("talk", obj.target),), "explore", 0.9,
                            context.situation, context.frame)
        for quest in sorted(context.quests, key=lambda q: -q.priority):
            if quest.kind != "main" and not self.side_quests:
                continue
            step = quest.current
            if step is None:
                continue
            actions = self._actions_for(step.milestone, values)
            if actions:
                obj = Objective(f"{quest.name}: {step.milestone}", quest.priority, "progress",
                                actions[0].target)
                return Strategy(obj, actions, "explore", 0.8, context.situation, context.frame)
        obj = Objective("explore", PRIORITY["explore"], "explore", Target(), "todo")
        return Strategy(obj, (Action("explore"),), "explore", 0.5, context.situation,
                        context.frame)
