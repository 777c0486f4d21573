"""Frame pixels as packed colours: one uint32 ``r | g << 8 | b << 16`` per pixel, read
straight from an RGB frame's bytes, and the one-colour runs along packed lines.

The box finders (:mod:`~eevee.perception.boxes`, :mod:`~eevee.perception.tileboxes`)
compare colours this way: one integer compare per pixel instead of three.

>>> f = np.zeros((2, 4, 3), np.uint8); f[1, 2] = (255, 0, 1)
>>> [hex(int(c)) for c in pack_lines(f, step=1)[1]]
['0x0', '0x0', '0x100ff', '0x0']
"""

from __future__ import annotations

import numpy as np

_MASK24 = np.uint32(0xFFFFFF)


def contiguous(frame: np.ndarray) -> np.ndarray:
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
    frame = contiguous(frame)
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


def pack_rows(frame: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """:func:`pack_grid` of whole frame lines ``rows`` (sorted pixel rows), one gather."""
    frame = contiguous(frame)
    h, w = frame.shape[:2]
    if rows.size and int(rows[-1]) < h - 1:
        view = np.ndarray((h - 1, w), "<u4", buffer=frame, strides=(w * 3, 3))
        out: np.ndarray = view[rows]
        out &= _MASK24
        return out
    sub = frame[rows].astype(np.uint32)
    return sub[..., 0] | (sub[..., 1] << 8) | (sub[..., 2] << 16)


def runs_packed(u: np.ndarray, min_len: int, step: int) -> tuple[np.ndarray, ...]:
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



def long_runs(frame: np.ndarray, min_len: int, step: int = 2) -> tuple[np.ndarray, ...]:
    """Horizontal runs of one colour at least ``min_len`` long on every ``step``-th line:
    (y, x0, x1) arrays, ordered by y then x0.

    >>> f = np.zeros((4, 100, 3), np.uint8); f[2, 10:70] = 9
    >>> [a.tolist() for a in long_runs(f, 50)]
    [[0, 2], [0, 10], [100, 70]]
    """
    return runs_packed(pack_lines(frame, step), min_len, step)
