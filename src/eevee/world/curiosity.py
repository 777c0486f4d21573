"""What the agent has tried, and what answered: things seen, A presses, progress epochs.

A careful first-time player talks to everyone, presses A at anything that looks unusual,
and, when something changes (a new item, a gate opens, someone says something new), goes
back to whoever and whatever is not resolved. This module is that memory:

- :class:`Thing`: a sprite in an area that is not the player (a person, an item), kept by
  where it was first seen and followed as it wanders (nearest known thing within
  ``TRACK`` cells);
- :class:`Tried`: a target (a thing, or a cell pressed with A) with the progress epoch it
  was last tried in, whether it answered (a dialogue opened), the dialogue's signature,
  and whether it is *settled* (answered the same after progress: no need to come back);
- :class:`Curiosity`: both, plus the epoch — a counter that goes up whenever progress
  happens, making every unsettled target worth another visit.

>>> c = Curiosity()
>>> t = c.see_thing(0, (5, 5), frame=1)
>>> c.see_thing(0, (6, 5), frame=2) is t, t.cell
(True, (6, 5))
>>> c.worth_trying(("thing", t.key))
True
>>> c.tried(("thing", t.key), answered=True, signature=7)
>>> c.worth_trying(("thing", t.key)), c.progress(), c.worth_trying(("thing", t.key))
(False, 1, True)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

Cell = tuple[int, int]
TRACK = 3  # cells a thing may have wandered from where it was last seen
CUT_AFTER = 3  # walks to an area given up on, in an epoch, that put the rest of it off
Target = tuple[str, Hashable]  # ("thing", (area, n)) or ("cell", (area, cell))


@dataclass
class Thing:
    """A sprite that is not the player, in ``area``."""

    key: tuple[Hashable, int]
    area: Hashable
    home: Cell
    cell: Cell
    seen_at: int
    taken: bool = False  # walked onto and gone (an item picked up)
    size: int = 1  # cells its figure spans: ``cell`` is the figure's top-left one


@dataclass
class Tried:
    epoch: int
    answered: bool = False
    signature: int = 0
    settled: bool = False
    tries: int = 1

    def reopen(self) -> None:
        """Worth trying again, as after progress (a key found for a locked door)."""
        self.epoch, self.settled = -1, False


class Curiosity:
    """Things seen and targets tried, by progress epoch (see the module doc)."""

    def __init__(self) -> None:
        self.epoch = 0
        self.things: dict[Hashable, list[Thing]] = {}
        self.tries: dict[Target, Tried] = {}
        self.healers: set[Target] = set()
        self.ways: set[Target] = set()  # places that answered A and close a way (a gate)
        self.unreached: set[Target] = set()  # given up: no way there was found
        self.heard: set[int] = set()  # signatures of every answer heard (words, a box)
        self.news: set[Hashable] = set()  # things whose answer was words not heard before
        self.departures = 0  # things gone from where they stood after saying something new
        # areas walks to were given up on: (epoch, how often in it)
        self.cut_off: dict[Hashable, tuple[int, int]] = {}

    # ------------------------------------------------------------------ things
    def see_thing(self, area: Hashable, cell: Cell, frame: int, size: int = 1) -> Thing:
        """The thing at ``cell`` of ``area``: a known one nearby, else a new one.
        ``size``: the cells its figure spans (``cell`` is its top-left one)."""
        known = self.things.setdefault(area, [])
        best: Thing | None = None
        bd = TRACK + 1
        for t in known:
            d = abs(t.cell[0] - cell[0]) + abs(t.cell[1] - cell[1])
            if d < bd and t.seen_at != frame:
                best, bd = t, d
        if best is None:
            best = Thing((area, len(known)), area, cell, cell, frame)
            known.append(best)
        best.cell, best.seen_at, best.size = cell, frame, size
        best.taken = False
        return best

    def thing(self, key: Hashable) -> Thing | None:
        """Thing ``key`` (an ``(area, n)`` pair), taken or not; None when unknown."""
        area = key[0] if isinstance(key, tuple) else None
        return next((t for t in self.things.get(area, []) if t.key == key), None)

    def size_of(self, key: Hashable) -> int:
        """The cells thing ``key``'s figure spans (1 when unknown)."""
        t = self.thing(key)
        return 1 if t is None else t.size

    def gone(self, thing: Thing) -> None:
        """``thing`` is no longer where it stood. One that said something never heard
        before and then left (a lost cat found, sent home; a guard who let the player by)
        is a departure: the game moved on."""
        thing.taken = True
        if thing.key in self.news:
            self.news.discard(thing.key)
            self.departures += 1

    def things_in(self, area: Hashable) -> list[Thing]:
        return [t for t in self.things.get(area, []) if not t.taken]

    # ------------------------------------------------------------------ tries
    def worth_trying(self, target: Target, retries: int = 0) -> bool:
        """Never tried; or answered before the last progress and not settled; or never
        answered but tried at most ``retries`` times (a person may have walked off), or
        given up as out of reach before the last progress (a way may be open now)."""
        t = self.tries.get(target)
        if t is None:
            return True
        if not t.answered:  # (given up as out of reach before the last progress: in reach?)
            return t.tries <= retries or (target in self.unreached
                                          and t.epoch != self.epoch)
        return (not t.settled or target in self.ways) and t.epoch != self.epoch

    def picked_up(self, door: Callable[[Hashable], bool]) -> int:
        """Something was picked up: what said something when walked into and is a
        ``door`` (a place whose look is rare, not a person on the floor) is worth walking
        into again, as after progress. How many such."""
        n = 0
        for (kind, key), t in self.tries.items():
            if kind == "push" and t.answered and door(key):
                t.reopen()
                n += 1
        return n

    def stale(self, target: Target) -> bool:
        """Tried, never answered, and last tried before the latest progress: a locked
        door may open now."""
        t = self.tries.get(target)
        return t is not None and not t.answered and t.epoch != self.epoch

    def tried(self, target: Target, *, answered: bool, signature: int = 0) -> None:
        """Record one try; a target that answers the same as before progress happened
        is settled (it has nothing new to say)."""
        if answered:
            self.unreached.discard(target)
            if signature and signature not in self.heard:
                self.heard.add(signature)
                if target[0] == "thing":
                    self.news.add(target[1])
        old = self.tries.get(target)
        if old is None:
            self.tries[target] = Tried(self.epoch, answered, signature)
            return
        same = answered and old.answered and signature == old.signature
        old.settled = old.settled or (same and old.epoch != self.epoch)
        old.epoch, old.answered = self.epoch, answered or old.answered
        old.signature = signature or old.signature
        old.tries += 1

    def bored(self) -> int:
        """Nothing left to explore or try: every settled target is worth one more try
        (a locked gate says the same until the key is in the bag). Returns how many."""
        n = 0
        for t in self.tries.values():
            if t.settled:
                t.settled, t.epoch = False, -1
                n += 1
        return n

    def same_as_another(self, key: Hashable, signature: int) -> bool:
        """Whether thing ``key`` answered as another thing of its area did (then it is
        that one, seen again: ``key`` is dropped, the other kept)."""
        area = key[0] if isinstance(key, tuple) else None
        for (kind, other), t in self.tries.items():
            if (kind == "thing" and other != key and t.answered and t.signature == signature
                    and isinstance(other, tuple) and other[0] == area):
                for thing in self.things.get(area, []):
                    if thing.key == key:
                        thing.taken = True
                return True
        return False

    def cut(self, area: Hashable) -> None:
        """A walk to ``area`` was given up on (the way there known did not work): after
        :data:`CUT_AFTER` such since the last progress, nothing in it is worth the walk
        until progress, or until the player gets there.

        >>> c = Curiosity()
        >>> for _ in range(CUT_AFTER): c.cut(3)
        >>> c.out_of_reach(3), c.out_of_reach(4)
        (True, False)
        >>> _ = c.progress(); c.out_of_reach(3)
        False
        """
        epoch, n = self.cut_off.get(area, (self.epoch, 0))
        self.cut_off[area] = (self.epoch, n + 1 if epoch == self.epoch else 1)

    def reached(self, area: Hashable) -> None:
        """The player got to ``area``: it was in reach after all."""
        self.cut_off.pop(area, None)

    def out_of_reach(self, area: Hashable) -> bool:
        """Whether walks to ``area`` were given up on often since the last progress."""
        epoch, n = self.cut_off.get(area, (-1, 0))
        return epoch == self.epoch and n >= CUT_AFTER

    def progress(self) -> int:
        """Something changed in the game: unsettled targets are worth another try."""
        self.epoch += 1
        return self.epoch

    def answered(self, target: Target) -> bool:
        t = self.tries.get(target)
        return t is not None and t.answered
