"""Perception on the agent's path: what the three-layer agent sees.

Every frame :class:`Senses` is handed the observation; :class:`~eevee.perception.Perception`
(the VRAM path where the backend gives GBA VRAM/OAM, else pixels) runs on it when anything
asks for this frame's :attr:`Senses.percept`: every frame for a player known only from
pixels, at the tactical rate (and on dialogue frames) when the profile's RAM variables
already give the position and the screen kind. At the tactical rate, while the player
stands still in the overworld or the screen has scrolled to a new whole-cell position,
it hands the world model:

- the look of every map cell on screen (:mod:`eevee.world.looks`), placed on the map by
  the background scroll registers decoded with the tiles (else the profile's
  ``camera_x``/``camera_y`` variables);
- (standing still) the sprites that are not the player, as things in the area (people,
  items), followed as they wander (:class:`~eevee.world.curiosity.Curiosity`).

During dialogue it collects what the layers over the map show, so the agent can tell a
new line from one heard before (:meth:`Senses.dialogue_signature`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np

from eevee.agents.scene import scene
from eevee.perception import Percept, Perception
from eevee.perception.vram import VramDecoder
from eevee.world.looks import cell_looks
from eevee.world.model import WorldModel

Cell = tuple[int, int]
GONE_AFTER = 3  # sightings of a thing's cell without it: it is gone (picked up)


def signed9(v: int) -> int:
    """A 9-bit BG scroll register as a signed offset (small maps are centred: negative).

    >>> signed9(472), signed9(40)
    (-40, 40)
    """
    v &= 0x1FF
    return v - 512 if v >= 256 else v


FIGURE = 16  # pixels: a sprite narrower or shorter than this is a part of a figure


def figure_parts(sprites: Any, mine: Any, cell: int,
                 at: dict[tuple[int, int, int, int], list[Any]] | None = None) -> list[Any]:
    """The sprites the figure of sprite ``mine`` is drawn with: a sprite narrower or
    shorter than a cell (or than :data:`FIGURE` pixels: a game that steps 8 pixels
    still draws its people 16 wide) has others of its size beside it, edge to edge (a
    GB figure is two or four 8-pixel sprites); a whole figure stands alone (the person
    beside it is someone else). With a part on either side, the one drawn next to it
    in OAM is its own (a person standing beside the player is drawn elsewhere).
    ``at``: :func:`by_place` of ``sprites``, made once for many figures of one frame.

    >>> from eevee.perception.sprites import Sprite
    >>> def half(i, x):
    ...     return Sprite(i, x, 40, 8, 16, 0, 0, 0, False, False, False)
    >>> [s.index for s in figure_parts([half(7, 32), half(0, 40), half(1, 48)],
    ...                                half(0, 40), 16)]
    [0, 1]
    """
    cell = max(cell, FIGURE)
    if mine.width >= cell and mine.height >= cell:
        return [mine]
    w, h, x, y = mine.width, mine.height, mine.x, mine.y
    out = [mine]
    for wanted, places in ((w < cell, ((x - w, y), (x + w, y))),
                           (h < cell, ((x, y - h), (x, y + h)))):
        if not wanted:
            continue
        if at is not None:  # (many figures of one frame: looked up by place)
            side = [s for px, py in places for s in at.get((px, py, w, h), ())
                    if s.index != mine.index]
        else:  # (one figure, every frame: one pass, no index built)
            side = [s for s in sprites if s.width == w and s.height == h
                    and (s.x, s.y) in places and s.index != mine.index]
        if side:  # (of two as near in OAM, the first drawn)
            out.append(min(side, key=lambda s: (abs(s.index - mine.index), s.index)))
    return out


def by_place(sprites: Any) -> dict[tuple[int, int, int, int], list[Any]]:
    """``sprites`` by (x, y, width, height), each list in OAM order."""
    at: dict[tuple[int, int, int, int], list[Any]] = {}
    for s in sprites:
        at.setdefault((s.x, s.y, s.width, s.height), []).append(s)
    return at


class Senses:
    """Perception per frame, and what of it goes to the world model (module doc)."""

    def __init__(self, platform: str, world: WorldModel, *, cell_px: int = 16,
                 profile: Any = None, path: str = "vram") -> None:
        self.perception = Perception(platform, path=path, profile=profile)
        self.world = world
        self.cell_px = cell_px
        self._percept: Percept | None = None
        self._pending: tuple[np.ndarray, Mapping[str, bytes], Mapping[str, int] | None,
                             int] | None = None
        self._dialogue_ids: set[tuple[int, int]] = set()  # (position, tile id) shown
        self._viewed: Cell | None = None  # the scroll at the last look
        self._cams: tuple[Cell | None, Cell | None] = (None, None)  # camera: last, now
        self.player_slot: int | None = None  # the player's OAM slot, when known
        self.tools: set[int] = set()  # OAM slots of what the player's A shows (a sword)
        self._map_layer = -1  # the VRAM layer the map was on at the last look around
        self._calm: dict[int, np.ndarray] = {}  # the other layers' tiles then
        self._missing: dict[Hashable, int] = {}

    def perceive(self, screen: np.ndarray, memory: Mapping[str, bytes],
                 values: Mapping[str, int] | None, buttons: int) -> None:
        """This frame's observation: :attr:`percept` is made from it when first asked
        for in this frame (every frame for a player seen from pixels; at the tactical rate
        and on dialogue frames when RAM gives position and screen kind), so a frame
        nobody looks at costs no memory read and no decode."""
        self._pending = (screen, memory, values, buttons)
        self._percept = None
        if values is not None and "camera_x" in values:  # (cheap: two lookups)
            self._cams = (self._cams[1], (int(values["camera_x"]), int(values["camera_y"])))

    @property
    def percept(self) -> Percept | None:
        """What perception makes of this frame (see :meth:`perceive`)."""
        if self._percept is None and self._pending is not None:
            screen, memory, values, buttons = self._pending
            self._percept = self.perception.perceive(
                screen, buttons=buttons,
                # (the loop's variables are already a dict: no copy on the frame path)
                values=values if isinstance(values, dict) or values is None
                else dict(values),
                io=memory.get("io"), vram=memory.get("vram"), oam=memory.get("oam"),
                palette=memory.get("palette"))
        return self._percept

    def camera(self, values: Mapping[str, int] | None) -> Cell | None:
        """Map pixel at the screen's top-left: the profile's camera, else the BG scroll
        registers, else (no registers readable) a screen fixed at the map's origin."""
        if values is not None and "camera_x" in values and "camera_y" in values:
            return (int(values["camera_x"]), int(values["camera_y"]))
        p = self.percept
        if p is None:
            return None
        if p.grid.scroll is None:
            # no scroll registers read: a fixed screen, the map's top-left
            return (0, 0)
        if p.grid.wrap != 512:  # (the GB's 8-bit registers: small rooms sit at 0)
            return (p.grid.scroll[0], p.grid.scroll[1])
        return (signed9(p.grid.scroll[0]), signed9(p.grid.scroll[1]))

    def new_view(self) -> bool:
        """Whether the screen scrolled to a new whole-cell position since the last look
        (while walking, a look there is as good as one standing still)."""
        p = self.percept
        if p is None or p.vram is None or p.grid.scroll is None:
            return False
        cam = self.view(self._pending[2] if self._pending else None)
        return cam is not None and not (cam[0] % self.cell_px or cam[1] % self.cell_px
                                        or cam == self._viewed)

    def view(self, values: Mapping[str, int] | None) -> Cell | None:
        """Where on the map this frame's tiles are: :meth:`camera`, checked against the
        scroll registers the tiles were decoded with (a camera variable may run a frame
        ahead of what is drawn while scrolling: None then; the registers alone wrap
        every 512 pixels, a camera variable does not)."""
        p, cam = self.percept, self.camera(values)
        if p is None or cam is None or p.vram is None or p.grid.scroll is None:
            return cam
        sx, sy = p.grid.scroll
        lap = p.grid.wrap
        for c in (cam, self._cams[0]):  # (drawn with this frame's camera, or the last's)
            if c is not None and not ((c[0] - sx) % lap or (c[1] - sy) % lap):
                return c
        return None

    def look_around(self, frame: int, area: Hashable, player: Cell,
                    values: Mapping[str, int] | None, *, still: bool = True) -> None:
        """Cells on screen into the world model, and (``still``: the player stands still,
        so its sprite is on its cell) the things on screen."""
        p = self.percept
        if p is None:
            return
        cam = self.view(values)
        if cam is None:
            return
        self._viewed = cam
        g = p.grid
        px = self.cell_px
        if p.vram is not None:
            self._map_layer = p.vram.layer  # (a dialogue is drawn on the others)
            self._calm = self._top_layers(p)
        # (looks from what the tiles are, not from this run's numbering of them: the same
        # in the next run and in a resumed session)
        keys = g.hashes if g.source == "pixels" else self.perception.vram.keys_of(g.ids)
        looks, first = cell_looks(g.ids, (cam[0] + g.origin[0], cam[1] + g.origin[1]), px,
                                  keys)
        if looks.size:
            self.world.see(area, looks, first)
        if p.vram is None:
            return
        cur = self.world.curiosity
        seen: set[Hashable] = set()
        mine = next((s for s in p.vram.sprites if s.index == self.player_slot or (
            self.player_slot is None and ((s.x + cam[0] + px // 2) // px,
                                          (s.y + cam[1] + px // 2) // px) == player)), None)
        at = by_place(p.vram.sprites)
        own = {s.index for s in figure_parts(p.vram.sprites, mine, px, at)} if mine else set()
        done = own | self.tools  # (parts of a figure met already; the player's tools)
        for s in p.vram.sprites:
            if s.width > 2 * px or s.height > 2 * px or s.index in done:
                continue  # (too big for a person or an item; the player's own figure)
            # one thing per figure (a GB person is two or four sprites), at its top-left
            # cell, as the player's own cell is: it spans ``size`` cells, so it is talked
            # to from that far, not from a cell its own body covers
            parts = figure_parts(p.vram.sprites, s, px, at)
            done.update(q.index for q in parts)
            x0, y0 = min(q.x for q in parts), min(q.y for q in parts)
            span = max(max(q.x + q.width for q in parts) - x0,
                       max(q.y + q.height for q in parts) - y0)
            cell = ((x0 + cam[0] + px // 2) // px, (y0 + cam[1] + px // 2) // px)
            if cell == player or cell[0] < 0 or cell[1] < 0 or (not still and max(
                    abs(cell[0] - player[0]), abs(cell[1] - player[1])) <= 1):
                continue  # (walking, the player's own sprite is between two cells)
            t = cur.see_thing(area, cell, frame, size=max(1, -(-span // px)))
            seen.add(t.key)
            self._missing.pop(t.key, None)
        if not still:
            return  # (whatever was not seen now may be behind the player's step)
        # things whose cell is on screen but were not seen: gone after a few looks
        x0, y0 = (cam[0] + px - 1) // px, (cam[1] + px - 1) // px
        rows, cols = g.shape
        x1, y1 = (cam[0] + 8 * cols - px) // px, (cam[1] + 8 * rows - px) // px
        for t in cur.things_in(area):
            if t.key in seen or not (x0 <= t.cell[0] <= x1 and y0 <= t.cell[1] <= y1):
                continue
            n = self._missing.get(t.key, 0) + 1
            self._missing[t.key] = n
            if n >= GONE_AFTER:
                cur.gone(t)
                self._missing.pop(t.key, None)

    def scene(self, area: Hashable, cell: Cell,
              values: Mapping[str, int]) -> Callable[[], tuple[np.ndarray, str]] | None:
        """What draws the annotated frame and words the spatial description of this
        frame, for a strategist that looks (:mod:`eevee.agents.scene`); None off the
        map."""
        p, cam = self.percept, self.view(values)
        if p is None or cam is None or self._pending is None:
            return None
        return scene(self._pending[0], p, self.world, area, cell, cam, self.cell_px, values)

    def dialogue_frame(self) -> None:
        """Collect what a dialogue shows (call on its frames): the tiles of the layers
        drawn over the map (the box and its text) with their places, so the same words
        give the same signature wherever the player stood and however fast they typed;
        without VRAM, the set of tile ids on screen."""
        p = self.percept
        if p is None:
            return
        v = p.vram
        if v is None or v.vram16 is None or self._map_layer < 0:
            self._dialogue_ids.update((-1, int(i)) for i in np.unique(p.grid.ids).tolist())
            return
        for index, tiles in self._top_layers(p).items():
            calm = self._calm.get(index)
            # (what was there before the dialogue, a status bar, is not the dialogue)
            changed = tiles != 0 if calm is None else (tiles != calm) & (tiles != 0)
            where = np.flatnonzero(changed)
            self._dialogue_ids.update(zip((where + (index << 16)).tolist(),
                                          tiles[where].tolist()))

    def _top_layers(self, p: Percept) -> dict[int, np.ndarray]:
        """Tile numbers (flat) of the enabled VRAM layers other than the map's."""
        v = p.vram
        out: dict[int, np.ndarray] = {}
        if v is None or v.vram16 is None or not isinstance(self.perception.vram,
                                                              VramDecoder):
            return out  # (the GB's window is not told from the map yet)
        for ly in v.layers:
            if ly.enabled and ly.index != self._map_layer:
                entries, _ = self.perception.vram.layer_entries(v.vram16, ly)
                out[ly.index] = (entries & 0x3FF).ravel()
        return out

    def dialogue_signature(self) -> int:
        """A signature of the dialogue seen since the last call (0: none), and reset."""
        shown, self._dialogue_ids = self._dialogue_ids, set()
        if not shown:
            return 0
        # the tiles drawn in two places at least: a blinking "more" arrow, caught on
        # some reads and not others, does not make the same words a new line
        places: dict[int, int] = {}
        for _, tile in shown:
            places[tile] = places.get(tile, 0) + 1
        common = frozenset(t for t, n in places.items() if n >= 2) or frozenset(places)
        return hash(common) & 0x7FFFFFFF
