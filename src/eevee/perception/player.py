"""Where the player is: from the profile's RAM variables, else the thing that moves with the d-pad.

Sources, best first:

- ``ram``: the profile's ``player_x``/``player_y`` (game cells) with ``pixel_x``/``pixel_y``
  or ``cell_pixels`` and ``camera_x``/``camera_y`` for the screen position;
- ``sprites``: OAM objects (grouped when they touch), the one whose motion on screen plus
  the background scroll follows the d-pad;
- ``pixels``: blobs of cells whose tile differs from the learned still background, the
  one that follows the d-pad (or the only one).

>>> loc = PlayerLocator()
>>> p = loc.from_ram({"player_x": 3, "player_y": 2}, cell_pixels=16)
>>> p.world, p.screen, p.cell
((3, 2), (56, 40), (7, 5))
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.perception.tilegrid import TileGrid

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in screen pixels (x1, y1 exclusive)

FACINGS = ("south", "north", "west", "east")
_FACING_STEP = ((0, 1), (0, -1), (-1, 0), (1, 0))
LINGER = 12  # frames after the d-pad is let go in which a move still follows it (a step)


@dataclass(frozen=True)
class Player:
    """The player's position.

    ``screen``: centre pixel on screen; ``cell``: (col, row) of the 8×8 grid cell holding
    it; ``world``: game cell coordinates when the profile gives them; ``box`` the sprite
    box when found from sprites or pixels.
    """

    screen: tuple[int, int]
    cell: tuple[int, int]
    source: str
    world: tuple[int, int] | None = None
    facing: str | None = None
    box: Box | None = None
    confidence: float = 1.0


_RIGHT, _LEFT, _DOWN, _UP = (int(b) for b in (Buttons.RIGHT, Buttons.LEFT, Buttons.DOWN,
                                               Buttons.UP))


def _dpad(buttons: int) -> tuple[int, int]:
    """(dx, dy) of the d-pad in ``buttons`` (plain ints: flag-enum arithmetic is slow)."""
    b = int(buttons)
    return (1 if b & _RIGHT else 0) - (1 if b & _LEFT else 0), \
        (1 if b & _DOWN else 0) - (1 if b & _UP else 0)


def group_boxes(boxes: list[Box], gap: int = 1) -> list[Box]:
    """Merge boxes that touch or overlap (within ``gap`` pixels) into objects.

    The merges happen as when repeatedly merging the first touching pair in list order
    (the box keeps the lower place); after a merge only pairs with the grown box can touch,
    so the scan goes on from it instead of from the start.

    >>> group_boxes([(0, 0, 8, 16), (8, 0, 16, 16), (50, 50, 58, 58)])
    [(0, 0, 16, 16), (50, 50, 58, 58)]
    >>> group_boxes([(0, 0, 4, 4), (20, 0, 24, 4), (3, 0, 21, 4)])
    [(0, 0, 24, 4)]
    """
    out = list(boxes)
    # boxes in order of their tops (runs of cells, row by row) stay so while merging (a
    # merged box keeps the lower place, the higher top): a box's scan can stop at the
    # first box starting below it
    by_top = all(out[k][1] <= out[k + 1][1] for k in range(len(out) - 1))
    i = 0
    while i < len(out):
        a0, a1, a2, a3 = out[i]
        j = i + 1
        while j < len(out):
            b0, b1, b2, b3 = out[j]
            if by_top and b1 > a3 + gap:
                break
            if not (a0 <= b2 + gap and b0 <= a2 + gap and a1 <= b3 + gap and b1 <= a3 + gap):
                j += 1
                continue
            a0, a1, a2, a3 = min(a0, b0), min(a1, b1), max(a2, b2), max(a3, b3)
            out[i] = (a0, a1, a2, a3)
            del out[j]
            k = 0  # an earlier box may touch the grown one: it comes first in list order
            while k < i:
                c0, c1, c2, c3 = out[k]
                if c0 <= a2 + gap and a0 <= c2 + gap and c1 <= a3 + gap and a1 <= c3 + gap:
                    a0, a1, a2, a3 = min(c0, a0), min(c1, a1), max(c2, a2), max(c3, a3)
                    out[k] = (a0, a1, a2, a3)
                    del out[i]
                    i, k = k, 0
                else:
                    k += 1
            j = i + 1
        i += 1
    return out


@dataclass(slots=True)
class _Track:
    box: Box
    score: float = 0.0
    age: int = 0


class PlayerLocator:
    """Finds the player each frame; keeps the motion evidence between frames.

    ``origin_pixels``: where game cell (0, 0) is drawn when there is no camera variable.
    """

    def __init__(
        self,
        cell_pixels: int = 8,
        origin_pixels: tuple[int, int] = (0, 0),
        step_frames: int = 0,
    ) -> None:
        self.cell_pixels = cell_pixels
        self.step_frames = step_frames  # frames per one-cell step (0: unknown)
        self.origin_pixels = origin_pixels
        self._tracks: list[_Track] = []
        self._last_boxes: list[Box] = []  # the boxes of the last from_boxes call
        self._last_scroll: tuple[int, int] | None = None
        self._way = (0, 0)  # the d-pad's last direction, and frames it still counts
        self._way_left = 0
        self._bg: np.ndarray | None = None  # still background ids (pixel path)
        self._stable: np.ndarray | None = None
        self._prev_ids: np.ndarray | None = None
        self._full: dict[tuple[tuple[int, int], tuple[int, int]], np.ndarray] = {}
        self._last: Player | None = None
        self.history: deque[tuple[int, int]] = deque(maxlen=64)

    @classmethod
    def for_profile(cls, profile: Any) -> PlayerLocator:
        if profile is None:
            return cls()
        origin = profile.hint("room_origin_pixels", [0, 0])
        return cls(int(profile.hint("cell_pixels", 8)), (int(origin[0]), int(origin[1])),
                   int(profile.hint("step_frames", 0)))

    # ---- RAM ---------------------------------------------------------------------------
    def from_ram(
        self, values: dict[str, int], grid: TileGrid | None = None, cell_pixels: int | None = None
    ) -> Player | None:
        """The player from profile variables (None if the profile has no position).

        Mid-step (``moving`` frames left, ``facing``, the profile's ``step_frames``) the
        position is interpolated back from the target cell, as the game draws it."""
        if "player_x" not in values or "player_y" not in values:
            return None
        size = cell_pixels or self.cell_pixels
        wx, wy = int(values["player_x"]), int(values["player_y"])
        cam_x = int(values.get("camera_x", -self.origin_pixels[0]))
        cam_y = int(values.get("camera_y", -self.origin_pixels[1]))
        if "pixel_x" in values and "pixel_y" in values:
            px, py = int(values["pixel_x"]) - cam_x, int(values["pixel_y"]) - cam_y
        else:
            px, py = wx * size - cam_x, wy * size - cam_y
            left = int(values.get("moving", 0))  # frames left in a step to (wx, wy)
            facing_ = values.get("facing")
            if left and self.step_frames and isinstance(facing_, int) and 0 <= facing_ < 4:
                back = left * size // self.step_frames  # still this far from the target
                fx, fy = _FACING_STEP[facing_]
                px, py = px - fx * back, py - fy * back
        centre = (px + size // 2, py + size // 2)
        cell = grid.cell_at(*centre) if grid is not None else (centre[0] // 8, centre[1] // 8)
        facing = values.get("facing")
        name = FACINGS[facing] if isinstance(facing, int) and 0 <= facing < 4 else None
        p = Player(screen=centre, cell=cell, source="ram", world=(wx, wy), facing=name,
                   box=(px, py, px + size, py + size))
        self._last = p
        return p

    # ---- sprites / pixels -------------------------------------------------------------
    def from_boxes(
        self, boxes: list[Box], buttons: int, grid: TileGrid | None, source: str = "sprites"
    ) -> Player | None:
        """The object among ``boxes`` (screen pixels) that moves with the d-pad."""
        scroll = grid.scroll if grid is not None else None
        dx, dy = _dpad(buttons)
        if dx or dy:
            self._way, self._way_left = (dx, dy), LINGER
        elif self._way_left > 0:  # (a step under way goes on after a tap is let go)
            self._way_left -= 1
            dx, dy = self._way
        if boxes == self._last_boxes and scroll == self._last_scroll and self._tracks:
            # nothing moved: the same objects, each its own nearest track, no motion to
            # score; the tracks only age (cheap on still screens)
            new_tracks = [_Track(t.box, t.score * 0.98, t.age + 1) for t in self._tracks]
            return self._choose(new_tracks, grid, source)
        self._last_boxes = list(boxes)
        objects = group_boxes(boxes)
        sdx = sdy = 0
        if scroll is not None and self._last_scroll is not None:
            sdx = _wrap(scroll[0] - self._last_scroll[0])
            sdy = _wrap(scroll[1] - self._last_scroll[1])
        self._last_scroll = scroll
        new_tracks = []
        for box in objects:
            prev = self._nearest(box)
            t = _Track(box, prev.score * 0.98 if prev else 0.0, prev.age + 1 if prev else 0)
            if prev is not None and (dx or dy):
                mx = box[0] - prev.box[0] + sdx  # motion in the world
                my = box[1] - prev.box[1] + sdy
                if mx or my:
                    t.score += float(((mx > 0) - (mx < 0)) * dx + ((my > 0) - (my < 0)) * dy)
            new_tracks.append(t)
        return self._choose(new_tracks, grid, source)

    def _choose(self, new_tracks: list[_Track], grid: TileGrid | None,
                source: str) -> Player | None:
        """Keep ``new_tracks``; the player is the best scored (then the most central)."""
        self._tracks = new_tracks
        if not new_tracks:
            return self._last if self._last and self._last.source == source else None
        best = max(new_tracks, key=lambda t: (t.score, -_dist_to_centre(t.box)))
        b = best.box
        centre = ((b[0] + b[2]) // 2, (b[1] + b[3]) // 2)
        cell = grid.cell_at(*centre) if grid is not None else (centre[0] // 8, centre[1] // 8)
        conf = 1.0 if len(new_tracks) == 1 else float(min(1.0, max(0.1, best.score / 8)))
        last = self._last
        if last is not None and last.box == b and last.cell == cell and last.source == source \
                and last.confidence == conf and last.world is None and last.facing is None:
            return last  # the same answer: the (immutable) last one
        p = Player(screen=centre, cell=cell, source=source, box=b, confidence=conf)
        self._last = p
        return p

    def _nearest(self, box: Box) -> _Track | None:
        best, dist = None, 33.0
        for t in self._tracks:
            d = abs(t.box[0] - box[0]) + abs(t.box[1] - box[1])
            if d < dist:
                best, dist = t, d
        return best

    def from_pixels(self, grid: TileGrid, buttons: int) -> Player | None:
        """The player from a tile grid alone: cells that differ from the still background
        (a cell's tile unchanged for 24 frames), grouped, the group that follows the d-pad.
        Work in place on kept arrays: a handful of numpy calls per frame."""
        ids = grid.ids
        prev, bg, stable = self._prev_ids, self._bg, self._stable
        diff: np.ndarray | None = None
        if prev is not None and bg is not None and stable is not None \
                and prev.shape == ids.shape:
            diff = ids != prev
            if np.count_nonzero(diff) > 0.5 * ids.size:  # a new screen: start again
                diff = None
        if diff is None or prev is None or bg is None or stable is None:
            bg = self._bg = ids.copy()
            stable = self._stable = np.ones(ids.shape, dtype=np.int32)
            prev = self._prev_ids = ids.copy()
            self._tracks = []
        else:
            stable += 1
            stable[diff] = 0
            np.copyto(bg, ids, where=stable >= 24)  # unchanged for 24 frames: background
            np.copyto(prev, ids)
        fg = ids != bg
        fg &= self._full_mask(grid)
        boxes = _run_boxes(fg, grid)
        if not boxes:
            return self._last if self._last and self._last.source == "pixels" else None
        return self.from_boxes(boxes, buttons, grid, source="pixels")

    def _full_mask(self, grid: TileGrid) -> np.ndarray:
        """:attr:`TileGrid.full` of ``grid``, kept per origin and shape."""
        key = (grid.origin, grid.shape)
        mask = self._full.get(key)
        if mask is None:
            mask = self._full[key] = grid.full
        return mask


def _cell_boxes(mask: np.ndarray, grid: TileGrid) -> list[Box]:
    out = []
    for r, c in zip(*np.nonzero(mask)):
        out.append(grid.cell_box(int(c), int(r)))
    return out


_ROW_BREAK: dict[tuple[int, int], np.ndarray] = {}


def _run_boxes(mask: np.ndarray, grid: TileGrid) -> list[Box]:
    """Boxes of the runs of set cells along each row, in row-major order of their first cell.

    :func:`group_boxes` of these equals :func:`group_boxes` of the cells' own boxes (cells
    side by side touch, and the merge has one fixed point, in order of first member), with
    far fewer boxes to merge. The runs are found as byte runs (C searches per run, no
    Python loop over cells).

    >>> from eevee.perception.tilegrid import TileGrid
    >>> g = TileGrid(ids=np.zeros((3, 4), np.int32), origin=(2, 0))
    >>> m = np.array([[0, 1, 1, 0], [0, 0, 0, 1], [1, 0, 1, 1]], bool)
    >>> _run_boxes(m, g)
    [(10, 0, 26, 8), (26, 8, 34, 16), (2, 16, 10, 24), (18, 16, 34, 24)]
    """
    rows, cols = mask.shape
    buf = _ROW_BREAK.get((rows, cols))
    if buf is None:  # a zero column after each row: runs end with their rows
        buf = _ROW_BREAK[(rows, cols)] = np.zeros((rows, cols + 1), dtype=np.uint8)
    buf[:, :cols] = mask
    raw = buf.tobytes()
    ox, oy = grid.origin
    out: list[Box] = []
    i = raw.find(1)
    while i >= 0:
        end = raw.find(0, i)
        r, c = divmod(i, cols + 1)
        out.append((ox + 8 * c, oy + 8 * r, ox + 8 * (c + end - i), oy + 8 * r + 8))
        i = raw.find(1, end)
    return out


def _wrap(d: int) -> int:
    return (d + 256) % 512 - 256


def _dist_to_centre(box: Box) -> float:
    return abs((box[0] + box[2]) / 2 - 120) + abs((box[1] + box[3]) / 2 - 80)
