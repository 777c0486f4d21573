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
  :data:`SETTLE` (a step is under way);
- ``facing``: the last direction held (the planner's facing codes);
- ``area``: areas are told apart by their look: every settled overworld frame stores the
  tile ids of the screen at their map positions; after a transition the first settled
  frame is matched against each known area's tiles at the same places (same area when
  most agree, :data:`MATCH`), else a new area starts;
- ``camera_x``/``camera_y``: the scroll.

>>> est = Estimate()
>>> est.values["game_mode"], est.values["area"]
(0, 0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from eevee.agents.senses import signed9
from eevee.perception import Percept, ScreenKind
from eevee.reactive.controller import MODES
from eevee.tactical.plan import DIRECTIONS, FACING_NAME
from eevee.tactical.planner import DEFAULT_FACING

Cell = tuple[int, int]
LEARN_STEPS = 5  # moves the cell size is learned from
PROBE = 60  # frames of START, then of d-pad, until the game has begun
SETTLE = 3  # frames without movement that end a step
MATCH = 0.7  # share of known tiles that must agree for "same area"
NEAR = 6  # pixels the player's sprite may move in a frame and still be the player
_KEY = 1 << 16
_FACE = tuple((int(DIRECTIONS[d]), name) for d, name in FACING_NAME.items())


class Estimate:
    """Estimated variables, updated once a frame from a percept (see the module doc)."""

    def __init__(self, cell_px: int = 16, facing_codes: dict[str, int] | None = None) -> None:
        self.cell_px = cell_px
        self.facing = dict(facing_codes or DEFAULT_FACING)
        self.values: dict[str, int] = {"game_mode": MODES["title"], "area": 0, "player_x": 0,
                                       "player_y": 0, "moving": 0, "facing": -1,
                                       "camera_x": 0, "camera_y": 0}
        self.areas: list[dict[int, int]] = []  # per area: map tile key -> tile id
        self._me: Cell | None = None  # the player's sprite, screen pixels
        self._pos: Cell | None = None  # the player's map pixel
        self._since = 0  # frames since the position last changed
        self._step_from: Cell | None = None  # where the current step started
        self._transit = True  # a transition (or the start): the area is to be told
        self.played = False  # the player walked under the d-pad: the game has begun
        self._probe = 0
        self.slot: int | None = None  # the OAM slot of the sprite that walked
        self._moves: list[int] = []  # sizes of the first moves, in pixels

    @property
    def learned_cell(self) -> bool:
        """Whether the cell size comes from moves seen (else it is the starting guess)."""
        return bool(self._moves)

    def update(self, p: Percept, buttons: int) -> dict[str, int]:
        """This frame's estimate (a dict the agent reads like a profile's variables)."""
        v = self.values
        v["game_mode"] = MODES.get(p.kind.value, MODES["overworld"])
        if not self.played:
            # not playing yet (the player never walked under the d-pad): whatever the
            # screen shows, START; every other half-second a map's d-pad is tried
            self._probe += 1
            if p.kind is not ScreenKind.OVERWORLD or self._probe % PROBE < PROBE // 2:
                v["game_mode"] = MODES["title"]
        for mask, name in _FACE:
            if buttons & mask:
                v["facing"] = self.facing.get(name, -1)
        if p.kind is ScreenKind.TRANSITION:
            self._transit, self._me = True, None
            return v
        if p.kind is not ScreenKind.OVERWORLD:
            return v
        cam = (signed9(p.grid.scroll[0]), signed9(p.grid.scroll[1])) \
            if p.grid.scroll is not None else (0, 0)
        v["camera_x"], v["camera_y"] = cam
        me = self._track(p)
        if me is None:
            return v
        pos = (cam[0] + me[0], cam[1] + me[1])
        if pos != self._pos:
            if self._pos is not None and not self.played:
                self.played = _with_the_dpad(buttons, pos[0] - self._pos[0],
                                             pos[1] - self._pos[1])
            if self._since >= SETTLE:
                self._step_from = self._pos
            self._pos, self._since = pos, 0
        else:
            self._since += 1
        v["moving"] = 0 if self._since >= SETTLE else SETTLE - self._since
        if self._since == SETTLE or (self._transit and self._since > SETTLE):
            self._settled(p, pos)  # a step just ended, or a fade while standing still
        if self._transit and self.played:
            # a new room not yet told apart: not a place to learn from (the old area's
            # map would get the new room's cells, and a false door)
            v["game_mode"] = MODES["transition"]
        c = self.cell_px
        v["player_x"], v["player_y"] = (pos[0] + c // 2) // c, (pos[1] + c // 2) // c
        return v

    def _track(self, p: Percept) -> Cell | None:
        sprites = p.vram.sprites if p.vram is not None else []
        if self.slot is not None:  # (games keep the player in one OAM slot)
            mine = next((s for s in sprites if s.index == self.slot), None)
            if mine is not None:
                self._me = (mine.x, mine.y)
                return self._me
        self._me = follow_player(p, self._me)
        if self.played and self.slot is None and self._me is not None:
            self.slot = next((s.index for s in sprites if (s.x, s.y) == self._me), None)
        return self._me

    def _settled(self, p: Percept, pos: Cell) -> None:
        """The player stands still: learn the cell size from the first step, tell the
        area after a transition, remember this screen's tiles."""
        start = self._step_from
        if len(self._moves) < LEARN_STEPS and start is not None and not self._transit:
            # the most common of the first few moves (two steps may run together, a
            # pause may cut one in two)
            size = max(abs(pos[0] - start[0]), abs(pos[1] - start[1]))
            if 8 <= size <= 32 and size % 8 == 0:
                self._moves.append(size)
                self.cell_px = max(sorted(set(self._moves)), key=self._moves.count)
        keys, ids = _tile_keys(p)
        if self._transit:
            self._transit = False
            self.values["area"] = self._which_area(keys, ids)
        self.areas[self.values["area"]].update(zip(keys.tolist(), ids.tolist(), strict=True))

    def _which_area(self, keys: np.ndarray, ids: np.ndarray) -> int:
        best, best_score = -1, MATCH
        for i, tiles in enumerate(self.areas):
            known = [tiles.get(k) for k in keys.tolist()]
            both = [(a, b) for a, b in zip(known, ids.tolist(), strict=True) if a is not None]
            if len(both) < 0.3 * max(1, len(ids)):
                continue
            score = sum(a == b for a, b in both) / len(both)
            if score >= best_score:
                best, best_score = i, score
        if best < 0:
            self.areas.append({})
            best = len(self.areas) - 1
        return best

    def stats(self) -> dict[str, Any]:
        return {"cell_pixels": self.cell_px, "cell_learned": self.learned_cell,
                "areas_told_apart": len(self.areas)}


def follow_player(p: Any, me: Cell | None) -> Cell | None:
    """The player's sprite (screen top-left) in percept ``p``: the sprite nearest to
    where it was (``me``; a step moves it a few pixels, a person next to the player
    cannot take its place), else perception's choice; None when there is none."""
    sprites = p.vram.sprites if p.vram is not None else None
    if me is not None and sprites:
        mx, my = me
        best = min(sprites, key=lambda s: abs(s.x - mx) + abs(s.y - my))
        if abs(best.x - mx) + abs(best.y - my) <= NEAR:
            return (best.x, best.y)
    if p.player is None or p.player.box is None:
        return None
    return (p.player.box[0], p.player.box[1])


def _with_the_dpad(buttons: int, dx: int, dy: int) -> bool:
    """Whether a move of (dx, dy) pixels goes the way the d-pad ``buttons`` held."""
    return any(buttons & int(b) and (d[0] * dx > 0 or d[1] * dy > 0)
               for d, b in DIRECTIONS.items())


def _tile_keys(p: Percept) -> tuple[np.ndarray, np.ndarray]:
    """(map tile keys, tile ids) of the screen's known tiles."""
    g = p.grid
    rows, cols = g.shape
    sx = (signed9(g.scroll[0]) if g.scroll is not None else 0) + g.origin[0]
    sy = (signed9(g.scroll[1]) if g.scroll is not None else 0) + g.origin[1]
    tx = (sx + 8 * np.arange(cols)) // 8
    ty = (sy + 8 * np.arange(rows)) // 8
    keys = (ty[:, None] + 4096) * _KEY + (tx[None, :] + 4096)
    ok = g.ids >= 0
    return keys[ok], g.ids[ok]
