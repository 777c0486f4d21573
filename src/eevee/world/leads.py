"""What led to progress: the agent's own memory of which try moved the game on.

A player who finished a game once remembers, the second time, *what made things happen*:
the old man whose talk started the quest, the lever that raised the bridge, the door to
the shrine. :class:`Leads` is that memory. Whenever progress happens (a flag or an item
changed), the agent notes the try it was making at the time as a :class:`Lead`: a person
talked to, a place pressed with A, a cell stepped onto, or an area entered — by area and
cell, which stay true when the game starts again (the keys of people seen do not).

Leads are learned by playing, never read from a profile: a run that recalls an earlier
run's knowledge gets its leads in the order progress happened, and the todo made from the
first one not yet tried in this run ranks above everything but healing
(:mod:`eevee.goals.todos`). Each lead is tried at most once per run: if it does not move
the game on (the game is not the same, or the order mattered), the next one comes, and
the careful first-time player's todos go on as before.

>>> leads = Leads()
>>> leads.note(Lead("cell", 3, (18, 11)))
>>> leads.note(Lead("thing", 3, (27, 3)))
>>> again = Leads()
>>> again.recall(leads.export())
>>> again.next()
Lead(kind='cell', area=3, cell=(18, 11))
>>> again.tried("cell", 3, (18, 11))
>>> again.next()
Lead(kind='thing', area=3, cell=(27, 3))
>>> again.tried("thing", 3, (26, 3), answered=False)  # (then it is walked onto)
>>> again.next().kind
'thing'
>>> again.tried("walk", 3, (26, 3))   # (a step from where it stood)
>>> again.next() is None
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

Cell = tuple[int, int]
KINDS = ("thing", "cell", "step", "enter")  # talked to or walked onto, pressed A, stood on
NEAR = 3  # cells a person may wander (twice over) from where they moved the game on
MISSES = 4  # others who answered while a person was followed, before it is left behind


@dataclass(frozen=True)
class Lead:
    """A try that moved the game on: ``kind`` (see :data:`KINDS`) at ``cell`` of
    ``area`` (``enter``: the area itself; its cell is where the player arrived)."""

    kind: str
    area: Hashable
    cell: Cell

    def matches(self, kind: str, area: Hashable, cell: Cell | None,
                answered: bool = True) -> bool:
        """Whether a try of ``kind`` at ``cell`` of ``area`` does this lead (people
        wander: one within twice :data:`NEAR` cells is the same — the todo picks the
        nearest one there; a thing that did not answer A is walked onto, as a
        first-time player picks up an item)."""
        if area != self.area:
            return False
        if self.kind == "enter":
            return kind == "enter"
        if cell is None:
            return False
        if self.kind == "thing":  # (as far as the todo looks for the person: 2 × NEAR)
            return (kind == "walk" or (kind == "thing" and answered)) and \
                abs(cell[0] - self.cell[0]) + abs(cell[1] - self.cell[1]) <= 2 * NEAR
        return kind == self.kind and cell == self.cell


@dataclass
class Leads:
    """The leads this run made (:meth:`note`) and those it recalled (:meth:`recall`),
    with which recalled ones were already tried in this run."""

    made: list[Lead] = field(default_factory=list)
    recalled: list[Lead] = field(default_factory=list)
    done: set[int] = field(default_factory=set)  # indices into ``recalled``
    misses: int = 0  # others who answered, near the next lead, since it became next

    def note(self, lead: Lead | None) -> None:
        """Progress happened while trying ``lead`` (None: while trying nothing we can
        name again; the order of the others still holds)."""
        if lead is not None and lead not in self.made:
            self.made.append(lead)

    def recall(self, doc: list[dict[str, Any]], decode: Any = None) -> None:
        """Take an earlier run's leads (as :meth:`export` wrote them; ``decode`` turns a
        stored area key back into one). Malformed entries are skipped."""
        self.recalled.extend(from_json(doc, decode))

    def export(self, encode: Any = None) -> list[dict[str, Any]]:
        """The leads worth keeping: this run's when it got at least as far as the run
        it recalled, else the recalled ones (a short run does not forget a long one)."""
        keep = self.made if len(self.made) >= len(self.recalled) else self.recalled
        return to_json(keep, encode)

    def next(self) -> Lead | None:
        """The first recalled lead not yet tried in this run."""
        for i, lead in enumerate(self.recalled):
            if i not in self.done:
                return lead
        return None

    def tried(self, kind: str, area: Hashable, cell: Cell | None,
              answered: bool = True) -> None:
        """A try (or an entry into ``area``) happened: the next lead, if it is this
        one's, is done."""
        lead = self.next()
        if lead is None:
            return
        if lead.matches(kind, area, cell, answered):
            self.done.add(self.recalled.index(lead))
            self.misses = 0
        elif lead.kind == "thing" and kind == "thing" and answered and area == lead.area:
            # someone there answered who was not it, while it was being followed (the
            # one it was stands elsewhere now): after a few, go on rather than loop
            self.misses += 1
            if self.misses >= MISSES:
                self.skip()

    def skip(self) -> None:
        """The next lead cannot be followed (gone, or out of reach): go on without it."""
        lead = self.next()
        if lead is not None:
            self.done.add(self.recalled.index(lead))
        self.misses = 0


def to_json(leads: list[Lead], encode: Any = None) -> list[dict[str, Any]]:
    """Leads as JSON (``encode``: an area key as JSON)."""
    return [{"kind": lead.kind, "area": encode(lead.area) if encode is not None
             else lead.area, "cell": list(lead.cell)} for lead in leads]


def from_json(doc: list[dict[str, Any]], decode: Any = None) -> list[Lead]:
    """Leads from JSON (``decode``: the inverse of ``to_json``'s ``encode``); entries
    that are not leads are skipped."""
    out = []
    for d in doc:
        try:
            kind = str(d["kind"])
            area = decode(d["area"]) if decode is not None else d["area"]
            cell = (int(d["cell"][0]), int(d["cell"][1]))
        except (KeyError, TypeError, ValueError, IndexError):
            continue
        if kind in KINDS:
            out.append(Lead(kind, area, cell))
    return out
