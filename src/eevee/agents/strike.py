"""A figure on the move right in front of the player: press A at it (strike, or talk).

In an action game the things that wander are the ones that hurt: a slime, a bat, a
soldier on patrol. The planner walks to a cell beside a thing and presses A there; a
thing that keeps moving is never beside the player when the plan gets there, and it
hurts on the way. A player does not wait to arrive: whatever walks into reach in front of
them gets the sword (in an RPG, A at a person who walks by is a talk, just as good).

:class:`Strike` asks :class:`~eevee.agents.figures.Figures` for the sprites that moved
lately. One that stands in the reach box (one cell in front of the player's figure, the
way it last moved, as wide as the figure) is struck: A for one frame, at most once every
:data:`COOLDOWN` frames. The player's own tools are never struck. A strike that a dialogue
answered within :data:`TALKER_AFTER` frames was a talk: that sprite is a person, never
struck again in this area (a villager who keeps walking by is not talked to again and
again).

Per frame: one box test per moving sprite, only when the player's sprite is known, it
has moved, and the cooldown is over.

>>> from eevee.agents.figures import Figures
>>> from eevee.perception.sprites import Sprite
>>> def spr(i, x, y):
...     return Sprite(i, x, y, 16, 16, 0, 0, 0, False, False, False)
>>> f, s = Figures(), Strike()
>>> f.update(0, [spr(0, 100, 80), spr(3, 140, 80)], 0, (0, 0), 16)
>>> s.now(f, (1, 0))
False
>>> f.update(1, [spr(0, 100, 80), spr(3, 124, 80)], 0, (0, 0), 16)  # it came on
>>> s.now(f, (1, 0))
True
>>> f.update(2, [spr(0, 100, 80), spr(3, 123, 80)], 0, (0, 0), 16)
>>> s.now(f, (1, 0))  # (cooling down)
False
>>> f, s = Figures(), Strike()
>>> for n, y in enumerate((80, 82, 80, 82)):  # a key that bobs in front: not struck
...     f.update(n, [spr(0, 100, 80), spr(2, 116, y)], 0, (0, 0), 16)
>>> s.now(f, (1, 0))
False
"""

from __future__ import annotations

from collections.abc import Hashable

from eevee.agents.figures import TOO_BIG, Figures, overlaps

COOLDOWN = 24  # frames between strikes (A released in between: games act on the press)
FELLED_WITHIN = 30  # frames after a strike within which its target gone was felled
TALKER_AFTER = 20  # frames after a strike within which a dialogue makes it a talk


class Strike:
    """Whether to press A at a moving figure in front of the player (module doc)."""

    def __init__(self) -> None:
        self.strikes = 0  # A presses made
        self.talks = 0  # ... that a dialogue answered
        self.kills = 0  # ... whose target was gone soon after (felled)
        self._watch: tuple[Hashable, int] | None = None  # the (area, slot) to see fall
        self.talkers: set[tuple[Hashable, int]] = set()  # (area, slot) that answered
        self._last = -COOLDOWN  # the frame of the last strike
        self._target: tuple[Hashable, int] | None = None  # the (area, slot) last struck

    def now(self, figures: Figures, way: tuple[int, int], area: Hashable = None) -> bool:
        """Whether to strike in this frame (``figures`` updated for it); ``way``: the way
        the player last moved, (dx, dy)."""
        frame = figures.frame
        self._felled(figures, area)
        if way == (0, 0) or frame - self._last < COOLDOWN or self.talks > self.kills:
            return False
        mine = figures.body()
        if mine is None:
            return False
        (x0, y0, x1, y1), own = mine
        c = figures.cell
        dx, dy = way  # the reach: one cell beyond the figure's side, as wide as it
        if dx:
            reach = (x1, y0, x1 + c, y1) if dx > 0 else (x0 - c, y0, x0, y1)
        else:
            reach = (x0, y1, x1, y1 + c) if dy > 0 else (x0, y0 - c, x1, y0)
        for s in figures.sprites:
            if s.index in own or s.index in figures.tools or \
                    (area, s.index) in self.talkers or not figures.moving(s.index):
                continue
            if s.width > TOO_BIG * c or s.height > TOO_BIG * c:
                continue
            if overlaps(reach, (s.x, s.y, s.x + s.width, s.y + s.height)):
                self._last, self._target = frame, (area, s.index)
                self._watch = self._target
                self.strikes += 1
                return True
        return False

    def _felled(self, figures: Figures, area: Hashable) -> None:
        """Whether the figure last struck is gone from the screen within
        :data:`FELLED_WITHIN` frames of the strike: felled."""
        if self._watch is None:
            return
        if figures.frame - self._last > FELLED_WITHIN or self._watch[0] != area:
            self._watch = None
        elif all(s.index != self._watch[1] for s in figures.sprites):
            self.kills += 1
            self._watch = None

    def answered(self, frame: int) -> None:
        """A dialogue is shown at ``frame``: the strike just made, if any, was a talk."""
        if self._target is not None and frame - self._last <= TALKER_AFTER:
            self.talkers.add(self._target)
            self.talks += 1
            self._watch = None
        self._target = None
