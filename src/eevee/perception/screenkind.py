"""What kind of screen a frame shows: title, overworld, dialogue, menu, battle, transition.

Three sources, best first:

1. a profile hint: the game's ``game_mode`` variable and its documented values
   (``"0 title, 1 overworld, 2 dialogue ..."`` is parsed into a value → kind map);
2. learned tile votes: every frame seen with a hint votes, for each tile id on screen,
   for the kind; later, without the hint, tiles that only ever appeared on one kind
   (text-box borders, letters, battle art, fade colours) name it. The votes are plain
   arrays saved with the game (:meth:`ScreenClassifier.to_dict`);
3. pixel rules that need nothing (the default without a hint; votes are only kept):

   - before the first START/A press (or d-pad motion) the screen is the title;
   - a flat or near-black frame, or a global fade (most pixels change, all the same way,
     against the previous frame) is a transition;
   - framed boxes (top and bottom edges drawn as stacked one-colour lines, one-colour
     sides): two boxes side by side at different heights (the foe's and the player's
     panels) is a battle, a box across the bottom is a dialogue, a tall box that is not
     full width is a menu; anything else is the overworld.

Boxes are found on the tile grid (:func:`tile_boxes`): every tile gets edge flags once,
when the tile book first sees it (rows of one colour stacked: a horizontal edge; columns:
a vertical one), so a frame's boxes are runs of flagged cells, paired, with flagged
sides: array lookups and a few byte searches, no pixel scans. On the VRAM path the
decoded layers' grids are used the same way (no hashing of the frame). Without a grid,
:func:`find_boxes` looks at the pixels (the same rule at pixel precision, slower). A
frame whose grid repeats the last one reuses its statistics and boxes.

>>> import numpy as np
>>> kinds = ScreenClassifier()
>>> kinds.classify(np.zeros((160, 240, 3), np.uint8)).value
'title'
>>> kinds.note_buttons(0x8)                       # START, and the screen changes
>>> kinds.classify(np.full((160, 240, 3), 255, np.uint8)).value
'transition'
>>> parse_mode_doc("0 title, 1 playing, 2 room transition, 6 escaped (end screen)")
{0: 'title', 1: 'overworld', 2: 'transition', 6: 'title'}
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from eevee.perception.tilebook import HEDGE, VEDGE
from eevee.perception.tilegrid import TileGrid

#: what :meth:`ScreenClassifier.classify` finds boxes on: a grid with tile flags, or several
Cells: TypeAlias = "TileGrid | Sequence[TileGrid]"


class ScreenKind(str, enum.Enum):
    """The kinds of screen perception tells apart."""

    TITLE = "title"
    OVERWORLD = "overworld"
    DIALOGUE = "dialogue"
    MENU = "menu"
    BATTLE = "battle"
    TRANSITION = "transition"


KINDS: tuple[ScreenKind, ...] = tuple(ScreenKind)
_INDEX = {k: i for i, k in enumerate(KINDS)}

_WORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("title", ScreenKind.TITLE),
    ("end", ScreenKind.TITLE),
    ("game over", ScreenKind.TITLE),
    ("overworld", ScreenKind.OVERWORLD),
    ("playing", ScreenKind.OVERWORLD),
    ("field", ScreenKind.OVERWORLD),
    ("dialog", ScreenKind.DIALOGUE),
    ("text", ScreenKind.DIALOGUE),
    ("menu", ScreenKind.MENU),
    ("battle", ScreenKind.BATTLE),
    ("fight", ScreenKind.BATTLE),
    ("transition", ScreenKind.TRANSITION),
    ("fade", ScreenKind.TRANSITION),
)


def parse_mode_doc(doc: str) -> dict[int, str]:
    """Value → kind name from a ``game_mode`` doc like ``"0 title, 1 overworld, 2 ..."``."""
    out: dict[int, str] = {}
    for value, words in re.findall(r"(\d+)\s*[:=]?\s*([^,;]+)", doc):
        text = words.lower()
        for word, kind in _WORDS:
            if word in text:
                out[int(value)] = kind.value
                break
    return out


@dataclass
class KindEvidence:
    """Why a kind was chosen (for logs and the annotated frame)."""

    kind: ScreenKind
    source: str  # "hint", "votes", "pixels"
    confidence: float


# ---- pixel features ----------------------------------------------------------------------
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) in screen pixels

_MASK24 = np.uint32(0xFFFFFF)


def _contiguous(frame: np.ndarray) -> np.ndarray:
    """``frame`` as a C-contiguous uint8 array (itself when it already is one)."""
    if frame.flags.c_contiguous and frame.dtype == np.uint8:
        return frame
    return np.ascontiguousarray(frame, dtype=np.uint8)


def pack_grid(frame: np.ndarray, y0: int, ystep: int, ny: int, x0: int, xstep: int,
              nx: int) -> np.ndarray:
    """Colours ``r | g << 8 | b << 16`` (uint32) of the pixels ``(y0 + i*ystep, x0 +
    j*xstep)``, shape (ny, nx): read as unaligned little-endian uint32 straight from the
    frame's bytes with the 4th byte masked off (two numpy calls, no per-channel work).

    >>> f = np.zeros((4, 3, 3), np.uint8); f[2, 1] = (1, 2, 3)
    >>> hex(int(pack_grid(f, 0, 2, 2, 0, 1, 3)[1, 1]))
    '0x30201'
    """
    frame = _contiguous(frame)
    w = frame.shape[1]
    start = (y0 * w + x0) * 3
    end = ((y0 + (ny - 1) * ystep) * w + x0 + (nx - 1) * xstep) * 3 + 4
    if ny > 0 and nx > 0 and end <= frame.nbytes:
        view = np.ndarray((ny, nx), "<u4", buffer=frame, offset=start,
                          strides=(ystep * w * 3, xstep * 3))
        return np.bitwise_and(view, _MASK24)
    # the frame's very last pixel has no 4th byte after it: per channel
    sub = frame[y0 : y0 + ny * ystep : ystep, x0 : x0 + nx * xstep : xstep].astype(np.uint32)
    return sub[..., 0] | (sub[..., 1] << 8) | (sub[..., 2] << 16)


def pack_lines(frame: np.ndarray, step: int = 2) -> np.ndarray:
    """Every ``step``-th line of an RGB frame as one uint32 colour per pixel, shape
    (lines, width) (:func:`pack_grid`).

    >>> f = np.zeros((4, 3, 3), np.uint8); f[2, 1] = (1, 2, 3)
    >>> hex(int(pack_lines(f)[1, 1]))
    '0x30201'
    """
    h, w = frame.shape[:2]
    return pack_grid(frame, 0, step, (h + step - 1) // step, 0, 1, w)


def _pack_rows(frame: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`pack_grid` of whole frame lines ``rows`` (sorted pixel rows), one gather."""
    frame = _contiguous(frame)
    h, w = frame.shape[:2]
    if rows.size and int(rows[-1]) < h - 1:
        view = np.ndarray((h - 1, w), "<u4", buffer=frame, strides=(w * 3, 3))
        out: np.ndarray = view[rows]
        out &= _MASK24
        return out
    sub = frame[rows].astype(np.uint32)
    return sub[..., 0] | (sub[..., 1] << 8) | (sub[..., 2] << 16)


