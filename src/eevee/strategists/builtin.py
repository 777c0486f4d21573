"""The built-in strategist: a careful first-time player, with no model and no walkthrough.

It never reads how to win. From the context it gets the todos the world model suggests
(:mod:`eevee.goals.todos`: heal where HP was restored before, talk to everyone seen, walk
onto what does not talk, press A at whatever looks new, go back after progress) with
their distances, ranks them by ``priority * 100 - distance * 0.1`` (SPEC part 5), keeps
the objective under way unless another scores :data:`HOLD` more, and explores (the
tactical layer's frontier) when nothing is left to try. Deterministic and fast:
microseconds.

>>> from eevee.goals.quests import Objective, Target
>>> talk = Objective("talk to x", 5, "talk", Target(0, (3, 3)), "todo", (0, 0))
>>> ctx = StrategyContext(0, "s", "", (), todos=(talk,), distances=(4.0,))
>>> s = BuiltinStrategist().think(ctx)
>>> s.objective.name, s.action.kind, s.action.npc
('talk to x', 'talk', (0, 0))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eevee.goals.quests import PRIORITY, Action, Objective, Target, score
from eevee.strategists.base import Strategy, StrategyContext

HOLD = 3.0  # score the objective under way keeps over a better one (30 cells nearer)
EXPLORE = Objective("explore", PRIORITY["explore"], "explore", Target(), "todo")


class BuiltinStrategist:
    """Todos ranked by score, else exploration (see the module doc)."""

    name = "builtin"

    def __init__(self, hints: Mapping[str, Any] | None = None, *,
                 latency_s: float | None = None) -> None:
        # hints: what the profile's manual says (unused for now: everything the
        # builtin strategist does, it learned by playing)
        self.hints = dict(hints or {})
        self.latency_s = latency_s

    def think(self, context: StrategyContext) -> Strategy:
        best: tuple[float, str, Objective, float] | None = None
        held: tuple[float, str, Objective, float] | None = None
        dists = context.distances or (0.0,) * len(context.todos)
        for obj, d in zip(context.todos, dists):
            key = (-score(obj, d), obj.name, obj, d)
            if best is None or key[:2] < best[:2]:
                best = key
            if obj.name == context.current:
                held = key
        if held is not None and best is not None and held[0] - best[0] <= HOLD:
            best = held  # (no flip-flopping between two people who wander)
        if best is None:
            return Strategy(EXPLORE, (Action("explore"),), "explore", 0.5, context.situation,
                            context.frame, "nothing to do here that I know of: explore")
        obj, d = best[2], best[3]
        why = (f"{obj.name}: priority {obj.priority}, {d:.0f} cells away, best of "
               f"{len(context.todos)} todos" + (" (kept: under way)" if best is held else ""))
        return Strategy(obj, (Action(obj.action, obj.target, obj.npc),), "explore", 0.8,
                        context.situation, context.frame, why)
