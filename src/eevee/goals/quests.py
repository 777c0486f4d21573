"""Quests, todos and objective scoring (SPEC.md part 5).

Priorities: main story 10, skill 6, side 5, collection 4, exploration 3; todos carry
their own (heal 9, collect 6, talk 5, explore 3, try elsewhere 2). An objective's score
is ``priority * 100 - distance * 0.1``: priority dominates, distance breaks ties.

>>> book = GoalBook([Quest("main", "main", [QuestStep("got_key", 1)])])
>>> [o.name for o in book.objectives(TodoContext(hp=2, max_hp=20))]
['main: got_key', 'heal']
>>> score(Objective("heal", 9, "heal"), distance=30)
897.0
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from eevee.profiles.profile import Milestone

PRIORITY: dict[str, int] = {
    "main": 10,
    "heal": 9,
    "skill": 6,
    "collect": 6,
    "side": 5,
    "talk": 5,
    "collection": 4,
    "exploration": 3,
    "explore": 3,
    "elsewhere": 2,
}

Cell = tuple[int, int]


@dataclass(frozen=True)
class Target:
    """Where an objective is: an area and a cell in it (either may be unknown)."""

    area: Hashable | None = None
    cell: Cell | None = None


@dataclass(frozen=True)
class Objective:
    """Something worth doing now: what, how important, how (action), and where."""

    name: str
    priority: int
    action: str  # goto, talk, use, walk, collect, heal, explore, elsewhere, progress
    target: Target = Target()
    source: str = "quest"
    npc: Hashable | None = None  # the thing (person, item) to talk to or walk onto


@dataclass(frozen=True)
class Action:
    """One strategic action: ``goto`` a target, ``talk``/``use`` something next to it,
    ``walk`` onto a cell, ``enter`` an area, or ``explore``."""

    kind: str
    target: Target = field(default_factory=Target)
    npc: Hashable | None = None  # a thing (person, item) that may move: its key



def score(objective: Objective, distance: float) -> float:
    """``priority * 100 - distance * 0.1`` (distance in cells; unknown = 0)."""
    return objective.priority * 100 - distance * 0.1


@dataclass
class QuestStep:
    """One step: done when the profile milestone of the same name holds."""

    milestone: str
    step: int
    doc: str = ""
    target: Target = Target()
    done: bool = False


@dataclass
class Quest:
    name: str
    kind: str  # main, side, skill, collection, exploration
    steps: list[QuestStep] = field(default_factory=list)

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.kind, 3)

    @property
    def current(self) -> QuestStep | None:
        """The first unfinished step, in step order."""
        for s in sorted(self.steps, key=lambda s: s.step):
            if not s.done:
                return s
        return None

    @property
    def complete(self) -> bool:
        return self.current is None


@dataclass(frozen=True)
class TodoContext:
    """What the agent knows right now that can create todos."""

    hp: int | None = None
    max_hp: int | None = None
    new_npcs: tuple[tuple[int, Cell], ...] = ()  # (area, cell) of NPCs not yet talked to
    items_seen: tuple[tuple[int, Cell], ...] = ()  # (area, cell) of items on the ground
    frontier: tuple[tuple[int, Cell], ...] = ()  # (area, cell) of exploration targets
    stuck: bool = False
    healer: Target | None = None


def generate_todos(ctx: TodoContext) -> list[Objective]:
    """Todos from context: low HP → heal, new NPC → talk, item → collect, frontier → explore."""
    todos: list[Objective] = []
    if ctx.hp is not None and ctx.max_hp and ctx.hp < 0.2 * ctx.max_hp:
        todos.append(Objective("heal", PRIORITY["heal"], "heal", ctx.healer or Target(), "todo"))
    for area, cell in ctx.items_seen:
        todos.append(
            Objective(f"collect item at {cell}", PRIORITY["collect"], "collect",
                      Target(area, cell), "todo")
        )
    for area, cell in ctx.new_npcs:
        todos.append(
            Objective(f"talk to NPC at {cell}", PRIORITY["talk"], "talk", Target(area, cell),
                      "todo")
        )
    for area, cell in ctx.frontier:
        todos.append(
            Objective(f"explore {cell}", PRIORITY["explore"], "explore", Target(area, cell),
                      "todo")
        )
    if ctx.stuck:
        todos.append(Objective("try elsewhere", PRIORITY["elsewhere"], "elsewhere", Target(),
                               "todo"))
    return todos


class GoalBook:
    """Quests (usually from a profile's milestones) plus todos, ranked by score."""

    def __init__(self, quests: Iterable[Quest]) -> None:
        self.quests = list(quests)

    @classmethod
    def from_milestones(cls, milestones: Iterable[Milestone]) -> GoalBook:
        """Group profile milestones (``name``, ``quest``, ``step``, ``doc``) into quests."""
        quests: dict[str, Quest] = {}
        for m in milestones:
            name = m.name
            quest_name = m.quest
            kind = quest_name if quest_name in PRIORITY else "side"
            q = quests.setdefault(quest_name, Quest(quest_name, kind))
            q.steps.append(QuestStep(name, m.step, m.doc))
        return cls(quests.values())

    def update(self, reached: Mapping[str, bool]) -> list[str]:
        """Mark steps whose milestones hold; return the names newly done."""
        newly = []
        for q in self.quests:
            for s in q.steps:
                if not s.done and reached.get(s.milestone):
                    s.done = True
                    newly.append(s.milestone)
        return newly

    def quest_objectives(self) -> list[Objective]:
        out = []
        for q in self.quests:
            step = q.current
            if step is not None:
                out.append(
                    Objective(f"{q.name}: {step.milestone}", q.priority, "progress", step.target)
                )
        return out

    def objectives(
        self,
        ctx: TodoContext | None = None,
        distance: Callable[[Target], float] | None = None,
    ) -> list[Objective]:
        """Every current objective, best first (score, then name for determinism)."""
        objs = self.quest_objectives() + (generate_todos(ctx) if ctx else [])
        dist = distance or (lambda _t: 0.0)
        return sorted(objs, key=lambda o: (-score(o, dist(o.target)), o.name))
