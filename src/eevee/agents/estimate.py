"""What a profile's variables would say, estimated from perception alone.

A game without a profile gives the three-layer agent no RAM variables, so its senses
estimate the ones the layers use, from the screen (and the GBA IO/VRAM/OAM blocks):

- ``game_mode``: the screen kind (title, overworld, dialogue, menu, battle, transition),
  as the agent's default mode numbers (:data:`~eevee.reactive.controller.MODES`); until
  the player was first seen on a map, anything but a map or a fade is the title;
- ``player_x``/``player_y``: the player's sprite (perception's choice, then the sprite
  nearest to it frame by frame: a step moves it a few pixels, a person next to the
  player cannot take its place; once it walked under the d-pad, its OAM slot, which
  games keep across rooms) plus the background scroll, in map cells; the cell size
  is learned from the first completed step (until then, ``cell_px``);
- ``moving``: frames since the player's position last changed, while under
  :data:`SETTLE` (a step is under way); ``lag``: how many frames the sprite takes to
  move after the d-pad is pressed (the screen shows a game's state late), which a
  blocked way must outlast;
- ``facing``: the way the player last moved, or the last direction held while it
  stood still (a turn in place; a game ignores the d-pad during a step), in the
  planner's facing codes;
- ``area``: areas are told apart by their look and the way in. Every settled overworld
  frame stores the tile ids of the screen at their map positions. After a transition
  (a fade, or a jump of the player's figure by :data:`JUMP` cells in a frame: a room
  that flips without one), once the new screen is drawn: the player standing where it
  stood when the screen went is in the same area (a battle or a menu ended); else a
  way taken before leads where it led (if the tiles do not say otherwise); else the
  known area whose tiles agree at the same places (:data:`MATCH`) — unless it is a
  one-screen room that another door of the same area led to, arriving at the same spot
  (the houses of a town look alike inside); else a new area;
- ``from_x``/``from_y``: the cell the player was last wholly on (while a step is under
  way, the rounded cell may already be the next); ``step_x``/``step_y``: the way it
  last moved, one cell; ``warps``: how often it moved further in a frame than walking
  goes (sent back by water or a pit, however near it lands), ``sunk_x``/``sunk_y``:
  the cell it was sent back from;
- ``camera_x``/``camera_y``: the scroll, unwrapped (the registers wrap at 512 pixels on
  the GBA, 256 on the GB);
- ``probing``: 1 until the player was seen to walk under the d-pad (which sprite it is
  is not known yet: a way held without a move says nothing of walls);
- ``free``: 1 once the player was seen to stop off the tile grid (:data:`FREE_VOTES`
  moves whose length is no multiple of 8 pixels): a game that walks pixel by pixel
  while a direction is held, not cell by cell. Its cell is then the 8-pixel tile, and
  ``off_x``/``off_y`` (the player's pixels from its cell's corner, -c/2..c/2) and
  ``coast`` (pixels it goes on moving after the d-pad is let go, the most seen
  lately) let the reactive layer stop it on a cell's corner.

>>> est = Estimate()
>>> est.values["game_mode"], est.values["area"]
(0, 0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from eevee.agents.dpad_votes import DpadVotes
from eevee.agents.senses import figure_parts, signed9
from eevee.perception import Percept, ScreenKind
from eevee.reactive.controller import MODES
from eevee.tactical.plan import DIRECTIONS, FACING_NAME
from eevee.tactical.planner import DEFAULT_FACING
from eevee.world.rescale import to_new

Cell = tuple[int, int]
LEARN_STEPS = 12  # moves the cell size is learned from
PROBE = 60  # frames of a cycle of buttons, then of d-pad, until the game has begun
LED = 0.25  # perception's confidence in a figure that went the d-pad's way (2 moves of 8)
SETTLE = 3  # frames without movement that end a step
MATCH = 0.9  # share of known tiles that must agree for "same area" (rooms share walls)
OVERLAP = 0.3  # share of the screen's tiles an area must know to say whether it is that
UNLIKE = 0.5  # a way taken before leads elsewhere now if fewer than this agree with it
NEAR = 6  # pixels the player's sprite may move in a frame and still be the player
_KEY = 1 << 16
_FACE = tuple((int(DIRECTIONS[d]), name) for d, name in FACING_NAME.items())
_DPAD = sum(m for m, _ in _FACE)
WIDE = 1  # cells beside a way out that are the same way (a doorway two cells wide)
APART = 3  # cells at most between ways out of an area that are not two houses' doors
JUMP = 3  # cells the player's figure moves in one frame, at least, when a room flips
MAX_LAG = 8  # frames: a longer wait for the sprite to move is a blocked way, not lag
LAGS = 7  # starts the lag is the median of
FREE_VOTES = 2  # moves ending off the 8-pixel grid that make the game a free mover
TILE = 8  # a free mover's cell: the tile
COASTS = 4  # the last stops the coast is the most of


class Estimate:
    """Estimated variables, updated once a frame from a percept (see the module doc)."""

    def __init__(self, cell_px: int = 16, facing_codes: dict[str, int] | None = None) -> None:
        self.cell_px = cell_px
        self.facing = dict(facing_codes or DEFAULT_FACING)
        self.values: dict[str, int] = {"game_mode": MODES["title"], "area": 0, "player_x": 0,
                                       "player_y": 0, "moving": 0, "facing": -1,
                                       "warps": 0, "free": 0, "off_x": 0, "off_y": 0,
                                       "coast": 0, "camera_x": 0, "camera_y": 0}
        self.areas: list[dict[int, int]] = []  # per area: map tile key -> tile id
        self._me: Cell | None = None  # the player's sprite, screen pixels
        self._pos: Cell | None = None  # the player's map pixel
        self._since = 0  # frames since the position last changed
        self._step_from: Cell | None = None  # where the current step started
        self._anchor: Cell | None = None  # a position the player stood still at
        self._transit = True  # a transition (or the start): the area is to be told
        self.played = False  # the player walked under the d-pad: the game has begun
        self._probe = 0
        self.slot: int | None = None  # the OAM slot of the sprite that walked
        self._votes = DpadVotes()  # which sprite goes where the d-pad says
        self._moves: list[int] = []  # sizes of the first moves, in pixels
        # where the player left the last area by (area, cell), set by the agent; the
        # area each such way led to, and where it arrived
        self.came_from: tuple[int, Cell] | None = None
        self._ways: dict[tuple[int, Cell], tuple[int, Cell]] = {}  # -> (area, arrival)
        self._scrolls: set[int] = set()  # areas whose camera moved (not one-screen rooms)
        self._cameras: dict[int, Cell] = {}  # each area's first camera
        self._left: Cell | None = None  # where the player stood when the screen went
        self._sunk: Cell | None = None  # the cell a jump left from (sent back from?)
        self._drawing: np.ndarray | None = None  # the new screen's tiles, last frame
        self._scroll: tuple[int, int] | None = None  # the registers last frame
        self._cam: Cell = (0, 0)  # the camera, unwrapped
        self.lag = 0  # frames from a d-pad press to the sprite moving on screen (the median
        self._lags: list[int] = []  # of the last few starts: a start held up by a wall or
        # a dialogue says nothing of it)
        self._held = 0  # frames a d-pad button has been held since the player last moved
        self.free = False  # the player moves pixel by pixel while the d-pad is held
        self._off_grid = 0  # moves seen to end off the 8-pixel grid
        self._let_go: Cell | None = None  # where the player was when the d-pad was let go
        self._coasts: list[int] = []  # pixels it went on after that, the last few stops
        self._dpad_was = 0  # the d-pad buttons of the frame before
        self._jumped = False  # the walk under way went further in a frame than a step

    @property
    def learned_cell(self) -> bool:
        """Whether the cell size comes from moves seen (else it is the starting guess)."""
        return bool(self._moves) or self.free

    def update(self, p: Percept, buttons: int) -> dict[str, int]:
        """This frame's estimate (a dict the agent reads like a profile's variables)."""
        v = self.values
        v["game_mode"] = MODES.get(p.kind.value, MODES["overworld"])
        v["probing"] = int(not self.played)
        if not self.played:
            # not playing yet (the player never walked under the d-pad): whatever the
            # screen shows, every button in turn; every other half-second, a map's d-pad
            self._probe += 1
            if p.kind is not ScreenKind.OVERWORLD or self._probe % PROBE < PROBE // 2:
                v["game_mode"] = MODES["title"]
        if not v["moving"]:  # (a game ignores the d-pad while a step is under way)
            for mask, name in _FACE:
                if buttons & mask:
                    v["facing"] = self.facing.get(name, -1)
        if p.kind is ScreenKind.TRANSITION:
            if not self._transit:
                self._left = self._pos  # (where the player was when the screen went)
            self._transit, self._me, self._scroll = True, None, None
            return v
        if p.kind is not ScreenKind.OVERWORLD:
            return v
        cam = self._camera(p.grid.scroll, p.grid.wrap)
        v["camera_x"], v["camera_y"] = cam
        me = self._track(p, cam, buttons)
        if me is None:
            return v
        if cam[0] + me[0] < 0 or cam[1] + me[1] < 0:
            # the registers say where the camera is only up to a lap (a small GBA room
            # is centred at a negative scroll); the player is never left of or above the
            # map: the camera is a lap further on
            lap = p.grid.wrap
            cam = self._cam = (cam[0] + lap * (cam[0] + me[0] < 0),
                               cam[1] + lap * (cam[1] + me[1] < 0))
            v["camera_x"], v["camera_y"] = cam
        pos = (cam[0] + me[0], cam[1] + me[1])
        self._letting_go(buttons)
        if pos != self._pos:
            if self._pos is not None:  # (the player faces the way it moves)
                dx, dy = pos[0] - self._pos[0], pos[1] - self._pos[1]
                far = max(abs(dx), abs(dy))
                self._jumped = self._jumped or far > NEAR
                if far > self.cell_px // 2 and self.played and not self._transit:
                    # further in a frame than walking goes: sent back (water, a pit)
                    # within the room, however near it lands — or, a long jump,
                    # another room that came without a fade (told once it is drawn)
                    self._sunk = self._sinking(v)
                    if far > JUMP * self.cell_px:
                        self._transit, self._left = True, None
                    else:
                        self._warped(v)
                elif 0 < abs(dx) + abs(dy) <= 2 * self.cell_px:
                    step = (int(np.sign(dx)), 0) if abs(dx) >= abs(dy) else (0, int(np.sign(dy)))
                    v["facing"] = self.facing.get(FACING_NAME[step], -1)
                    v["step_x"], v["step_y"] = step
            if self._held and self._since >= SETTLE:  # (a step began: how late it shows)
                self._lags = [*self._lags[1 - LAGS:], min(MAX_LAG, self._held)]
                self.lag = sorted(self._lags)[len(self._lags) // 2]
            self._held = 0
            if self._pos is not None and not self.played:
                self.played = _with_the_dpad(buttons, pos[0] - self._pos[0],
                                             pos[1] - self._pos[1])
            if self._since >= SETTLE:
                self._step_from = self._pos
            self._pos, self._since = pos, 0
        else:
            self._since += 1
            self._held = self._held + 1 if buttons & _DPAD else 0
        v["moving"] = 0 if self._since >= SETTLE else SETTLE - self._since
        if self._since == SETTLE or (self._transit and self._since > SETTLE):
            self._settled(p, pos)  # a step just ended, or a fade while standing still
        if self._transit and self.played:
            # a new room not yet told apart: not a place to learn from (the old area's
            # map would get the new room's cells, and a false door)
            v["game_mode"] = MODES["transition"]
        self._cells(v, pos)
        return v

    def _cells(self, v: dict[str, int], pos: Cell) -> None:
        """The player's cell (the nearest), its pixels off that cell's corner, and the
        cell it was last wholly on."""
        c = self.cell_px
        v["player_x"], v["player_y"] = (pos[0] + c // 2) // c, (pos[1] + c // 2) // c
        v["off_x"], v["off_y"] = pos[0] - v["player_x"] * c, pos[1] - v["player_y"] * c
        if self._since >= SETTLE or self._anchor is None:
            self._anchor = pos  # (standing: a cell's place, whatever the sprite's offset)
        if not ((pos[0] - self._anchor[0]) % c or (pos[1] - self._anchor[1]) % c):
            # the cell the player was last wholly on (a step under way leaves it: the
            # cell a throw-back came from, where the rounded cell may be the next one)
            v["from_x"], v["from_y"] = v["player_x"], v["player_y"]

    def _letting_go(self, buttons: int) -> None:
        """Where the player was as the d-pad was let go (how far it coasts after)."""
        dpad = buttons & _DPAD
        if self._dpad_was and not dpad and self._pos is not None:
            self._let_go = self._pos
        elif dpad:
            self._let_go = None
        self._dpad_was = dpad

    def _sinking(self, v: dict[str, int]) -> Cell:
        """The cell the player was sent back from: the one it stood wholly on, else
        the one ahead the way it moved."""
        assert self._pos is not None
        c, (ax, ay) = self.cell_px, self._anchor or self._pos
        whole = not ((self._pos[0] - ax) % c or (self._pos[1] - ay) % c)
        sx, sy = (0, 0) if whole else (v.get("step_x", 0), v.get("step_y", 0))
        return (v.get("from_x", 0) + sx, v.get("from_y", 0) + sy)

    def _warped(self, v: dict[str, int]) -> None:
        if self._sunk is not None:
            v["warps"] += 1
            v["sunk_x"], v["sunk_y"] = self._sunk
            self._sunk = None

    def _camera(self, scroll: tuple[int, int] | None, wrap: int = 512) -> Cell:
        """The camera in map pixels: the scroll registers, unwrapped — they count to
        ``wrap`` (GBA 512, GB 256) and start again, a map larger than that goes on (each
        frame's change is small; a new area starts from the registers as they are)."""
        if scroll is None:
            return (0, 0)
        if self._scroll is None:
            self._cam = (signed9(scroll[0]), signed9(scroll[1])) if wrap == 512 \
                else (scroll[0], scroll[1])
        else:
            half = wrap // 2
            self._cam = tuple(c + (s - o + half) % wrap - half  # type: ignore[assignment]
                              for c, s, o in zip(self._cam, scroll, self._scroll,
                                                 strict=True))
        self._scroll = (scroll[0], scroll[1])
        return self._cam

    def _track(self, p: Percept, cam: Cell, buttons: int) -> Cell | None:
        """The top-left of the player's figure on screen: the sprite followed (by its
        OAM slot once known: the one that goes where the d-pad says,
        :mod:`~eevee.agents.dpad_votes`), with the sprites it is drawn of beside it (a GB
        figure is two or four 8-pixel sprites)."""
        sprites = p.vram.sprites if p.vram is not None else []
        rows, cols = p.grid.shape
        self._votes.update(sprites, cam, buttons, self.slot, (cols * 4, rows * 4))
        best = self._votes.best(self.slot)
        if best != self.slot:  # (it followed something else: a cursor, a figure, or
            self.slot, self._me, self._pos = best, None, None  # someone standing still)
        mine = None
        if self.slot is not None:  # (games keep the player in one OAM slot)
            mine = next((s for s in sprites if s.index == self.slot), None)
        if mine is not None:
            self._me = (mine.x, mine.y)
        else:
            self._me = follow_player(p, self._me, begun=self.played)
            if self.played and self.slot is None and self._me is not None:
                self.slot = next((s.index for s in sprites if (s.x, s.y) == self._me),
                                 None)
        if self._me is None or not sprites:
            return self._me
        return figure(sprites, self._me, self.cell_px)

    def _settled(self, p: Percept, pos: Cell) -> None:
        """The player stands still: learn the cell size from the first step, tell the
        area after a transition, remember this screen's tiles."""
        start = self._step_from
        if start is not None and not self._transit and self.played and not self._jumped:
            self._stopped(pos, start)
        self._jumped = False
        if not self.free and len(self._moves) < LEARN_STEPS and start is not None \
                and not self._transit:
            # from the first few moves (steps run together walking on: the cell is what
            # they are all multiples of)
            size = max(abs(pos[0] - start[0]), abs(pos[1] - start[1]))
            if 8 <= size <= 64 and size % 8 == 0:
                self._moves.append(size)
                size = cell_size(self._moves)
                if size <= 32:  # (a run of steps alone says little: keep the guess)
                    self.cell_px = size
        keys, ids = _tile_keys(p, self._cam)
        if self._transit:
            if self._drawing is None or not np.array_equal(self._drawing, ids):
                self._drawing = ids  # (the new screen is still being drawn: wait)
                return
            self._drawing = None
            self._transit = False
            back = self._left is not None and max(
                abs(pos[0] - self._left[0]), abs(pos[1] - self._left[1])) < self.cell_px // 2
            was = self.values["area"]
            if not back:  # (back where it was: a battle or a menu ended, same area)
                self.values["area"] = self._which_area(keys, ids, pos)
            if self._sunk is not None and self.values["area"] == was:
                self._warped(self.values)  # (a long jump within the room: sent back)
            self._sunk = None
        area = self.values["area"]
        self.areas[area].update(zip(keys.tolist(), ids.tolist(), strict=True))
        if self._cameras.setdefault(area, self._cam) != self._cam:
            self._scrolls.add(area)

    def _stopped(self, pos: Cell, start: Cell) -> None:
        """A walk from ``start`` ended at ``pos``: off the tile grid, it says the game
        moves pixel by pixel; how far the player went on after the d-pad was let go."""
        size = max(abs(pos[0] - start[0]), abs(pos[1] - start[1]))
        straight = pos[0] == start[0] or pos[1] == start[1]  # (a walk, not a room's edge)
        went = -1 if self._let_go is None else max(abs(pos[0] - self._let_go[0]),
                                                   abs(pos[1] - self._let_go[1]))
        if not self.free and straight and size % TILE and 0 <= went < TILE // 2:
            # (let go, it stopped at once, off the grid: a grid walker ends its step)
            self._off_grid += 1
            if self._off_grid >= FREE_VOTES:
                self.free, self.cell_px = True, TILE
                self.values["free"] = 1
        if self._let_go is not None:
            if went < TILE:
                self._coasts = [*self._coasts[1 - COASTS:], went]
                self.values["coast"] = max(self._coasts)
            self._let_go = None

    def _which_area(self, keys: np.ndarray, ids: np.ndarray, pos: Cell) -> int:
        """The area the screen shows after a transition, the player arrived at map
        pixel ``pos``: the one this way led to before, unless its tiles now say otherwise
        (under :data:`UNLIKE` agree: a doorway's neighbour cell led elsewhere); else the
        known one whose tiles agree at the same places — unless that one is a room (it
        never scrolled) and another way into it from the same area, more than
        :data:`APART` cells from this one, arrived where this one did: then this is
        another room that looks the same (the houses of a town share their insides, and
        their doormats). From another area, it is the same room (a world map's node that
        every level leads back to: split, it was a new map at every return).
        Back in the area just left (a trap that sends the player to the door) is that
        area."""
        way = self.came_from
        if way is not None:
            taken = next((to for w, (to, _) in self._ways.items() if _same_way(w, way)), None)
            if taken is not None:
                agree = _agree(self.areas[taken], keys, ids)
                if agree is None or agree >= UNLIKE:
                    # (a cell beside it is the same way too: a doorway wider than two)
                    self._ways.setdefault(way, (taken, pos))
                    return taken
        best = self._match(keys, ids)
        if best >= 0 and best not in self._scrolls and way is not None and way[0] != best \
                and any(
                to == best and w[0] == way[0] and not _same_way(w, way, APART)
                and max(abs(at[0] - pos[0]), abs(at[1] - pos[1])) < self.cell_px
                for w, (to, at) in self._ways.items()):
            best = -1
        if best < 0:
            self.areas.append({})
            best = len(self.areas) - 1
        if way is not None:
            self._ways[way] = (best, pos)
        return best

    def _match(self, keys: np.ndarray, ids: np.ndarray) -> int:
        """The known area whose tiles agree best with these at the same map places
        (at least :data:`MATCH` of those known), or -1."""
        best, best_score = -1, MATCH
        for i, tiles in enumerate(self.areas):
            score = _agree(tiles, keys, ids)
            if score is not None and score >= best_score:
                best, best_score = i, score
        return best

    def rescaled(self, old: int, new: int) -> None:
        """The ways out known, told by their cells, in cells of the new size."""
        self._ways = {(a, to_new(c, old, new)): to for (a, c), to in self._ways.items()}
        if self.came_from is not None:
            self.came_from = (self.came_from[0], to_new(self.came_from[1], old, new))

    def stats(self) -> dict[str, Any]:
        return {"cell_pixels": self.cell_px, "cell_learned": self.learned_cell,
                "free_moving": self.free, "areas_told_apart": len(self.areas)}


def follow_player(p: Any, me: Cell | None, *, begun: bool = True) -> Cell | None:
    """The player's sprite (screen top-left) in percept ``p``: the sprite nearest to
    where it was (``me``; a step moves it a few pixels, a person next to the player
    cannot take its place), else perception's choice; None when there is none.

    Before the game has ``begun``, perception's choice once it saw that figure go the
    d-pad's way (confidence :data:`LED`): the nearest to a first guess would be followed
    for good, a sign nearer the middle that never moves."""
    led = p.player
    if not begun and led is not None and led.box is not None and led.confidence >= LED:
        return (led.box[0], led.box[1])
    sprites = p.vram.sprites if p.vram is not None else None
    if me is not None and sprites:
        mx, my = me
        best = min(sprites, key=lambda s: abs(s.x - mx) + abs(s.y - my))
        if abs(best.x - mx) + abs(best.y - my) <= NEAR:
            return (best.x, best.y)
    if p.player is None or p.player.box is None:
        return None
    return (p.player.box[0], p.player.box[1])


def cell_size(moves: list[int]) -> int:
    """The cell size, in pixels, from the sizes of the first moves: what they all are
    multiples of (a player walking on runs two or more steps together).

    >>> cell_size([32, 16, 32, 32]), cell_size([16, 48]), cell_size([8, 8, 16])
    (16, 16, 8)
    """
    return math.gcd(*moves)


def figure(sprites: Any, at: Cell, cell: int) -> Cell:
    """Where the figure the sprite at ``at`` is a part of stands
    (:func:`~eevee.agents.senses.figure_parts`): its left edge, and the top of its
    lowest cell (a top-down figure taller than a cell stands on its feet: its head may
    overlap the wall above, as games let it, and a doorway is walked into with the feet).

    >>> from eevee.perception.sprites import Sprite
    >>> parts = [Sprite(i, x, 40, 8, 16, 0, 0, 0, False, False, False)
    ...          for i, x in enumerate((32, 40, 48))]
    >>> figure(parts, (40, 40), 16), figure(parts[1:], (40, 40), 8)
    ((32, 40), (40, 48))
    """
    mine = next((s for s in sprites if (s.x, s.y) == at), None)
    if mine is None:
        return at
    parts = figure_parts(sprites, mine, cell)
    top = min(s.y for s in parts)
    return (min(s.x for s in parts), max(top, max(s.y + s.height for s in parts) - cell))


def _same_way(a: tuple[int, Cell], b: tuple[int, Cell] | None, wide: int = WIDE) -> bool:
    """Whether ways out ``a`` and ``b`` (area, cell left from) are one: the same cell, or
    one beside it within ``wide`` cells (a doorway wider than a cell).

    >>> _same_way((2, (18, 3)), (2, (18, 4))), _same_way((2, (18, 3)), (2, (12, 3)))
    (True, False)
    """
    return b is not None and a[0] == b[0] and \
        max(abs(a[1][0] - b[1][0]), abs(a[1][1] - b[1][1])) <= wide


def _agree(tiles: dict[int, int], keys: np.ndarray, ids: np.ndarray) -> float | None:
    """The share of these tiles that an area's ``tiles`` hold at the same map places, or
    None when it knows under :data:`OVERLAP` of them (too few to say).

    >>> _agree({1: 5, 2: 6}, np.array([1, 2]), np.array([5, 7]))
    0.5
    >>> _agree({9: 5}, np.array([1, 2, 3]), np.array([5, 7, 8])) is None
    True
    """
    known = [tiles.get(k) for k in keys.tolist()]
    both = [(a, b) for a, b in zip(known, ids.tolist(), strict=True) if a is not None]
    if not both or len(both) < OVERLAP * len(ids):
        return None
    return sum(a == b for a, b in both) / len(both)


def _with_the_dpad(buttons: int, dx: int, dy: int) -> bool:
    """Whether a move of (dx, dy) pixels goes the way the d-pad ``buttons`` held."""
    return any(buttons & int(b) and (d[0] * dx > 0 or d[1] * dy > 0)
               for d, b in DIRECTIONS.items())


def _tile_keys(p: Percept, cam: Cell) -> tuple[np.ndarray, np.ndarray]:
    """(map tile keys, tile ids) of the screen's known tiles, the camera at ``cam``."""
    g = p.grid
    rows, cols = g.shape
    sx, sy = cam[0] + g.origin[0], cam[1] + g.origin[1]
    tx = (sx + 8 * np.arange(cols)) // 8
    ty = (sy + 8 * np.arange(rows)) // 8
    keys = (ty[:, None] + 4096) * _KEY + (tx[None, :] + 4096)
    ok = g.ids >= 0
    return keys[ok], g.ids[ok]
