"""Exact Game Boy decode from memory: the background from VRAM + LCDC/SCX/SCY, sprites
from OAM — the GB counterpart of :class:`~eevee.perception.vram.VramDecoder`.

Registers (the ``io`` block from 0xFF00): LCDC (0x40: bit 7 display on, 4 tile data at
0x8000 unsigned else 0x8800 signed, 3 background map at 0x9C00 else 0x9800, 2 sprites
8×16, 0 background on; bit 1, sprites on, is not read: see ``GbDecoder._sprites``),
SCY/SCX (0x42/0x43, 8 bits: they wrap every 256 pixels), BGP (0x47: a game fades by
rewriting it). The background map is 32×32 tiles; the
grid is the 18×20 tiles the screen shows (cells aligned to the fine scroll, as on the
GBA), its ids are content ids — tiles with the same 16 bytes of pixel data have the same
id whatever their index in VRAM — and :meth:`GbDecoder.keys_of` gives their content
hashes, the same in every run. Sprites: the 40 OAM entries (y+16, x+8, tile, flags).

>>> d = GbDecoder()
>>> io = bytearray(0x80); io[0x40] = 0x93      # display, 0x8000 tiles, sprites, background
>>> oam = bytearray(0xA0); oam[0:4] = bytes([16 + 40, 8 + 32, 1, 0])
>>> f = d.decode(bytes(0x2000), bytes(io), bytes(oam))
>>> f.grid.ids.shape, f.grid.scroll, [(s.x, s.y, s.width, s.height) for s in f.sprites]
((18, 20), (0, 0), [(32, 40, 8, 8)])
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from eevee.perception.errors import PerceptionError
from eevee.perception.sprites import Sprite
from eevee.perception.tilegrid import TileGrid, origin_from_scroll
from eevee.perception.vram import Layer, VramFrame

ROWS, COLS = 18, 20
WRAP = 256  # the scroll registers count to this and start again
_LCDC, _SCY, _SCX, _BGP, _WY, _WX = 0x40, 0x42, 0x43, 0x47, 0x4A, 0x4B


class GbDecoder:
    """Decodes GB VRAM/IO/OAM into a tile grid and sprites (see the module doc)."""

    def __init__(self) -> None:
        self._content: dict[bytes, int] = {}  # 16 bytes of tile data -> content id
        self._keys: list[int] = []  # per content id, its hash
        self._key_array = np.zeros(0, np.uint64)
        self._tiles = b""  # the tile data the table below was made from
        self._tile_ids = np.zeros(384, np.int32)  # content id of each VRAM tile
        self._rows = np.arange(ROWS)
        self._cols = np.arange(COLS)
        self._last: tuple[bytes, bytes, bytes] | None = None
        self._frame: VramFrame | None = None

    def decode(self, vram: bytes, io: bytes, oam: bytes, *, palette: bytes | None = None,
               sprites: bool = True) -> VramFrame:
        """Decode one frame from ``read_region('vram'/'io'/'oam')`` (``palette``: unused,
        the GB has none in memory; for the GBA decoder's signature)."""
        if len(vram) < 0x2000 or len(io) < 0x4C or len(oam) < 0xA0:
            raise PerceptionError(f"need GB vram (8 KiB), io (128 bytes) and oam (160 "
                                  f"bytes); got {len(vram)}, {len(io)}, {len(oam)} bytes")
        regs = bytes(io[_LCDC:_WX + 1])
        if self._last is not None and self._frame is not None and regs == self._last[1] \
                and vram == self._last[0]:
            # the same tiles and registers: the same grid; only the sprites may differ
            if oam == self._last[2]:
                return self._frame
            frame = replace(self._frame, sprites=self._sprites(io, oam) if sprites else [])
        else:
            frame = self._decode(vram, io, oam, sprites)
        self._last, self._frame = (bytes(vram), regs, bytes(oam)), frame
        return frame

    def _decode(self, vram: bytes, io: bytes, oam: bytes, sprites: bool) -> VramFrame:
        lcdc, scx, scy, bgp = io[_LCDC], io[_SCX], io[_SCY], io[_BGP]
        if vram[:0x1800] != self._tiles:  # (tiles changed: their ids again)
            self._tiles = bytes(vram[:0x1800])
            self._tile_ids = np.array([self._content_id(self._tiles[i * 16:i * 16 + 16])
                                       for i in range(384)], np.int32)
        origin = origin_from_scroll(scx, scy)
        base = 0x1C00 if lcdc & 0x08 else 0x1800
        tmap = np.frombuffer(vram, np.uint8, count=0x400, offset=base).reshape(32, 32)
        rows = (self._rows + (scy + origin[1]) // 8) % 32
        cols = (self._cols + (scx + origin[0]) // 8) % 32
        index = tmap[np.ix_(rows, cols)].astype(np.int32)
        if not lcdc & 0x10:  # (tiles at 0x8800: signed indices from 0x9000)
            index = 256 + (index ^ 0x80) - 128
        ids = self._tile_ids.take(index) if lcdc & 0x01 else np.full((ROWS, COLS), -1,
                                                                      np.int32)
        grid = TileGrid(ids=ids, origin=origin, scroll=(scx, scy), source="vram", wrap=WRAP)
        layers = (Layer(0, bool(lcdc & 0x01), 1, 0, (base - 0x1800) // 0x400, False, 0,
                        (scx, scy)),
                  Layer(1, bool(lcdc & 0x20), 0, 0, 1 if lcdc & 0x40 else 0, False, 0,
                        (-(io[_WX] - 7), -io[_WY])))
        return VramFrame(grid=grid, layer=0, layers=layers,
                         sprites=self._sprites(io, oam) if sprites else [], mode=0,
                         blank=not lcdc & 0x80,
                         # (a fade rewrites the palette: all white, or all black)
                         brightness=16 if bgp == 0x00 else -16 if bgp == 0xFF else 0)

    def _content_id(self, data: bytes) -> int:
        cid = self._content.get(data)
        if cid is None:
            cid = self._content[data] = len(self._keys)
            self._keys.append(int.from_bytes(
                hashlib.blake2b(data, digest_size=8).digest(), "little") | 1)
        return cid

    def _sprites(self, io: bytes, oam: bytes) -> list[Sprite]:
        # LCDC's sprites-on bit is not read: the registers are read after the frame, and
        # a game that hides sprites behind a HUD clears that bit at a scanline below the
        # map and sets it again at the next frame's top (GB Studio does); a sprite a game
        # hides is moved off screen
        lcdc = io[_LCDC]
        tall = 16 if lcdc & 0x04 else 8
        out = []
        for i in range(40):
            y, x, tile, flags = oam[4 * i:4 * i + 4]
            if not (0 < y < 160 and 0 < x < 168):
                continue  # (off screen: the way a game hides a sprite)
            out.append(Sprite(i, x - 8, y - 16, 8, tall, tile, (flags >> 4) & 1,
                              (flags >> 7) & 1, bool(flags & 0x20), bool(flags & 0x40),
                              False))
        return out

    def keys_of(self, ids: np.ndarray) -> np.ndarray:
        """The content hashes (uint64, 0 where unknown) of content ids ``ids``."""
        keys = self._key_array
        if keys.size != len(self._keys):
            keys = self._key_array = np.array(self._keys, np.uint64)
        out = np.zeros(ids.shape, np.uint64)
        ok = (ids >= 0) & (ids < keys.size)
        out[ok] = keys.take(ids[ok])
        return out

    def cells(self, frame: VramFrame, vram: bytes, palette: bytes) -> list[TileGrid] | None:
        """(the screen classifier looks at the pixels on the GB)"""
        return None
