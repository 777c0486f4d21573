"""The strategist interface: ``think(context) -> Strategy``.

A strategist sets objectives on demand (SPEC part 4). The built-in planner implements it
from the goals and the world model; vision-language models will implement the same
interface later. ``latency_s`` lets a strategist declare what one call costs so virtual
real-time can charge it deterministically (None: measure it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from eevee.goals.quests import Action, Objective, Quest

Cell = tuple[int, int]
__all__ = ["Action", "Strategist", "Strategy", "StrategyContext", "with_scene"]


@dataclass(frozen=True)
class Strategy:
    """What to do now and how, with a fallback and a confidence in [0, 1]."""

    objective: Objective
    actions: tuple[Action, ...] = ()
    fallback: str = "explore"
    confidence: float = 1.0
    situation: str = ""
    made_at: int = 0  # frame the context was taken at
    reasoning: str = ""  # why, in words (shown beside the frame, kept in the recording)

    @property
    def action(self) -> Action:
        return self.actions[0] if self.actions else Action("explore")


@dataclass(frozen=True)
class StrategyContext:
    """What a strategist gets: the situation as text and data, never the emulator."""

    frame: int
    situation: str
    description: str
    quests: tuple[Quest, ...]
    todos: tuple[Objective, ...]
    values: Mapping[str, int] = field(default_factory=dict)
    area: Any = None
    cell: Cell | None = None
    memories: tuple[str, ...] = ()
    annotated_frame: np.ndarray | None = None
    distances: tuple[float, ...] = ()  # per todo: cells from the player
    current: str | None = None  # the objective being worked on, by name
    map_size: tuple[int, int] | None = None  # (width, height) of the area's map, in cells
    things: Mapping[Cell, Any] = field(default_factory=dict)  # cell -> key of what is there
    areas: Mapping[str, Any] = field(default_factory=dict)  # name -> id, doors here lead to
    recent: tuple[str, ...] = ()  # the last events, in words
    summary: tuple[str, ...] = ()  # long memory: what happened, summed up every N events
    # draws the annotated frame and words the scene (milliseconds: call it off the frame
    # thread, through :func:`with_scene`)
    scene: Callable[[], tuple[np.ndarray, str]] | None = None


def with_scene(context: StrategyContext) -> StrategyContext:
    """``context`` with its scene drawn: the annotated frame set and the spatial
    description added to the description (a strategist that looks calls this first)."""
    if context.scene is None:
        return context
    image, text = context.scene()
    return replace(context, annotated_frame=image, description=f"{context.description} {text}",
                   scene=None)


class Strategist(Protocol):
    name: str
    latency_s: float | None

    def think(self, context: StrategyContext) -> Strategy: ...
