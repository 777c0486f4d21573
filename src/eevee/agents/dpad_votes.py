"""Which sprite is the player: the one that goes where the d-pad says.

A sprite that once moved with a d-pad press (a cursor in the intro, a figure in a
cutscene) is not always the player. While the sprite followed does not go the way the
d-pad is held, every other sprite whose place on the map changed (its move on screen
plus the camera's) the way the d-pad points gets a vote, and the directions it answered
are noted; one that moves while no direction has been held for :data:`COAST` frames loses
a vote (a ship bobbing in a cutscene goes up while UP is held, and up and down whatever
is held; a free mover slows down for a few frames after the d-pad is let go). Once one has
:data:`SWITCH` votes in two directions or more, the estimate follows it instead. The
votes start again whenever the followed sprite answers the d-pad.

Standing still says nothing (the player may be against a wall); a sprite fixed on
screen while the camera follows the player (a health bar) moves on the map as the player
does, so it is never more of an answer than the player is: one that has only ever been
carried by the camera, never seen to go the d-pad's way on screen, takes over only from a
sprite farther from the screen's middle than it is (a camera-following game keeps its
player near the middle; a status icon in a corner got the votes and was followed for
3,000 frames).

>>> from eevee.perception.sprites import Sprite
>>> votes = DpadVotes()
>>> def at(x1, x2, y2): return [Sprite(1, x1, 40, 8, 8, 0, 0, 0, False, False, False),
...                             Sprite(2, x2, y2, 8, 8, 0, 0, 0, False, False, False)]
>>> for t in range(6):  # RIGHT held, then DOWN: slot 2 walks, slot 1 never moves
...     votes.update(at(10, 20 + t, 80), (0, 0), 0x10, 1)
>>> votes.best(1)
1
>>> for t in range(6):
...     votes.update(at(10, 25, 81 + t), (0, 0), 0x80, 1)
>>> votes.best(1)
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eevee.perception.player import LINGER
from eevee.tactical.plan import DIRECTIONS

SWITCH = 8  # votes another sprite needs (in two directions) to become the player
# frames after the d-pad is let go in which a move is no sign of moving alone: those in
# which perception still credits a move to the d-pad (a step, a coast, goes on)
COAST = LINGER
_DPAD = sum(int(b) for b in DIRECTIONS.values())
_STEPS = tuple((int(b), d) for d, b in DIRECTIONS.items())


class DpadVotes:
    """Votes per OAM slot for being the player (module doc)."""

    def __init__(self) -> None:
        self.votes: dict[int, int] = {}
        self.ways: dict[int, int] = {}  # slot -> the d-pad buttons it answered
        self._last: dict[int, tuple[int, int]] = {}
        self._cam: tuple[int, int] | None = None
        self._let_go = COAST  # frames since a direction was last held
        self.walked: set[int] = set()  # slots seen going the d-pad's way on screen
        self._middle = (120, 80)  # the screen's middle (set by update)

    def update(self, sprites: Sequence[Any], cam: tuple[int, int], buttons: int,
               current: int | None, middle: tuple[int, int] | None = None) -> None:
        """This frame's sprites, the camera, the buttons held up to this frame, the slot
        followed now, and the screen's middle pixel."""
        if middle is not None:
            self._middle = middle
        last, now = self._last, {s.index: (s.x, s.y) for s in sprites}
        held = buttons & _DPAD
        self._let_go = 0 if held else self._let_go + 1
        if not held and self._cam is not None and self._let_go > COAST:
            # (what moves by itself is no proof: a ship that bobs)
            cx, cy = cam[0] - self._cam[0], cam[1] - self._cam[1]
            for i, (x, y) in now.items():
                old = last.get(i)
                if old is not None and i in self.votes and (x - old[0] + cx, y - old[1] + cy) \
                        != (0, 0):
                    self.votes[i] -= 1
        elif held and self._cam is not None:
            cx, cy = cam[0] - self._cam[0], cam[1] - self._cam[1]
            along: dict[int, int] = {}
            for i, (x, y) in now.items():
                old = last.get(i)
                if old is None:
                    continue
                way = _way(held, x - old[0] + cx, y - old[1] + cy)
                if way:
                    along[i] = way
                    if _way(held, x - old[0], y - old[1]):
                        self.walked.add(i)  # (on screen too, not only with the camera)
            if current in along:  # (the one followed answers: it is the player)
                self.votes.clear()
                self.ways.clear()
            else:
                for i, way in along.items():
                    self.votes[i] = self.votes.get(i, 0) + 1
                    self.ways[i] = self.ways.get(i, 0) | way
        self._last, self._cam = now, cam

    def best(self, current: int | None) -> int | None:
        """The slot to follow: ``current``, unless another has :data:`SWITCH` votes in
        two directions or more."""
        for i, n in self.votes.items():
            if i != current and n >= SWITCH and bin(self.ways[i]).count("1") >= 2 \
                    and (i in self.walked or self._nearer_middle(i, current)):
                self.votes.clear()
                self.ways.clear()
                return i
        return current

    def _nearer_middle(self, slot: int, than: int | None) -> bool:
        """Whether sprite ``slot`` is nearer the screen's middle than sprite ``than``
        (or ``than`` is not on screen)."""
        at, other = self._last.get(slot), None if than is None else self._last.get(than)
        if at is None or other is None:
            return True
        mx, my = self._middle
        return abs(at[0] - mx) + abs(at[1] - my) < abs(other[0] - mx) + abs(other[1] - my)


def _way(held: int, dx: int, dy: int) -> int:
    """The d-pad button of ``held`` that a move of (dx, dy) pixels goes along, or 0.

    >>> _way(0x10 | 0x40, 3, 0), _way(0x10, -3, 0)
    (16, 0)
    """
    return next((b for b, d in _STEPS if held & b and (d[0] * dx > 0 or d[1] * dy > 0)), 0)
