"""What the agent knows that matters here, in a few short lines for a strategist.

A model strategist reads text, not arrays: :func:`memories` words what the world model
(the in-memory copy of the knowledge store) holds about the area the player is in —
people not yet talked to and those who answered, places that answered A, ways that
stayed closed, healers, doors and where they lead, what was given up — so a model can
plan with what earlier play (this run's, or a session's before a restart) found out.
The lines are built from the world model only, never from a walkthrough.

>>> w = WorldModel(names={0: "Town", 1: "Inn"})
>>> w.learn_transition(5, 0, (3, 4), 1, (1, 1))
>>> t = w.curiosity.see_thing(0, (6, 2), 0)
>>> memories(w, 0)
('people or items seen here, not yet talked to: (6, 2)', 'doors here: (3, 4) to Inn')
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eevee.world.events import Event
from eevee.world.model import WorldModel

MAX_LISTED = 6  # cells listed per line (a model's context is not free)


def memories(world: WorldModel, area: Hashable) -> tuple[str, ...]:
    """Short lines of what the world model knows about ``area`` (see the module doc)."""
    cur = world.curiosity
    fresh, answered, silent = [], [], []
    for t in cur.things_in(area):
        key = ("thing", t.key)
        tried = cur.tries.get(key)
        if tried is None:
            fresh.append(t.cell)
        elif tried.answered:
            answered.append(t.cell)
        else:
            silent.append(t.cell)
    pressed = [c for k, t in cur.tries.items() if t.answered
               and (c := _cell_of(k, area)) is not None]
    ways = [c for k in cur.ways if (c := _cell_of(k, area)) is not None]
    healers = [h for h in cur.healers if _cell_of(h, area) is not None
               or _cell_of(h, area, "thing") is not None]
    out = []
    for text, cells in (("people or items seen here, not yet talked to", fresh),
                        ("people here who answered", answered),
                        ("people or items here that did not answer", silent),
                        ("places here that answered A", pressed),
                        ("ways here that stayed closed (come back after progress)", ways)):
        if cells:
            out.append(f"{text}: {_cells(cells)}")
    if healers:
        out.append(f"a healer is here ({len(healers)})")
    doors = [(t.cell, world.names.get(t.to_area, str(t.to_area)))
             for t in world.doors_of(area)]
    if doors:
        out.append("doors here: " + ", ".join(f"{c} to {name}"
                                              for c, name in sorted(doors)[:MAX_LISTED]))
    amap = world.areas.get(area)
    if amap is not None and amap.given_up is not None and amap.given_up.any():
        out.append(f"cells here given up as out of reach: {int(amap.given_up.sum())}")
    return tuple(out)


def _cell_of(key: Hashable, area: Hashable, kind: str = "cell") -> tuple[int, int] | None:
    """The cell (or the thing's index) of a ``(kind, (area, x))`` target in ``area``."""
    if (isinstance(key, tuple) and len(key) == 2 and key[0] == kind
            and isinstance(key[1], tuple) and len(key[1]) == 2 and key[1][0] == area):
        return key[1][1]
    return None


def _cells(cells: list[tuple[int, int]]) -> str:
    shown = ", ".join(str(tuple(c)) for c in sorted(cells)[:MAX_LISTED])
    return shown + (f" and {len(cells) - MAX_LISTED} more" if len(cells) > MAX_LISTED else "")


# events worth a line in a strategist's context (the rest is bookkeeping)
TOLD = frozenset(("area_entered", "transition_learned", "progress", "milestone", "tried",
                  "healer_learned", "gave_up", "stuck", "bored", "objective",
                  "strategy_stale"))
MAX_RECENT = 8


def recent(events: Sequence[Event], n: int = MAX_RECENT) -> tuple[str, ...]:
    """The last ``n`` telling events, one short line each, oldest first.

    >>> from eevee.world.events import EventLog
    >>> log = EventLog()
    >>> log.add(30, "area_entered", area=1)
    >>> log.add(31, "cell_learned", cell=(1, 2))
    >>> recent(log.events)
    ('frame 30: area_entered area=1',)
    """
    out: list[str] = []
    for e in reversed(events):
        if e.kind in TOLD:
            data = " ".join(f"{k}={_short(v)}" for k, v in e.data if k != "reasoning")
            out.append(f"frame {e.frame}: {e.kind} {data}".strip())
            if len(out) == n:
                break
    return tuple(reversed(out))


def _short(v: Any) -> str:
    text = str(v).replace(" ", "")
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class LongMemory:
    """What happened, summed up every ``every`` telling events by a template (the
    long memory a model strategist keeps in its context); the last ``keep`` sums.

    >>> from eevee.world.events import EventLog
    >>> log, mem = EventLog(), LongMemory(every=2)
    >>> log.add(10, "area_entered", area=1); log.add(20, "progress", epoch=1)
    >>> mem.update(log.events)
    ('frames 10-20: entered 1 area(s), progress 1 time(s)',)
    """

    every: int = 20
    keep: int = 6
    lines: list[str] = field(default_factory=list)
    _upto: int = -1  # the frame of the last event summed up

    def update(self, events: Sequence[Event]) -> tuple[str, ...]:
        # (events are in frame order: skip those summed up already without a scan)
        start = bisect_right(events, self._upto, key=lambda e: e.frame) if events else 0
        new = [e for e in events[start:] if e.kind in TOLD]
        if len(new) >= self.every:
            counts: dict[str, int] = {}
            for e in new:
                counts[e.kind] = counts.get(e.kind, 0) + 1
            parts = [f"{_WORDS[k]} {n} {_UNIT.get(k, 'time(s)')}"
                     for k, n in counts.items() if k in _WORDS]
            self.lines.append(f"frames {new[0].frame}-{new[-1].frame}: " + ", ".join(parts))
            del self.lines[: -self.keep]
            self._upto = new[-1].frame
        return tuple(self.lines)


_WORDS = {"area_entered": "entered", "transition_learned": "found doors", "progress":
          "progress", "milestone": "milestones", "tried": "tried things", "gave_up":
          "gave up", "stuck": "stuck", "healer_learned": "found healers", "objective":
          "new objectives", "bored": "ran out of places"}
_UNIT = {"area_entered": "area(s)", "transition_learned": "", "milestone": "",
         "healer_learned": "", "objective": ""}
