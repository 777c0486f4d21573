"""The 8×8 tile grid of a frame, from pixels: cut, hash, look up in a :class:`TileBook`.

Cells are aligned to the background's fine scroll: cell ``(0, 0)`` starts at screen pixel
``origin = (ox, oy)`` with ``ox = -scroll_x mod 8``. The grid always has the platform's
shape (20×30 on GBA, 18×20 on GB); when the origin is not ``(0, 0)`` the last column/row
is cut by the screen edge (see :attr:`TileGrid.full`). The origin comes from the scroll
registers when memory is readable, else from the pixels (:func:`detect_origin`).

Hashing is vectorised: every cell row of 8 RGB pixels is 24 bytes = three uint64 lanes;
each lane is mixed (``x ^ x >> 29``, a bijection that also carries high bits low) and
multiplied by an odd weight of its place in the cell, and the 24 lanes of a cell summed,
in preallocated buffers: four passes over the frame, no Python loop over cells. Two
tiles collide only if the weighted sums of their mixed differences cancel mod 2**64.

Each grid also carries the tiles' feature flags (:attr:`TileGrid.flags`, see
:func:`tile_flags`), computed from the pixels once per tile, when the book first sees it.

>>> import numpy as np
>>> from eevee.perception.tilebook import TileBook
>>> tiler = PixelTiler("gba", TileBook())
>>> grid = tiler.grid(np.zeros((160, 240, 3), np.uint8))
>>> grid.ids.shape, int(grid.ids.max()), grid.origin
((20, 30), 0, (0, 0))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from eevee.perception.errors import PerceptionError
from eevee.perception.tilebook import FEATURED, FLAT, HEDGE, VEDGE, TileBook

#: screen size (height, width) in pixels per platform
SCREENS: dict[str, tuple[int, int]] = {"gba": (160, 240), "gb": (144, 160)}

_SHIFT = np.uint64(29)
# fixed weights: the same pixels hash to the same key on every run and machine
_WEIGHTS = np.random.default_rng(0xEE7EE).integers(1, 2**63, (8, 1, 3), dtype=np.uint64) | 1


@dataclass
class TileGrid:
    """Tile ids of one frame, cell ``(row, col)`` at screen pixel ``origin + 8*(col, row)``.

    ``ids`` is int32 of shape (rows, cols); ``-1`` marks a tile the book does not know.
    ``scroll`` is the background scroll in pixels when known (else None); with it,
    :meth:`map_cell` gives the cell's coordinates in the background map. ``flags``: the
    tiles' feature flags (uint8, :func:`tile_flags`) where known: the tiler's grids and
    the VRAM decoder's layer grids (:meth:`VramDecoder.cells`).
    """

    ids: np.ndarray
    origin: tuple[int, int]
    scroll: tuple[int, int] | None = None
    source: str = "pixels"
    hashes: np.ndarray | None = field(default=None, repr=False)
    flags: np.ndarray | None = field(default=None, repr=False)
    wrap: int = 512  # the scroll registers count to this and start again (GB: 256)

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.ids.shape[0]), int(self.ids.shape[1]))

    @property
    def full(self) -> np.ndarray:
        """Bool mask of the cells that lie wholly on the screen."""
        rows, cols = self.shape
        mask = np.ones((rows, cols), dtype=bool)
        if self.origin[0]:
            mask[:, -1] = False
        if self.origin[1]:
            mask[-1, :] = False
        return mask

    def cell_at(self, x: int, y: int) -> tuple[int, int]:
        """The (col, row) of the cell holding screen pixel ``(x, y)``."""
        return ((x - self.origin[0]) // 8, (y - self.origin[1]) // 8)

    def cell_box(self, col: int, row: int) -> tuple[int, int, int, int]:
        """Screen pixel box (x0, y0, x1, y1) of a cell."""
        x0 = self.origin[0] + 8 * col
        y0 = self.origin[1] + 8 * row
        return (x0, y0, x0 + 8, y0 + 8)

    def map_cell(self, col: int, row: int) -> tuple[int, int] | None:
        """Background-map tile coordinates of a cell (None when the scroll is unknown)."""
        if self.scroll is None:
            return None
        return ((self.scroll[0] + self.origin[0]) // 8 + col,
                (self.scroll[1] + self.origin[1]) // 8 + row)


def tile_flags(cells: np.ndarray) -> np.ndarray:
    """Feature flags (uint8, without ``FEATURED``) of 8×8 RGB tiles ``cells`` (k, 8, 8, 3):

    - ``HEDGE``: two adjacent rows are each one colour and differ (a stretch of a
      horizontal edge: a box's top or bottom border, drawn as stacked lines), and no two
      adjacent columns are so;
    - ``VEDGE``: the same with rows and columns swapped (a box's side);
    - ``FLAT``: one colour.

    A grid cell cut from a box border at any offset keeps its flag (the lines run on
    across cells); textures striped both ways (grass) get neither.

    >>> t = np.zeros((2, 8, 8, 3), np.uint8); t[0, 2:4] = 200; t[1, :, 5] = 9
    >>> tile_flags(t).tolist() == [HEDGE, VEDGE]
    True
    """
    c = cells.astype(np.uint32)
    return colour_flags(c[..., 0] | (c[..., 1] << 8) | (c[..., 2] << 16))


def colour_flags(p: np.ndarray) -> np.ndarray:
    """:func:`tile_flags` of tiles given as one integer colour per pixel, (k, 8, 8) (any
    integer coding: only which pixels are equal matters, e.g. GBA 15-bit colours)."""
    rows_one = (p == p[:, :, :1]).all(axis=2)  # (k, 8)
    cols_one = (p == p[:, :1, :]).all(axis=1)
    h = (rows_one[:, 1:] & rows_one[:, :-1] & (p[:, 1:, 0] != p[:, :-1, 0])).any(axis=1)
    v = (cols_one[:, 1:] & cols_one[:, :-1] & (p[:, 0, 1:] != p[:, 0, :-1])).any(axis=1)
    flat = rows_one.all(axis=1) & cols_one.all(axis=1)
    out = np.where(h & ~v, HEDGE, 0) | np.where(v & ~h, VEDGE, 0) | np.where(flat, FLAT, 0)
    return out.astype(np.uint8)


def origin_from_scroll(scroll_x: int, scroll_y: int) -> tuple[int, int]:
    """Screen pixel where cell (0, 0) starts for a background scrolled by (x, y).

    >>> origin_from_scroll(13, 8)
    (3, 0)
    """
    return ((-scroll_x) & 7, (-scroll_y) & 7)


class PixelTiler:
    """Hashes frames of one platform into tile grids, with reused buffers.

    ``grid(frame, origin=None)``: ``origin`` from the scroll registers when known, else
    detected from the pixels (cheap on most frames: re-checked only when the tiling looks
    worse than at the last detection).
    """

    def __init__(self, platform: str, book: TileBook) -> None:
        if platform not in SCREENS:
            raise PerceptionError(f"platform must be 'gba' or 'gb', got {platform!r}")
        self.platform = platform
        self.book = book
        self.height, self.width = SCREENS[platform]
        self.rows, self.cols = self.height // 8, self.width // 8
        r, c = self.rows, self.cols
        self._buf = np.zeros((self.height, self.width, 3), dtype=np.uint8)
        self._lanes = np.empty((r, 8, c * 3), dtype=np.uint64)
        self._w = np.ascontiguousarray(
            np.broadcast_to(_WEIGHTS, (r, 8, c, 3)).reshape(r, 8, c * 3)
        )
        self._rowsum = np.empty((r, c * 3), dtype=np.uint64)
        self._hash = np.empty((r, c), dtype=np.uint64)
        self._src = self._buf  # the pixels (cell-aligned) of the last hashes() call
        self.last_origin = (0, 0)
        self._velocity = (0, 0)
        self.detections = 0  # how often the origin had to be searched from scratch

    def _known_fraction(self, hashes: np.ndarray) -> float:
        _, found = self.book._find(hashes.reshape(-1))
        return float(np.count_nonzero(found)) / found.size

    def _track(self, frame: np.ndarray) -> tuple[tuple[int, int], np.ndarray]:
        """Origin without registers: the last one, or last + last step when the book knows
        (nearly) every tile there; else a search over all 64 phases."""
        last = self.last_origin
        moved = ((last[0] + self._velocity[0]) & 7, (last[1] + self._velocity[1]) & 7)
        for candidate in dict.fromkeys((last, moved)):
            hashes = self.hashes(frame, candidate)
            if self._known_fraction(hashes) >= 0.9:
                return candidate, hashes
        self.detections += 1
        origin = detect_origin(frame)
        return origin, self.hashes(frame, origin)

    def check(self, frame: np.ndarray) -> None:
        if frame.shape != (self.height, self.width, 3) or frame.dtype != np.uint8:
            raise PerceptionError(
                f"frame must be ({self.height}, {self.width}, 3) uint8 for {self.platform}, "
                f"got {frame.shape} {frame.dtype}"
            )

    def hashes(self, frame: np.ndarray, origin: tuple[int, int] = (0, 0)) -> np.ndarray:
        """uint64 hash of every cell (a reused buffer: copy it to keep it)."""
        self.check(frame)
        ox, oy = origin
        h, w = self.height, self.width
        if ox == 0 and oy == 0 and frame.flags.c_contiguous:
            src = frame
        else:  # shift into a frame-sized buffer, zeros past the screen edge
            src = self._buf
            src[: h - oy, : w - ox] = frame[oy:, ox:]
            if ox:
                src[:, w - ox :] = 0
            if oy:
                src[h - oy :, : w - ox] = 0
        self._src = src
        lanes = self._lanes
        # (h, w*3) bytes -> (rows, 8 pixel rows, cols*3 uint64 lanes)
        raw = src.reshape(h, w * 3).view("<u8").reshape(self.rows, 8, self.cols * 3)
        np.right_shift(raw, _SHIFT, out=lanes)
        np.bitwise_xor(lanes, raw, out=lanes)
        np.multiply(lanes, self._w, out=lanes)
        np.add.reduce(lanes, axis=1, out=self._rowsum)
        rs = self._rowsum
        np.add(rs[:, 0::3], rs[:, 1::3], out=self._hash)
        self._hash += rs[:, 2::3]
        return self._hash

    def grid(
        self,
        frame: np.ndarray,
        origin: tuple[int, int] | None = None,
        *,
        scroll: tuple[int, int] | None = None,
        learn: bool = True,
    ) -> TileGrid:
        """The tile grid of ``frame``.

        Give ``scroll`` (background scroll in pixels, e.g. from the BG registers) or
        ``origin``; with neither, the origin is detected from the pixels.
        """
        if scroll is not None:
            origin = origin_from_scroll(*scroll)
        if origin is None:
            origin, hashes = self._track(frame)
        else:
            hashes = self.hashes(frame, origin)
        if origin != self.last_origin:
            self._velocity = ((origin[0] - self.last_origin[0]) & 7,
                              (origin[1] - self.last_origin[1]) & 7)
        self.last_origin = origin
        ids, flags = self.book.lookup_flags(hashes, learn=learn)
        if self.book.unfeatured:  # new tiles: their flags from their pixels, once
            todo = (flags & FEATURED) == 0
            if todo.any():
                r, c = np.nonzero(todo)
                cells = self._src.reshape(self.rows, 8, self.cols, 8, 3)[r, :, c]
                new = tile_flags(cells)
                self.book.set_flags(hashes[r, c], new)
                flags[r, c] = new | FEATURED
        return TileGrid(ids=ids, origin=origin, scroll=scroll, source="pixels", hashes=hashes,
                        flags=flags)


# ---- origin detection from pixels ------------------------------------------------------
_SEG_W = np.random.default_rng(7).integers(1, 2**63, 8, dtype=np.uint64) | 1


def _segment_keys(lines: np.ndarray) -> np.ndarray:
    """Hash of every 8-pixel run along axis 1 of ``lines`` (n, length) uint64 packed pixels."""
    _n, length = lines.shape
    out = lines[:, : length - 7] * _SEG_W[0]
    for k in range(1, 8):  # 8 vector ops, not a loop over cells
        out += lines[:, k : k + length - 7] * _SEG_W[k]
    return out


def _best_phase(lines: np.ndarray) -> tuple[int, int, int]:
    """(phase, distinct count at phase, worst count) of the 8-pixel tiling along axis 1."""
    keys = _segment_keys(lines)
    n, m = keys.shape
    count = (m - 7) // 8  # segments per line common to every phase
    picks = np.empty((8, n * count), dtype=np.uint64)
    for p in range(8):
        picks[p] = keys[:, p : p + 8 * count : 8].reshape(-1)
    picks.sort(axis=1)
    distinct = 1 + np.count_nonzero(picks[:, 1:] != picks[:, :-1], axis=1)
    best = int(np.argmin(distinct))
    return best, int(distinct[best]), int(distinct.max())


def pack_pixels(frame: np.ndarray) -> np.ndarray:
    """(h, w, 3) uint8 → (h, w) uint64 of ``r<<16 | g<<8 | b``."""
    a = frame.astype(np.uint64)
    return (a[..., 0] << np.uint64(16)) | (a[..., 1] << np.uint64(8)) | a[..., 2]


def detect_origin(frame: np.ndarray, step: int = 5) -> tuple[int, int]:
    """Cell origin (ox, oy) that tiles ``frame`` into the fewest distinct 8-pixel runs.

    Looks at every ``step``-th line; a frame without evidence (flat, or one repeated
    tile) gives (0, 0).

    >>> rng = np.random.default_rng(1)
    >>> tiles = rng.integers(0, 255, (4, 8, 8, 3), dtype=np.uint8)
    >>> layout = rng.integers(0, 4, (21, 31))
    >>> bg = tiles[layout].transpose(0, 2, 1, 3, 4).reshape(168, 248, 3)
    >>> detect_origin(np.ascontiguousarray(bg[5 : 5 + 160, 3 : 3 + 240]))
    (5, 3)
    """
    ox, bx, wx = _best_phase(pack_pixels(frame[1::step, :]))
    oy, by, wy = _best_phase(pack_pixels(frame[:, 1::step].transpose(1, 0, 2)))
    return (ox if bx < wx else 0, oy if by < wy else 0)
