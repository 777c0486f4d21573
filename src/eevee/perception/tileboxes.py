"""Framed boxes found on a tile grid, from its tiles' edge flags (no pixel scans).

:func:`tile_boxes` is :func:`~eevee.perception.boxes.find_boxes` at cell precision:
every tile got ``HEDGE``/``VEDGE`` flags once, when the tile book first saw it, so a
frame's boxes are runs of flagged cells, paired, with flagged sides. :class:`TileBoxFinder`
remembers the last grid's answer.
"""

from __future__ import annotations

import numpy as np

from eevee.perception.boxes import Box
from eevee.perception.packing import pack_grid
from eevee.perception.tilebook import HEDGE, VEDGE
from eevee.perception.tilegrid import TileGrid

_ROW_GO_ON: dict[tuple[int, int], np.ndarray] = {}


def _edge_runs(flags: np.ndarray, need: int) -> list[tuple[int, int, int]]:
    """Runs of at least ``need`` ``HEDGE`` cells along the rows of a grid's ``flags``:
    (row, first column, end column)."""
    rows, cols = flags.shape
    go_on = _ROW_GO_ON.get((rows, cols))
    if go_on is None:  # 1 where cell k + 1 is on the same row as cell k
        go_on = np.ones(rows * cols - 1, dtype=np.uint8)
        go_on[cols - 1 :: cols] = 0
        _ROW_GO_ON[(rows, cols)] = go_on
    f = flags.reshape(-1)
    marks = np.bitwise_and(f[1:], HEDGE)  # HEDGE is bit 0: 0 or 1 (flat arrays: cheap)
    marks &= f[:-1]
    marks &= go_on
    raw = marks.tobytes()  # byte k: cell k + 1 continues cell k's run
    key = b"\x01" * (need - 1)
    out = []
    i = raw.find(key)
    while i >= 0:  # few runs: C searches, no Python loop over cells
        end = raw.find(b"\x00", i)
        if end < 0:
            end = len(raw)
        r, c = divmod(i, cols)
        out.append((r, c, c + end - i + 1))
        i = raw.find(key, end)
    return out


def tile_boxes(grid: TileGrid, frame: np.ndarray | None = None,
               min_len: int | None = None) -> list[Box]:
    """Framed boxes from a pixel tile grid and its tiles' flags (:func:`find_boxes` at
    cell precision, from array lookups): the top and bottom borders are runs of
    ``HEDGE`` cells at least ``min_len`` pixels (a fifth of the screen) long, of the same
    extent (give or take a corner cell), with a row between them; the sides are columns
    of mostly ``VEDGE`` cells at both ends (or one cell in: the runs stop at the corners).
    Bands of adjacent rows (a border cut by the cell grid) count once.

    Screen pixels above and left of the first cells (a scrolled grid) are in no cell: a
    box whose top border or left side lies there is checked on ``frame``'s pixels when
    given and the grid was cut from them (``source="pixels"``).

    >>> from eevee.perception.tilebook import TileBook
    >>> from eevee.perception.tilegrid import PixelTiler
    >>> f = np.zeros((160, 240, 3), np.uint8); f[::2, 1::2] = 90; f[1::2, ::2] = 40
    >>> f[112:160, 0:240] = 250                            # a box across the bottom
    >>> f[112:114] = f[156:158] = 20; f[114:116] = f[154:156] = 120
    >>> f[112:158, 0:2] = f[112:158, 238:240] = 20; f[116:154, 2:4] = f[116:154, 236:238] = 120
    >>> tile_boxes(PixelTiler("gba", TileBook()).grid(f, origin=(0, 0)))
    [(0, 112, 240, 160)]
    >>> tile_boxes(PixelTiler("gba", TileBook()).grid(f, origin=(6, 3)), f)  # cut cells
    [(0, 107, 246, 163)]
    """
    return _tile_boxes(grid, frame, min_len)[0]


