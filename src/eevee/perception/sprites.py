"""GBA sprites from OAM: the visible objects' screen boxes, tiles, palettes and flips.

:func:`decode_oam` reads the 128 OAM entries (hidden and off-screen ones dropped);
:class:`~eevee.perception.vram.VramDecoder` redoes only the entries that changed
(:func:`decode_entry`). :func:`sprite_cells` maps sprites onto a tile grid's cells.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from eevee.perception.tilegrid import TileGrid

# sprite sizes (w, h) by [shape][size]
_OBJ_SIZES = np.array(
    [
        [(8, 8), (16, 16), (32, 32), (64, 64)],
        [(16, 8), (32, 8), (32, 16), (64, 32)],
        [(8, 16), (8, 32), (16, 32), (32, 64)],
        [(8, 8), (8, 8), (8, 8), (8, 8)],  # shape 3 is prohibited
    ],
    dtype=np.int16,
)
_SIZES = [[(int(w), int(h)) for w, h in row] for row in _OBJ_SIZES]  # plain ints, per entry


@dataclass(frozen=True)
class Sprite:
    """One visible OAM object: screen box, tile, palette, priority, flips."""

    index: int
    x: int
    y: int
    width: int
    height: int
    tile: int
    palette: int
    priority: int
    hflip: bool
    vflip: bool
    affine: bool

    @property
    def center(self) -> tuple[int, int]:
        return (self.x + self.width // 2, self.y + self.height // 2)


def decode_entry(index: int, a0: int, a1: int, a2: int) -> Sprite | None:
    """One OAM entry (its three attribute halfwords) as a visible :class:`Sprite`, or None
    when it is hidden or off the screen."""
    affine = bool(a0 & 0x100)
    if not affine and a0 & 0x200:
        return None  # hidden
    w, h = _SIZES[(a0 >> 14) & 3][(a1 >> 14) & 3]
    if affine and a0 & 0x200:  # double size
        w, h = 2 * w, 2 * h
    y = a0 & 0xFF
    if y + h > 256:
        y -= 256
    x = a1 & 0x1FF
    if x >= 256:
        x -= 512
    if not (x < 240 and x + w > 0 and y < 160 and y + h > 0):
        return None
    return Sprite(index=index, x=x, y=y, width=w, height=h, tile=a2 & 0x3FF,
                  palette=a2 >> 12, priority=(a2 >> 10) & 3,
                  hflip=bool(not affine and a1 & 0x1000),
                  vflip=bool(not affine and a1 & 0x2000), affine=affine)


def decode_oam(oam: bytes) -> list[Sprite]:
    """Visible sprites of the 128 OAM entries (hidden and off-screen dropped).

    >>> oam = bytearray(0x400)
    >>> for i in range(128): oam[8 * i + 1] = 0x02          # hide all
    >>> oam[0:8] = bytes([72, 0x00, 112, 0x40, 5, 0x04, 0, 0])  # 16×16 at (112, 72)
    >>> s = decode_oam(bytes(oam))[0]
    >>> (s.x, s.y, s.width, s.height, s.tile, s.priority)
    (112, 72, 16, 16, 5, 1)
    """
    out = []
    for i, (a0, a1, a2, _) in enumerate(struct.iter_unpack("<HHHH", oam[:0x400])):
        sprite = decode_entry(i, a0, a1, a2)
        if sprite is not None:
            out.append(sprite)
    return out


def sprite_cells(sprites: list[Sprite], grid: TileGrid) -> np.ndarray:
    """Bool mask of the grid cells that any of ``sprites`` overlaps."""
    rows, cols = grid.shape
    mask = np.zeros((rows, cols), dtype=bool)
    ox, oy = grid.origin
    for s in sprites:
        c0 = max((s.x - ox) // 8, 0)
        r0 = max((s.y - oy) // 8, 0)
        c1 = min((s.x + s.width - 1 - ox) // 8, cols - 1)
        r1 = min((s.y + s.height - 1 - oy) // 8, rows - 1)
        if c1 >= c0 and r1 >= r0:
            mask[r0 : r1 + 1, c0 : c1 + 1] = True
    return mask
