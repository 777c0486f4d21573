"""Framed boxes (text boxes, menus, battle panels) found on a frame's pixels.

:func:`find_boxes` is the rule at pixel precision; :class:`BoxFinder` remembers the last
frame's answer. The tile-grid version (:mod:`~eevee.perception.tileboxes`) is faster and
used whenever a grid with tile flags exists.
"""

from __future__ import annotations

import numpy as np

from eevee.perception.packing import contiguous, pack_grid, pack_rows, runs_packed

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) in screen pixels

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
    u = pack_rows(frame, rows * step)
    y, x0, x1 = runs_packed(u, min_len, 1)
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
        frame = contiguous(frame)
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
