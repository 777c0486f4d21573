"""The sprites on the map, frame to frame: which move, which the player's A shows, which it took.

Without a profile the agent knows the figures on the map only as OAM sprites. Three
things a player sees at a glance need them followed from frame to frame, in the area's
pixels (the camera's scroll taken out, so a scrolling map does not set everything moving):

- **moving**: a sprite whose place in the area changed within the last frames, and that
  has gone a cell or more (a slime on patrol, a villager walking by; a person standing
  still, an item that bobs where it lies, do not);
- **tools**: a sprite that comes on screen beside the player just after A is pressed (a
  sword, a net), :data:`TOOL_VOTES` times and never without a press, is the player's own:
  not a thing to talk to, nor one to strike;
- **pickups**: a sprite that vanished where it touched the player's figure and stayed gone
  for :data:`GONE_FOR` frames was taken (a key, a coin walked over). Picking something
  up is progress in nearly every game: the locked door may open now. One that shows
  again where it was taken from was never taken (a star that twinkles slowly, a lamp
  that blinks): its slot in that area is not counted again.

Per frame: a dict update per sprite on screen (a few dozen at most); the player's figure
is measured only when something came, vanished, or is asked for.

>>> from eevee.perception.sprites import Sprite
>>> def spr(i, x, y):
...     return Sprite(i, x, y, 16, 16, 0, 0, 0, False, False, False)
>>> f = Figures()
>>> f.update(0, [spr(0, 100, 80), spr(2, 110, 80)], 0, (0, 0), 16)
>>> f.update(1, [spr(0, 100, 80)], 0, (0, 0), 16)  # the key under the player is gone
>>> for n in range(2, 2 + GONE_FOR):
...     f.update(n, [spr(0, 100, 80)], 0, (0, 0), 16)
>>> f.pickups
1
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from eevee.agents.senses import figure_parts

MOVED_WITHIN = 30  # frames since a sprite last moved (in the area) for it to count as moving
TOOL_AFTER = 4  # frames after A within which a sprite that shows by the player is its tool
TOOL_VOTES = 2  # such showings that make a slot a tool (none ever without a press)
AWAY_AT_MOST = 1800  # frames off the map (a text read) after which nothing is compared
GONE_FOR = 30  # frames a sprite that vanished on the player stays gone: it was taken
TOO_BIG = 2  # cells: a sprite wider or taller than this is scenery, not a figure

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


def overlaps(a: Box, b: Box) -> bool:
    """Whether boxes ``a`` and ``b`` share a pixel.

    >>> overlaps((0, 0, 16, 16), (15, 0, 31, 16)), overlaps((0, 0, 16, 16), (16, 0, 32, 16))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Figures:
    """The map's sprites followed from frame to frame (module doc); ``update`` every map
    frame."""

    def __init__(self) -> None:
        self.tools: set[int] = set()  # OAM slots the player's own A shows (a sword)
        self.pickups = 0  # sprites taken from under the player
        self.sprites: Sequence[Any] = ()  # this frame's
        self.me: Any = None  # the player's sprite this frame (None: not known)
        self.frame = -2  # the frame of the last update
        self.cell = 16  # the cell size, in pixels
        self._slot: int | None = None
        self._body: Box | None = None  # the player's figure this frame, once measured
        self._own: set[int] = set()  # ... and its sprites
        self._where: dict[int, Box] = {}  # slot -> its box in the area, when last seen
        self._moved: dict[int, int] = {}  # slot -> the frame it last moved
        self._first: dict[int, Box] = {}  # slot -> where it was when it first moved
        self._travels: set[int] = set()  # slots that went a cell or more from there
        self._shown: dict[int, int] = {}  # slot -> the frame it was last on screen
        self._votes: dict[int, int] = {}  # slot -> times it came by the player after A
        self._gone: dict[int, int] = {}  # slot -> the frame it vanished on the player
        self._took: set[int] = set()  # slots counted as taken, in this area
        self._blinks: set[tuple[Hashable, int]] = set()  # (area, slot): came back, taken
        self._on: list[int] = []  # the slots on screen in this map frame ...
        self._was: list[int] = []  # ... and in the last
        self._came_now: list[Any] = []  # the sprites that came on screen in this one
        self._pressed = -TOOL_AFTER - 1  # the frame A was last held
        self._area: Hashable = None

    def update(self, frame: int, sprites: Sequence[Any], slot: int | None,
               camera: tuple[int, int], cell: int, area: Hashable = None,
               pressed: bool = False) -> None:
        """This map frame's ``sprites`` (on screen). ``slot``: the player's OAM slot;
        ``camera``: the scroll, in pixels; ``cell``: the cell size, in pixels;
        ``pressed``: whether A was held in the frame just shown."""
        if area != self._area:  # (a new area: its slots are other figures)
            self._area = area
            self._where.clear()
            self._moved.clear()
            self._first.clear()
            self._travels.clear()
            self._gone.clear()
            self._took.clear()
        prev = self.frame  # (the last map frame: a dialogue, a fade may lie between)
        fresh = frame - prev == 1  # (after a dialogue or a fade, all show again)
        self.frame, self.sprites, self._slot, self.cell = frame, sprites, slot, cell
        self._body = None
        if pressed:
            self._pressed = frame
        came = self._came_now  # (lists kept from frame to frame: no allocation per frame)
        came.clear()
        self._was, self._on = self._on, self._was  # (the last map frame's slots)
        self._on.clear()
        self.me = None
        cx, cy = camera
        for s in sprites:
            self._on.append(s.index)
            if s.index == slot:
                self.me = s
            if fresh and self._shown.get(s.index, -2) < frame - 1:
                came.append(s)
            self._shown[s.index] = frame
            box = (s.x + cx, s.y + cy, s.x + cx + s.width, s.y + cy + s.height)
            old = self._where.get(s.index)
            if s.index in self._took:
                self._back(s.index, old, box)
            if old is not None and old[:2] != box[:2]:
                self._moved[s.index] = frame
                first = self._first.setdefault(s.index, old)
                if max(abs(box[0] - first[0]), abs(box[1] - first[1])) >= cell:
                    self._travels.add(s.index)  # (not a key bobbing where it lies)
            self._where[s.index] = box
        if came:
            self._came(came)
        if self.me is not None and frame - prev <= AWAY_AT_MOST:
            self._vanished(camera)
        if self._gone:
            self._taken(frame)

    def moving(self, index: int) -> bool:
        """Whether sprite ``index`` moved in the area within :data:`MOVED_WITHIN` frames
        and has gone a cell or more from where it was (a key that bobs in place, a
        flickering torch, does not walk)."""
        return index in self._travels and \
            self.frame - self._moved.get(index, -MOVED_WITHIN - 1) <= MOVED_WITHIN

    def body(self) -> tuple[Box, set[int]] | None:
        """The player's figure this frame: its box on screen and its sprites (None when
        the player's sprite is not known)."""
        if self.me is None:
            return None
        if self._body is None:
            self._own = {q.index for q in figure_parts(self.sprites, self.me, self.cell)}
            parts = [q for q in self.sprites if q.index in self._own]
            self._body = (min(q.x for q in parts), min(q.y for q in parts),
                          max(q.x + q.width for q in parts),
                          max(q.y + q.height for q in parts))
        return self._body, self._own

    def _came(self, came: list[Any]) -> None:
        """Sprites that came on screen this frame: beside the player just after A, a vote
        for a tool; with no press, never a tool."""
        pressed = self.frame - self._pressed <= TOOL_AFTER
        mine = self.body() if pressed else None
        c = self.cell
        for s in came:
            if not pressed or s.index == self._slot or mine is None:
                self._votes[s.index] = -1  # (a figure that comes by itself)
                self.tools.discard(s.index)
                continue
            (x0, y0, x1, y1), own = mine
            if s.index in own or self._votes.get(s.index, 0) < 0:
                continue
            if overlaps((x0 - c, y0 - c, x1 + c, y1 + c), (s.x, s.y, s.x + s.width,
                                                           s.y + s.height)):
                votes = self._votes[s.index] = self._votes.get(s.index, 0) + 1
                if votes >= TOOL_VOTES:
                    self.tools.add(s.index)

    def _vanished(self, camera: tuple[int, int]) -> None:
        """Sprites on screen in the last map frame and not in this one: those that
        touched the player's figure may have been taken (:meth:`_taken` says after a
        while; an item picked up may say so in a box first)."""
        frame = self.frame
        for index in self._was:
            if self._shown[index] == frame or index in self.tools or \
                    self._votes.get(index, 0) > 0 or (self._area, index) in self._blinks:
                continue
            mine = self.body()
            if mine is None:
                return
            (x0, y0, x1, y1), own = mine
            box = self._where.get(index)
            big = TOO_BIG * self.cell
            if box is None or index in own or box[2] - box[0] > big or box[3] - box[1] > big:
                continue
            cx, cy = camera  # (the player's figure in the area, a step's slack around it)
            if overlaps((x0 + cx - 2, y0 + cy - 2, x1 + cx + 2, y1 + cy + 2), box):
                self._gone[index] = frame

    def _taken(self, frame: int) -> None:
        """Sprites that vanished on the player and stayed gone for :data:`GONE_FOR`
        frames were taken; one that showed again was not."""
        for index, at in list(self._gone.items()):
            if self._shown.get(index, -1) >= at:
                del self._gone[index]  # (back on screen: it flickered, or walked on)
            elif frame - at >= GONE_FOR:
                del self._gone[index]
                self._took.add(index)
                self.pickups += 1

    def _back(self, index: int, taken: Box | None, box: Box) -> None:
        """Sprite ``index``, counted as taken, is on screen again: where it was taken
        from (within a cell), it blinks and is never counted again in this area; elsewhere
        its slot shows something else."""
        self._took.discard(index)
        if taken is not None and max(abs(box[0] - taken[0]),
                                     abs(box[1] - taken[1])) < self.cell:
            self._blinks.add((self._area, index))
