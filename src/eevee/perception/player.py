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


def _dpad(buttons: int) -> tuple[int, int]:
    dx = (1 if buttons & Buttons.RIGHT else 0) - (1 if buttons & Buttons.LEFT else 0)
    dy = (1 if buttons & Buttons.DOWN else 0) - (1 if buttons & Buttons.UP else 0)
    return dx, dy


def group_boxes(boxes: list[Box], gap: int = 1) -> list[Box]:
    """Merge boxes that touch or overlap (within ``gap`` pixels) into objects.

    >>> group_boxes([(0, 0, 8, 16), (8, 0, 16, 16), (50, 50, 58, 58)])
    [(0, 0, 16, 16), (50, 50, 58, 58)]
    """
    out = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if a[0] <= b[2] + gap and b[0] <= a[2] + gap and a[1] <= b[3] + gap \
                        and b[1] <= a[3] + gap:
                    out[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


@dataclass
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
        self._last_scroll: tuple[int, int] | None = None
        self._bg: np.ndarray | None = None  # still background ids (pixel path)
        self._stable: np.ndarray | None = None
        self._prev_ids: np.ndarray | None = None
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
        objects = group_boxes(boxes)
        scroll = grid.scroll if grid is not None else None
        sdx = sdy = 0
        if scroll is not None and self._last_scroll is not None:
            sdx = _wrap(scroll[0] - self._last_scroll[0])
            sdy = _wrap(scroll[1] - self._last_scroll[1])
        self._last_scroll = scroll
        dx, dy = _dpad(buttons)
        new_tracks: list[_Track] = []
        for box in objects:
            prev = self._nearest(box)
            t = _Track(box, prev.score * 0.98 if prev else 0.0, prev.age + 1 if prev else 0)
            if prev is not None and (dx or dy):
                mx = box[0] - prev.box[0] + sdx  # motion in the world
                my = box[1] - prev.box[1] + sdy
                if mx or my:
                    t.score += float(np.sign(mx) * dx + np.sign(my) * dy)
            new_tracks.append(t)
        self._tracks = new_tracks
        if not new_tracks:
            return self._last if self._last and self._last.source == source else None
        best = max(new_tracks, key=lambda t: (t.score, -_dist_to_centre(t.box)))
        b = best.box
        centre = ((b[0] + b[2]) // 2, (b[1] + b[3]) // 2)
        cell = grid.cell_at(*centre) if grid is not None else (centre[0] // 8, centre[1] // 8)
        conf = 1.0 if len(new_tracks) == 1 else float(min(1.0, max(0.1, best.score / 8)))
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
        """The player from a tile grid alone: cells that differ from the still background."""
        ids = grid.ids
        if self._bg is None or self._bg.shape != ids.shape or (
            self._prev_ids is not None and float((ids != self._prev_ids).mean()) > 0.5
        ):  # first frame or a new screen: start the background again
            self._bg = ids.copy()
            self._stable = np.zeros(ids.shape, dtype=np.int32)
            self._prev_ids = ids.copy()
            self._tracks = []
        assert self._stable is not None and self._prev_ids is not None
        same = ids == self._prev_ids
        self._stable = np.where(same, self._stable + 1, 0)
        settled = self._stable >= 24  # unchanged for 24 frames: background
        self._bg[settled] = ids[settled]
        self._prev_ids = ids.copy()
        fg = (ids != self._bg) & grid.full
        boxes = _run_boxes(fg, grid)
        if not boxes:
            return self._last if self._last and self._last.source == "pixels" else None
        return self.from_boxes(boxes, buttons, grid, source="pixels")


def _cell_boxes(mask: np.ndarray, grid: TileGrid) -> list[Box]:
    out = []
    for r, c in zip(*np.nonzero(mask)):
        out.append(grid.cell_box(int(c), int(r)))
    return out


def _run_boxes(mask: np.ndarray, grid: TileGrid) -> list[Box]:
    """Boxes of the runs of set cells along each row, in row-major order of their first cell.

    :func:`group_boxes` of these equals :func:`group_boxes` of the cells' own boxes (cells
    side by side touch, and the merge has one fixed point, in order of first member), with
    far fewer boxes to merge.

    >>> from eevee.perception.tilegrid import TileGrid
    >>> g = TileGrid(ids=np.zeros((3, 4), np.int32), origin=(2, 0))
    >>> m = np.array([[0, 1, 1, 0], [0, 0, 0, 1], [1, 0, 1, 1]], bool)
    >>> _run_boxes(m, g)
    [(10, 0, 26, 8), (26, 8, 34, 16), (2, 16, 10, 24), (18, 16, 34, 24)]
    """
    rows, cols = mask.shape
    padded = np.zeros((rows, cols + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.flatnonzero(np.diff(padded.reshape(-1)))  # starts, ends: alternating
    if edges.size == 0:
        return []
    r, c0 = np.divmod(edges[0::2], cols + 2)
    c1 = edges[1::2] - r * (cols + 2)
    ox, oy = grid.origin
    x0 = (ox + 8 * c0).tolist()
    x1 = (ox + 8 * c1).tolist()
    y0 = (oy + 8 * r).tolist()
    return [(a, b, c, b + 8) for a, b, c in zip(x0, y0, x1)]


def _wrap(d: int) -> int:
    return (d + 256) % 512 - 256


def _dist_to_centre(box: Box) -> float:
    return abs((box[0] + box[2]) / 2 - 120) + abs((box[1] + box[3]) / 2 - 80)
