"""Goals: quests with priorities, todos from context, objectives scored by priority and distance."""

from __future__ import annotations

from eevee.goals.quests import (
    PRIORITY,
    GoalBook,
    Objective,
    Quest,
    QuestStep,
    TodoContext,
    generate_todos,
    score,
)

__all__ = [
    "PRIORITY",
    "GoalBook",
    "Objective",
    "Quest",
    "QuestStep",
    "TodoContext",
    "generate_todos",
    "score",
]