def _runs_packed(u: np.ndarray, min_len: int, step: int) -> tuple[np.ndarray, ...]:
    """Runs of one colour at least ``min_len`` long on the lines of ``u``: (line * step,
    x0, x1) arrays ordered by line then x0."""
    n, w = u.shape
    b = np.ones((n, w + 1), dtype=np.bool_)  # columns 0 and w stay True
    np.not_equal(u[:, 1:], u[:, :-1], out=b[:, 1:w])
    pos = np.flatnonzero(b)
    row, col = np.divmod(pos, w + 1)
    lens = col[1:] - col[:-1]
    keep = (row[1:] == row[:-1]) & (lens >= min_len)
    return row[:-1][keep] * step, col[:-1][keep], col[1:][keep]


_NO_ROWS = np.zeros(0, dtype=np.intp)


def _sample_stride(min_len: int) -> int:
    """Pixels between the samples :func:`find_boxes` looks at first."""
    return max(1, min_len // 8)


def _edge_rows(s: np.ndarray, min_len: int, tol: int) -> np.ndarray:
    """Indices of the sampled lines that can hold the edge lines of a box, from ``s``:
    the packed colours every :func:`_sample_stride` pixels along every sampled line;
    empty when no box can exist.

    An edge line is a run of at least ``min_len`` over a run of another colour and nearly
    the same extent (ends within ``tol``) on the next line: they overlap by at least
    ``min_len - 2 * tol`` pixels, so ``k = (min_len - 2 * tol) // stride`` consecutive
    samples are equal on each line and differ between the lines. Lines without such a
    stretch (nor a neighbour with one) cannot hold runs that :func:`find_boxes` pairs; and
    a box needs two edge lines at least 8 pixels (4 lines) apart. A superset of the lines
    that matter, so the answer is the same as from every line."""
    stride = _sample_stride(min_len)
    need = max(1, (min_len - 2 * tol) // stride - 1)  # consecutive sample pairs
    same = s[:, 1:] == s[:, :-1]
    cand = same[:-1] & same[1:]
    cand &= s[:-1, 1:] != s[1:, 1:]
    have = 1
    while have < need and cand.shape[1] > 0:  # runs of ``need`` in log steps
        shift = min(have, need - have)
        cand = cand[:, :-shift] & cand[:, shift:]
        have += shift
    hit = np.flatnonzero(cand.any(axis=1))
    if hit.size < 2 or int(hit[-1]) - int(hit[0]) < 4:
        return _NO_ROWS
    mask = np.zeros(s.shape[0], dtype=bool)
    mask[hit] = True
    mask[hit + 1] = True
    return np.flatnonzero(mask)


def long_runs(frame: np.ndarray, min_len: int, step: int = 2) -> tuple[np.ndarray, ...]:
    """Horizontal runs of one colour at least ``min_len`` long on every ``step``-th line:
    (y, x0, x1) arrays, ordered by y then x0.

    >>> f = np.zeros((4, 100, 3), np.uint8); f[2, 10:70] = 9
    >>> [a.tolist() for a in long_runs(f, 50)]
    [[0, 2], [0, 10], [100, 70]]
    """
    return _runs_packed(pack_lines(frame, step), min_len, step)


def find_boxes(frame: np.ndarray, *, min_len: int | None = None, step: int = 2,
               tol: int = 3) -> list[Box]:
    """Framed boxes (text boxes, menus, battle panels): a rectangle whose top and bottom
    edges are bands of stacked one-colour lines of different colours (a border drawn in
    layers), at the same x extent, joined by one-colour vertical edges.

    Cost: the lines are first looked at only every ``min_len // 8`` pixels;
    only the lines that can hold a box edge are packed in full.

    >>> f = np.full((160, 240, 3), 90, np.uint8)
    >>> f[::2, ::2] = 30                                   # a textured scene
    >>> f[110:158, 4:236] = 250; f[110:158, 4:6] = 20; f[156:158, 4:236] = 20
    >>> f[110:112, 4:236] = 20; f[112:114, 6:234] = 200; f[152:154, 6:234] = 200
    >>> f[110:158, 234:236] = 20
    >>> find_boxes(f)
    [(4, 110, 236, 156)]
    """
    h, w = frame.shape[:2]
    min_len = max(min_len or w // 5, 2 * tol + 1)
    stride = _sample_stride(min_len)
    s = pack_grid(frame, 0, step, (h + step - 1) // step, 0, stride, (w + stride - 1) // stride)
    return _boxes(frame, s, min_len=min_len, step=step, tol=tol)


def _boxes(frame: np.ndarray, s: np.ndarray, *, min_len: int, step: int,
           tol: int) -> list[Box]:
    """:func:`find_boxes` given the samples ``s`` of every ``step``-th line."""
    rows = _edge_rows(s, min_len, tol)
    if rows.size < 4:
        return []
    u = _pack_rows(frame, rows * step)
    y, x0, x1 = _runs_packed(u, min_len, 1)
    if y.size < 4:
        return []
    colour = u[y, x0]
    y = rows[y] * step
    # an edge line: a run over a run of nearly the same extent on the next line, another
    # colour. Runs are sorted by (y, x0) and those of one line are disjoint and at least
    # min_len > 2 * tol long, so at most one run of the next line starts within tol.
    key = y * 1024 + x0
    want = key + step * 1024
    k = np.searchsorted(key, want - tol)
    np.minimum(k, key.size - 1, out=k)
    ok = (np.abs(key[k] - want) <= tol) & (np.abs(x1[k] - x1) <= tol) & (colour[k] != colour)
    i = np.flatnonzero(ok)
    if i.size < 2:
        return []
    k = k[i]
    ex0 = np.minimum(x0[i], x0[k])
    ex1 = np.maximum(x1[i], x1[k])
    # an edge line whose extent no other edge line shares (within tol) can neither pair
    # nor join another line's band: leave it out (the grouping below is per line)
    near = np.abs(ex0[:, None] - ex0[None, :]) <= tol
    near &= np.abs(ex1[:, None] - ex1[None, :]) <= tol
    keep = np.count_nonzero(near, axis=1) >= 2
    if np.count_nonzero(keep) < 2:
        return []
    ey = y[i][keep].tolist()
    bands: list[list[int]] = []  # [y_first, y_last, x0, x1]
    for yy, a, b in sorted(zip(ey, ex0[keep].tolist(), ex1[keep].tolist())):
        for band in bands:
            if yy - band[1] <= 2 * step and abs(a - band[2]) <= tol and abs(b - band[3]) <= tol:
                band[1] = yy
                break
        else:
            bands.append([yy, yy, a, b])
    boxes: list[Box] = []
    used: set[int] = set()
    for a in range(len(bands)):
        if a in used:
            continue
        top = bands[a]
        for c in range(a + 1, len(bands)):
            bot = bands[c]
            if c in used or bot[0] - top[1] < 8:
                continue
            if abs(top[2] - bot[2]) > tol or abs(top[3] - bot[3]) > tol:
                continue
            bx0, bx1 = min(top[2], bot[2]), max(top[3], bot[3])
            if _sides_solid(frame, bx0, bx1, top[1] + step, bot[0]):
                boxes.append((bx0, top[0], bx1, bot[1] + step))
                used.update((a, c))
                break
    return boxes


def _sides_solid(frame: np.ndarray, bx0: int, bx1: int, y0: int, y1: int) -> bool:
    """A box's sides between its edge bands (lines y0, y0+2, ... before y1): one of the
    columns around ``bx0`` and one around ``bx1 - 1`` mostly one colour (text may cross a
    border), and so are the columns ``bx0 + 6`` and ``bx1 - 7`` (the inner frame); one
    gather of the eight columns."""
    w = frame.shape[1]
    n = len(range(y0, y1, 2))
    if n == 0:
        return False
    cols = [bx0 - 1, bx0, bx0 + 1, bx1 - 2, bx1 - 1, bx1, bx0 + 6, bx1 - 7]
    inside = [0 <= c < w for c in cols]
    buf = _side_buffer(n)
    buf[:, :, :3] = frame[y0:y1:2][:, [min(max(c, 0), w - 1) for c in cols]]
    v = buf.view("<u4")[:, :, 0]  # packed colours (the 4th byte stays 0)
    solid = np.add.reduce(v == v[n // 2], axis=0) >= 0.6 * n
    s = [a and b for a, b in zip(solid.tolist(), inside)]
    return (s[0] or s[1] or s[2]) and (s[3] or s[4] or s[5]) and s[6] and s[7]


_SIDES: dict[int, np.ndarray] = {}


def _side_buffer(n: int) -> np.ndarray:
    """A reused zeroed (n, 8, 4) uint8 buffer for :func:`_sides_solid`."""
    buf = _SIDES.get(n)
    if buf is None:
        buf = _SIDES[n] = np.zeros((n, 8, 4), np.uint8)
    return buf


class BoxFinder:
    """:func:`find_boxes` with memory: a frame whose sampled lines equal the last frame's
    gets the last answer, so still text boxes, menus and battle screens cost a compare.
    The samples :func:`find_boxes` starts from are compared first (a frame that differs
    there is new); only when they agree are the whole sampled lines compared."""

    def __init__(self, step: int = 2, tol: int = 3) -> None:
        self.step, self.tol = step, tol
        self._lines: np.ndarray | None = None  # the last frame's sampled lines
        self._samples: np.ndarray | None = None
        self._boxes: list[Box] = []
        self.hits = 0

    def __call__(self, frame: np.ndarray) -> list[Box]:
        frame = _contiguous(frame)
        h, w = frame.shape[:2]
        step, tol = self.step, self.tol
        min_len = max(w // 5, 2 * tol + 1)
        stride = _sample_stride(min_len)
        s = pack_grid(frame, 0, step, (h + step - 1) // step, 0, stride,
                      (w + stride - 1) // stride)
        lines = frame[::step]
        last, last_s = self._lines, self._samples
        if (last is not None and last_s is not None and last.shape == lines.shape
                and np.array_equal(s, last_s) and np.array_equal(lines, last)):
            self.hits += 1
            return list(self._boxes)
        self._boxes = _boxes(frame, s, min_len=min_len, step=step, tol=tol)
        self._samples = s
        if last is None or last.shape != lines.shape:
            last = self._lines = np.empty(lines.shape, np.uint8)
        np.copyto(last, lines)
        return list(self._boxes)


@dataclass
class FrameFeatures:
    """What the pixel rules look at (kept on the classifier as ``last_features``)."""

    mean: float
    std: float
    change: float  # share of sampled pixels that changed against the previous frame
    same_way: float  # of those, how one-sided the change is (1.0: all brighter or all darker)
    boxes: list[Box]


def frame_features(
    frame: np.ndarray,
    prev_small: np.ndarray | None,
    finder: BoxFinder | None = None,
    *,
    boxes: bool = True,
) -> tuple[FrameFeatures, np.ndarray]:
    """Features of ``frame`` and its subsample (pass it back as ``prev_small`` next time):
    the per-pixel sums of every 4th pixel of every 4th line, int16. ``finder``: a
    :class:`BoxFinder` to reuse the last frame's boxes when nothing changed; ``boxes=False``
    leaves the (costly) box search out."""
    sub = frame[::4, ::4]
    now = np.add(sub[..., 0], sub[..., 1], dtype=np.int16)  # per channel: a reduce over 3
    now += sub[..., 2]  # is many times slower
    g = sub[..., 1].astype(np.float64).reshape(-1)  # float sums of bytes are exact here
    n_px = g.size
    s1, s2 = int(g.sum()), int(np.dot(g, g))
    mean = s1 / n_px
    std = float(np.sqrt(max(0, n_px * s2 - s1 * s1))) / n_px
    change = same_way = 0.0
    if prev_small is not None and prev_small.shape == now.shape:
        d = now - prev_small
        n = int(np.count_nonzero(np.abs(d) > 12))
        if n:
            up = int(np.count_nonzero(d > 12))
            # black or white in both frames cannot show a fade: leave such pixels out
            extreme = int(np.count_nonzero((d == 0) & ((now == 0) | (now >= 744))))
            change = n / max(1, d.size - extreme)
            same_way = abs(up * 2 - n) / n
    found: list[Box] = []
    if boxes and std >= 6.0:
        found = finder(frame) if finder is not None else find_boxes(frame)
    return FrameFeatures(mean, std, change, same_way, found), now


def kind_of_boxes(boxes: list[Box], width: int, height: int) -> ScreenKind | None:
    """Battle, dialogue or menu from framed boxes (None: no telling box).

    >>> kind_of_boxes([(10, 8, 110, 38), (130, 64, 230, 102), (2, 112, 238, 158)], 240, 160)
    <ScreenKind.BATTLE: 'battle'>
    >>> kind_of_boxes([(2, 0, 110, 22), (2, 112, 238, 158)], 240, 160)
    <ScreenKind.DIALOGUE: 'dialogue'>
    >>> kind_of_boxes([(162, 0, 238, 70)], 240, 160)
    <ScreenKind.MENU: 'menu'>
    >>> kind_of_boxes([(2, 0, 134, 22), (170, 0, 238, 22)], 240, 160) is None
    True
    """
    mid = width / 2
    for a in boxes:  # the foe's panel on one side, the player's lower on the other
        for b in boxes:
            if (a[2] <= mid + 8 and b[0] >= mid - 8 and a[2] - a[0] >= width / 4
                    and b[2] - b[0] >= width / 4 and b[1] - a[3] >= -8
                    and b[1] - a[1] >= height / 5 and b[3] <= height * 0.8):
                return ScreenKind.BATTLE
    for x0, y0, x1, y1 in boxes:
        if x1 - x0 >= width * 0.7 and y1 >= height * 0.85 and y0 >= height / 2:
            return ScreenKind.DIALOGUE
    for x0, y0, x1, y1 in boxes:
        if x1 - x0 < width * 0.7 and y1 - y0 >= height * 0.3:
            return ScreenKind.MENU
    return None


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


class ScreenClassifier:
    """Classifies frames; learns tile votes from hinted frames.

    ``mode_map``: game_mode value → kind (from :func:`parse_mode_doc` of the profile).
    """

    def __init__(
        self,
        mode_map: dict[int, str] | None = None,
        capacity: int = 1 << 16,
        *,
        use_votes: bool = False,
    ) -> None:
        self.mode_map = {int(k): ScreenKind(v) for k, v in (mode_map or {}).items()}
        self.votes = np.zeros((capacity, len(KINDS)), dtype=np.float32)
        self.played = False  # the player has moved at least once (not the title any more)
        self.last: KindEvidence = KindEvidence(ScreenKind.TITLE, "pixels", 0.0)
        self._start_pressed = False
        self.use_votes = use_votes  # let learned tile votes overrule the pixel rules
        self._prev_small: np.ndarray | None = None
        self._finder = BoxFinder()
        self._tile_finders: list[TileBoxFinder] = []  # one per grid of cells
        self._features_key: bytes | None = None  # the tile hashes the last statistics had
        self.last_features: FrameFeatures | None = None

    @classmethod
    def for_profile(cls, profile: Any) -> ScreenClassifier:
        """A classifier using ``profile``'s ``game_mode`` doc (None: no hints)."""
        var = getattr(profile, "variables", {}).get("game_mode") if profile else None
        mapping = parse_mode_doc(var.doc) if var is not None else {}
        hinted = profile.hint("screen_kinds") if profile is not None else None
        if isinstance(hinted, dict):
            mapping.update({int(k): str(v) for k, v in hinted.items()})
        return cls(mapping)

    # ---- public ----------------------------------------------------------------------
    def classify(
        self,
        frame: np.ndarray,
        grid: TileGrid | None = None,
        *,
        game_mode: int | None = None,
        brightness: int = 0,
        cells: Cells | Callable[[], Cells] | None = None,
    ) -> ScreenKind:
        """The kind of ``frame`` (its tile ``grid`` makes the learned and overlay rules work).

        ``game_mode``: the profile's variable when there is one (ground truth, and it
        trains the votes). ``brightness``: the GBA fade level from memory, when known.
        Boxes are found from a pixel grid's tile flags (:func:`tile_boxes`): ``grid``'s
        when it has them, else ``cells``' (a grid with flags, or several, e.g. a GBA
        frame's layers, or a function making them, called only when boxes are needed),
        else from the pixels (:func:`find_boxes`, slower).
        """
        if game_mode is not None and game_mode in self.mode_map:
            kind = self.mode_map[game_mode]
            if grid is not None:
                self.learn(grid, kind)
            self._after(kind, grid)
            self.last = KindEvidence(kind, "hint", 1.0)
            return kind
        kind, source, conf = self._from_pixels(frame, grid, brightness, cells)
        self._after(kind, grid)
        self.last = KindEvidence(kind, source, conf)
        return kind

    def learn(self, grid: TileGrid, kind: ScreenKind) -> None:
        """Record that ``grid``'s tiles were on a screen of ``kind``."""
        ids = grid.ids.reshape(-1)
        ids = ids[(ids >= 0) & (ids < self.votes.shape[0])]
        self.votes[ids, _INDEX[kind]] += 1.0

    def note_buttons(self, buttons: int) -> None:
        """Buttons held this frame: START/A on the title, then a transition, starts play."""
        if buttons & 0x9:  # A or START
            self._start_pressed = True

    def note_moved(self) -> None:
        """Tell the classifier the player moved under d-pad control (gameplay started)."""
        self.played = True

    # ---- internals -------------------------------------------------------------------
    def _after(self, kind: ScreenKind, grid: TileGrid | None) -> None:
        if kind in (ScreenKind.OVERWORLD, ScreenKind.DIALOGUE, ScreenKind.MENU,
                    ScreenKind.BATTLE):
            self.played = True

    def _from_pixels(
        self, frame: np.ndarray, grid: TileGrid | None, brightness: int,
        cells: Cells | Callable[[], Cells] | None = None,
    ) -> tuple[ScreenKind, str, float]:
        had_prev = self._prev_small is not None
        if grid is not None and grid.flags is not None:
            cells = grid
        # a pixel grid made already tells a repeated frame: same tile hashes at origin (0, 0)
        # (no screen pixels outside the cells) is the same frame, its statistics the last
        # ones and no change (one compare instead of the sampled statistics)
        tiles = cells if isinstance(cells, TileGrid) else None
        key = tiles.hashes.tobytes() if tiles is not None and tiles.hashes is not None \
            and tiles.origin == (0, 0) else None
        last = self.last_features
        if key is not None and key == self._features_key and last is not None:
            feats = FrameFeatures(last.mean, last.std, 0.0, 0.0, [])
        else:
            feats, self._prev_small = frame_features(frame, self._prev_small, boxes=False)
        self._features_key = key
        self.last_features = feats
        if not self.played and (not self._start_pressed or (
                had_prev and self.last.kind is ScreenKind.TITLE and feats.change < 0.02)):
            return ScreenKind.TITLE, "pixels", 0.6  # until START/A changes the screen
        fade = feats.change >= 0.6 and feats.same_way >= 0.9
        if feats.std < 6.0 or feats.mean < 20.0 or abs(brightness) >= 4 or fade:
            return ScreenKind.TRANSITION, "pixels", 0.9
        if self.use_votes and grid is not None:
            voted = self._vote(grid)
            if voted is not None:
                return voted
        # boxes only now: title and transition frames never need them
        if callable(cells):
            cells = cells()
        grids = [cells] if isinstance(cells, TileGrid) else list(cells or ())
        grids = [g for g in grids if g.flags is not None]
        if grids:
            while len(self._tile_finders) < len(grids):
                self._tile_finders.append(TileBoxFinder())
            feats.boxes = []
            for g, finder in zip(grids, self._tile_finders):
                feats.boxes += finder(g, frame)
        else:
            feats.boxes = self._finder(frame)
        h, w = frame.shape[:2]
        kind = kind_of_boxes(feats.boxes, w, h)
        if kind is not None:
            return kind, "pixels", 0.8
        return ScreenKind.OVERWORLD, "pixels", 0.6

    def _vote(self, grid: TileGrid) -> tuple[ScreenKind, str, float] | None:
        ids = grid.ids.reshape(-1)
        ids = ids[(ids >= 0) & (ids < self.votes.shape[0])]
        v = self.votes[ids]
        total = v.sum(axis=1)
        known = total > 0
        if np.count_nonzero(known) < ids.size // 4:
            return None
        share = v[known] / total[known, None]
        exclusive = (share >= 0.9).sum(axis=0)  # cells whose tile belongs to one kind
        mean_share = share.mean(axis=0)
        over = _INDEX[ScreenKind.OVERWORLD]
        exclusive[over] = 0
        best = int(np.argmax(exclusive))
        if exclusive[best] >= 6:
            return KINDS[best], "votes", float(mean_share[best])
        top = int(np.argmax(mean_share))
        return KINDS[top], "votes", float(mean_share[top])

    # ---- persistence -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the mode map and the non-zero votes."""
        rows = np.flatnonzero(self.votes.any(axis=1))
        return {
            "format": 1,
            "mode_map": {str(k): v.value for k, v in self.mode_map.items()},
            "votes": {str(int(r)): [round(float(x), 2) for x in self.votes[r]] for r in rows},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScreenClassifier:
        out = cls({int(k): str(v) for k, v in data.get("mode_map", {}).items()})
        for key, row in data.get("votes", {}).items():
            if int(key) < out.votes.shape[0]:
                out.votes[int(key)] = row
        return out
