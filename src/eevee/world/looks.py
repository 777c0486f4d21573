"""What each map cell looks like, and what each look has meant so far.

A first-time player reads the screen: a tree looks like the trees already bumped into,
a path like the paths already walked. Here a cell's *look* is a hash of the 8×8 tile ids
that draw it (one cell of ``cell_pixels`` covers ``(cell_pixels / 8)²`` tiles), stored per
area cell when the cell is on screen. A :class:`LookBook` counts what happened on or at
cells of each look — walked onto, bumped, led elsewhere (a door), hurt, answered the A
button — so that a cell never stood on can be judged from its look alone:

- a look only ever bumped is a wall, one only ever walked is floor (no need to step on
  every grass cell to know it is grass);
- a look never tried is *novel*: worth a visit (walk onto it, or press A facing it);
- a look that led elsewhere or answered A is *interesting*: every cell of it is.

>>> import numpy as np
>>> ids = np.arange(8, dtype=np.int32).reshape(2, 4)      # 2 rows × 4 cols of tiles
>>> looks, (x0, y0) = cell_looks(ids, map_px=(16, 0), cell_px=16)
>>> looks.shape, (x0, y0)
((1, 2), (1, 0))
>>> book = LookBook()
>>> book.note(int(looks[0, 0]), WALKED); book.note(int(looks[0, 1]), BUMPED)
>>> book.meaning(int(looks[0, 0])), book.meaning(int(looks[0, 1])), book.meaning(12345)
('floor', 'wall', 'novel')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# outcomes counted per look
WALKED, BUMPED, DOOR, HURT, PRESSED, ANSWERED = range(6)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5], dtype=np.uint64)


def cell_looks(ids: np.ndarray, map_px: tuple[int, int], cell_px: int,
               keys: np.ndarray | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """Look hashes (int64, never 0) of the whole map cells drawn by tile grid ``ids``.

    ``map_px``: the map pixel at the top-left of tile ``ids[0, 0]``; ``cell_px``: the
    game's cell size (a multiple of 8). Returns the looks ``[row, col]`` and the map cell
    of ``looks[0, 0]``. Tiles the book does not know (``-1``) make their cell's look 0
    (unseen). ``keys``: the tiles' content hashes (uint64, ``ids``' shape), which are the
    same in every run — looks made from them stay true across runs and sessions (the
    ids are handed out in order of first sight, so another run numbers tiles otherwise)."""
    k = max(1, cell_px // 8)
    mx, my = map_px
    # the first tile column/row that starts a cell
    j0 = (-(mx // 8)) % k
    i0 = (-(my // 8)) % k
    rows, cols = ids.shape
    nr, nc = (rows - i0) // k, (cols - j0) // k
    if nr <= 0 or nc <= 0:
        return np.zeros((0, 0), dtype=np.int64), (0, 0)
    def cells(a: np.ndarray) -> np.ndarray:
        block = a[i0:i0 + nr * k, j0:j0 + nc * k].reshape(nr, k, nc, k)
        return block.transpose(0, 2, 1, 3).reshape(nr, nc, k * k)

    block = cells(ids)
    unknown = (block < 0).any(axis=2)
    mix = _MIX[np.arange(k * k) % len(_MIX)]
    src = cells(keys).astype(np.uint64) if keys is not None else block.astype(np.uint64)
    with np.errstate(over="ignore"):
        h = ((src + np.uint64(1)) * mix).sum(axis=2, dtype=np.uint64)
    h ^= h >> np.uint64(29)
    looks = (h >> np.uint64(1)).astype(np.int64) | 1  # positive, never 0
    looks[unknown] = 0
    return looks, ((mx + 8 * j0) // cell_px, (my + 8 * i0) // cell_px)


@dataclass
class LookStats:
    """What happened at cells of one look."""

    counts: list[int]

    @classmethod
    def new(cls) -> LookStats:
        return cls([0] * 6)


class LookBook:
    """Outcome counts per look (see the module doc)."""

    def __init__(self) -> None:
        self.stats: dict[int, LookStats] = {}

    def note(self, look: int, outcome: int) -> None:
        if look:
            self.stats.setdefault(look, LookStats.new()).counts[outcome] += 1

    def count(self, look: int, outcome: int) -> int:
        s = self.stats.get(look)
        return s.counts[outcome] if s is not None else 0

    def meaning(self, look: int) -> str:
        """``door``, ``hazard``, ``interactive``, ``wall``, ``floor`` or ``novel``."""
        s = self.stats.get(look)
        if s is None:
            return "novel"
        c = s.counts
        if c[DOOR] and c[DOOR] * 3 >= c[WALKED]:
            # (a path that leaves the map at its end led away once, but walked on
            # everywhere else it is floor: a door look leads away most times it is walked)
            return "door"
        if c[HURT] and c[HURT] * 2 >= c[WALKED]:
            # (one hurt among many safe steps was something else: a battle, a mistake)
            return "hazard"
        if c[ANSWERED]:
            return "interactive"
        if c[BUMPED] and not c[WALKED]:
            return "wall"
        if c[WALKED]:
            return "floor"
        return "novel"

    def untried_wall(self, look: int) -> bool:
        """A look bumped into but never tried with A (worth one press)."""
        s = self.stats.get(look)
        return s is not None and s.counts[BUMPED] > 0 and not s.counts[WALKED] \
            and not s.counts[PRESSED]