def _tile_boxes(grid: TileGrid, frame: np.ndarray | None,
                min_len: int | None = None) -> tuple[list[Box], bool]:
    """:func:`tile_boxes`, and whether the answer looked at pixels outside the cells."""
    ids, flags = grid.ids, grid.flags
    if flags is None:
        raise ValueError("tile_boxes needs a pixel grid with flags")
    rows, cols = ids.shape
    ox, oy = grid.origin
    # pixels outside the cells to check (only for a grid cut from this very frame)
    strips = frame is not None and grid.source == "pixels" and (ox > 0 or oy > 0)
    need = max(2, (min_len or cols * 8 // 5) // 8 - 1)
    runs = _edge_runs(flags, need)
    if not runs or (len(runs) < 2 and not (strips and oy > 0)):
        return [], False
    bands: list[list[int]] = []  # [first row, last row, c0, c1]
    for r, c0, c1 in runs:
        for band in bands:
            # the next row, same extent; a border cut in two rows by the grid may lose a
            # corner cell in one of them (a band of more rows does not grow that way)
            if band[1] == r - 1 and ((band[2] == c0 and band[3] == c1) or (
                    band[0] == band[1] and abs(band[2] - c0) <= 1 and abs(band[3] - c1) <= 1)):
                band[1] = r
                band[2], band[3] = min(band[2], c0), max(band[3], c1)
                break
        else:
            bands.append([r, r, c0, c1])
    vert: list[bytes] = []  # VEDGE by column, column-major (a side is one slice): made once
    looked = False  # at pixels outside the cells

    def side(candidates: tuple[int, int], r0: int, r1: int) -> int | None:
        nonlocal looked
        if not vert:
            vert.append(np.bitwise_and(flags, VEDGE).T.tobytes())  # bytes 0 or VEDGE
        bits = vert[0]
        for c in candidates:
            if 0 <= c < cols and bits[c * rows + r0 : c * rows + r1].count(VEDGE) >= 0.6 * (
                    r1 - r0):
                return c
            if c == -1 and strips and frame is not None and ox > 0:  # left of the cells
                looked = True
                if _strip_side(frame, ox, oy + 8 * r0, oy + 8 * r1):
                    return c
        return None

    boxes: list[Box] = []
    used: set[int] = set()
    for a, top in enumerate(bands):
        if a in used:
            continue
        for c in range(a + 1, len(bands)):
            bot = bands[c]
            if c in used or bot[0] - top[1] < 2 or abs(bot[2] - top[2]) > 1 \
                    or abs(bot[3] - top[3]) > 1:
                continue
            c0, c1 = min(top[2], bot[2]), max(top[3], bot[3])
            left = side((c0 - 1, c0), top[1] + 1, bot[0])
            right = side((c1, c1 - 1), top[1] + 1, bot[0])
            if left is not None and right is not None:
                boxes.append((max(0, ox + 8 * left), oy + 8 * top[0], ox + 8 * (right + 1),
                              oy + 8 * (bot[1] + 1)))
                used.update((a, c))
                break
    if strips and oy > 0:  # a box whose top border is above the cells
        for c, bot in enumerate(bands):
            if c in used or bot[0] < 1:
                continue
            c0, c1 = bot[2], bot[3]
            left = side((c0 - 1, c0), 0, bot[0])
            right = side((c1, c1 - 1), 0, bot[0])
            if left is None or right is None:
                continue
            assert frame is not None
            looked = True
            if _strip_top(frame, oy, ox + 8 * c0, ox + 8 * c1):
                boxes.append((max(0, ox + 8 * left), 0, ox + 8 * (right + 1),
                              oy + 8 * (bot[1] + 1)))
                used.add(c)
    return boxes, looked


def _strip_side(frame: np.ndarray, width: int, y0: int, y1: int) -> bool:
    """Whether one of the columns 0..width-1 of ``frame`` is mostly one colour on the lines
    y0, y0+2, ... before y1 (a box's side in the screen strip left of the cells)."""
    h = frame.shape[0]
    y1 = min(y1, h)
    n = len(range(y0, y1, 2))
    if n == 0 or width <= 0:
        return False
    cols = pack_grid(frame, y0, 2, n, 0, 1, width)
    return bool(np.any(np.count_nonzero(cols == cols[n // 2], axis=0) >= 0.6 * n))


def _strip_top(frame: np.ndarray, height: int, x0: int, x1: int) -> bool:
    """Whether two adjacent lines of ``frame`` among 0..height (the strip above the cells
    and the first line of the cells) are each one colour over x0..x1 (a little in from
    the corners) and differ: a box's top border."""
    h, w = frame.shape[:2]
    x0, x1 = max(0, x0 + 8), min(w, x1 - 8)
    n = min(height + 1, h)
    if x1 - x0 < 8 or n < 2:
        return False
    lines = pack_grid(frame, 0, 1, n, x0, 1, x1 - x0)
    one = (lines == lines[:, :1]).all(axis=1)
    colour = lines[:, 0]
    return bool(np.any(one[1:] & one[:-1] & (colour[1:] != colour[:-1])))


class TileBoxFinder:
    """:func:`tile_boxes` with memory: a grid with the same tiles at the same origin as the
    last one gets the last answer (one compare of the ids, as bytes), unless that answer
    looked at pixels outside the cells and those changed."""

    def __init__(self) -> None:
        self._key: tuple[tuple[int, int], bytes] | None = None
        self._strips: bytes | None = None  # the outside pixels the last answer looked at
        self._boxes: list[Box] = []
        self.hits = 0

    def __call__(self, grid: TileGrid, frame: np.ndarray | None = None) -> list[Box]:
        key = (grid.origin, grid.ids.tobytes())
        if key == self._key and (self._strips is None or (
                frame is not None and _strip_bytes(frame, grid.origin) == self._strips)):
            self.hits += 1
            return list(self._boxes)
        self._boxes, looked = _tile_boxes(grid, frame)
        self._key = key
        self._strips = _strip_bytes(frame, grid.origin) if looked and frame is not None \
            else None
        return list(self._boxes)


def _strip_bytes(frame: np.ndarray, origin: tuple[int, int]) -> bytes:
    """The pixels of ``frame`` above and left of cells starting at ``origin``."""
    ox, oy = origin
    return frame[: oy + 1].tobytes() + frame[:, :ox].tobytes()
