"""Exact GBA decode from memory: text backgrounds from VRAM + BGxCNT/scroll, sprites from OAM.

The scroll registers BGxHOFS/BGxVOFS (0x04000010..0x0400001F) are write-only on the real
bus, but the retro backend (mGBA through stable-retro) returns the raw IO block, which
holds the last values the game wrote: ``read_region("io")[0x10:0x20]`` are the scrolls.
(Checked on a probe ROM: after 13 frames of RIGHT+DOWN the block reads 13, 13.)

The background grid has the same form as the pixel path (:class:`TileGrid`, cells aligned
to the fine scroll) and its ids are the screen entries (tile | hflip | vflip | palette)
plus the char base block; two cells have equal ids exactly when the hardware draws them
from the same tile, flips and palette.

>>> d = VramDecoder()
>>> io = bytearray(0x400); io[0:2] = (0x0100).to_bytes(2, "little")   # mode 0, BG0 on
>>> frame = d.decode(bytes(0x18000), bytes(io), bytes(0x400))
>>> frame.layer, frame.grid.ids.shape, frame.grid.origin, len(frame.sprites)
(0, (20, 30), (0, 0), 0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eevee.perception.errors import PerceptionError
from eevee.perception.tilegrid import TileGrid, origin_from_scroll

ROWS, COLS = 20, 30
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


@dataclass(frozen=True)
class Layer:
    """One text background's control register, decoded."""

    index: int
    enabled: bool
    priority: int
    char_base: int  # 16 KiB block
    screen_base: int  # 2 KiB block
    bpp8: bool
    size: int  # 0: 32×32, 1: 64×32, 2: 32×64, 3: 64×64 tiles
    scroll: tuple[int, int]

    @property
    def map_size(self) -> tuple[int, int]:
        """(width, height) of the map in tiles."""
        return (64 if self.size & 1 else 32, 64 if self.size & 2 else 32)


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


@dataclass
class VramFrame:
    """The decode of one frame: the chosen layer's grid, all layers, visible sprites."""

    grid: TileGrid
    layer: int
    layers: tuple[Layer, ...]
    sprites: list[Sprite]
    mode: int
    blank: bool
    brightness: int  # BLDY fade level 0..16, signed: + to white, - to black, 0 none
    vram16: np.ndarray | None = None

    def covered(self, decoder: VramDecoder) -> np.ndarray:
        """Bool mask of :attr:`grid` cells that a layer drawn on top of the chosen one
        covers with a non-blank tile (a text box, a banner); tile 0 counts as blank."""
        rows, cols = self.grid.shape
        out = np.zeros((rows, cols), dtype=bool)
        if self.layer < 0 or self.vram16 is None:
            return out
        me = self.layers[self.layer]
        pix = np.zeros((160 + 16, 240 + 16), dtype=bool)
        for ly in self.layers:
            if not ly.enabled or ly.index == me.index or (ly.priority, ly.index) > (
                me.priority, me.index
            ):
                continue
            entries, (ox, oy) = decoder.layer_entries(self.vram16, ly)
            solid = (entries & 0x3FF) != 0
            big = np.repeat(np.repeat(solid, 8, axis=0), 8, axis=1)  # (160, 240)
            pix[oy : oy + 160, ox : ox + 240] |= big[: 160, : 240]
        gx, gy = self.grid.origin
        cells = pix[gy : gy + rows * 8, gx : gx + cols * 8]
        out[:] = cells.reshape(rows, 8, cols, 8).any(axis=(1, 3))
        return out


def read_layers(io: bytes) -> tuple[int, tuple[Layer, ...]]:
    """(display mode, the four BG layers) from the raw IO block."""
    regs = np.frombuffer(io, dtype="<u2", count=0x20)
    dispcnt = int(regs[0])
    layers = []
    for i in range(4):
        cnt = int(regs[4 + i])
        layers.append(
            Layer(
                index=i,
                enabled=bool(dispcnt & (0x100 << i)),
                priority=cnt & 3,
                char_base=(cnt >> 2) & 3,
                screen_base=(cnt >> 8) & 31,
                bpp8=bool(cnt & 0x80),
                size=(cnt >> 14) & 3,
                scroll=(int(regs[8 + 2 * i]) & 0x1FF, int(regs[9 + 2 * i]) & 0x1FF),
            )
        )
    return dispcnt & 7, tuple(layers)


def _map_index_table(size: int) -> np.ndarray:
    """u16 offset (from the screen base) of every map tile (ty, tx) for a map size."""
    w = 64 if size & 1 else 32
    h = 64 if size & 2 else 32
    ty, tx = np.mgrid[0:h, 0:w]
    block = (ty // 32) * (w // 32) + (tx // 32)
    return (block * 1024 + (ty % 32) * 32 + (tx % 32)).astype(np.intp)


_TABLES = {s: _map_index_table(s) for s in range(4)}
_SPAN32 = np.arange(32)
_SPAN64 = np.arange(64)
_CELL = np.arange(64).reshape(8, 8)
# pixel order of a tile drawn with flips (hflip | vflip << 1)
_FLIPS = np.stack([_CELL, _CELL[:, ::-1], _CELL[::-1, :], _CELL[::-1, ::-1]]).reshape(4, 64)


class VramDecoder:
    """Decodes GBA VRAM/IO/OAM into tile grids and sprites, with precomputed tables.

    ``layer``: which text background gives :attr:`VramFrame.grid`; None picks the enabled
    text layer drawn at the back (largest priority number): the map, not the text box.
    """

    def __init__(self, layer: int | None = None) -> None:
        self.layer = layer
        self._rows = np.arange(ROWS + 1)
        self._cols = np.arange(COLS + 1)
        self._content: dict[bytes, int] = {}
        self._entry_keys = np.zeros(0, np.int64)  # sorted screen entries seen ...
        self._entry_ids = np.zeros(0, np.int32)  # ... and their content ids
        self._cache_span: tuple[int, int, bool] = (0, 0, False)
        self._cache_chars = b""
        self._cache_pal = b""
        self.invalidations = 0  # how often tiles or colours changed under the cache
        self._last_oam = b""
        self._last_sprites: list[Sprite] = []
        self._last_regs = b""
        self._last_layers: tuple[int, tuple[Layer, ...]] = (0, ())

    def layer_entries(self, vram16: np.ndarray, layer: Layer) -> tuple[np.ndarray, tuple[int, int]]:
        """(ids (20, 30), origin) of ``layer`` for the visible cells."""
        sx, sy = layer.scroll
        origin = origin_from_scroll(sx, sy)
        w, h = layer.map_size
        tx0 = (sx + origin[0]) // 8
        ty0 = (sy + origin[1]) // 8
        table = _TABLES[layer.size]
        rows = (ty0 + self._rows[:ROWS]) % h
        cols = (tx0 + self._cols[:COLS]) % w
        index = table[rows[:, None], cols[None, :]] + layer.screen_base * 1024
        entries = vram16[index].astype(np.int32)
        if layer.bpp8:
            entries &= 0x0FFF  # no palette bank in 256-colour mode
        entries |= layer.char_base << 16
        return entries, origin

    def canonical(self, entries: np.ndarray, vram: bytes, palette: bytes, bpp8: bool) -> np.ndarray:
        """Ids by drawn content: entries that draw the same 64 colours get the same id
        (a tile duplicated in VRAM, a flip of a symmetric tile, a blank in two palettes).

        Entry → id answers are kept (sorted arrays, one ``searchsorted`` per frame) while
        the character data the entries can reach and the palette stay the same; the
        colours of new entries are decoded together (gathers, no loop per pixel)."""
        flat = entries.reshape(-1)
        cbs = np.unique(flat >> 16) if flat.size else flat[:0]
        lo = int(cbs[0]) * 0x4000 if cbs.size else 0
        hi = min(len(vram), int(cbs[-1]) * 0x4000 + (0x10000 if bpp8 else 0x8000)) \
            if cbs.size else 0
        chars, pals = vram[lo:hi], palette[:0x200]
        if (lo, hi, bpp8) != self._cache_span or chars != self._cache_chars \
                or pals != self._cache_pal:  # tiles or colours changed
            self._cache_span = (lo, hi, bpp8)
            self._cache_chars, self._cache_pal = chars, pals
            self._entry_keys = np.zeros(0, np.int64)
            self._entry_ids = np.zeros(0, np.int32)
            self.invalidations += 1
        keys = self._entry_keys
        wide = flat.astype(np.int64)
        if keys.size:
            pos = np.searchsorted(keys, wide)
            np.minimum(pos, keys.size - 1, out=pos)
            found = keys[pos] == wide
        else:
            pos = np.zeros(wide.size, np.intp)
            found = np.zeros(wide.size, bool)
        if not found.all():
            new = np.unique(wide[~found])
            ids = self._content_ids(new, vram, palette, bpp8)
            merged = np.concatenate([keys, new])
            order = np.argsort(merged, kind="stable")
            self._entry_keys = merged[order]
            self._entry_ids = np.concatenate([self._entry_ids, ids])[order]
            keys = self._entry_keys
            pos = np.searchsorted(keys, wide)
        return self._entry_ids[pos].reshape(entries.shape)

    def _content_ids(self, new: np.ndarray, vram: bytes, palette: bytes, bpp8: bool) -> np.ndarray:
        """Content ids of the (sorted, distinct) screen entries ``new``."""
        pal = np.frombuffer(palette, dtype="<u2", count=256)
        mem = np.frombuffer(vram, np.uint8)
        tile, bank, cb = new & 0x3FF, (new >> 12) & 15, new >> 16
        flips = ((new >> 10) & 3).astype(np.intp)
        if bpp8:
            idx = mem[(cb * 0x4000 + tile * 64)[:, None] + _SPAN64].astype(np.intp)
            colours = np.where(idx == 0, pal[0], pal[idx])
        else:
            raw = mem[(cb * 0x4000 + tile * 32)[:, None] + _SPAN32]
            idx = np.empty((new.size, 64), np.intp)
            idx[:, 0::2] = raw & 15
            idx[:, 1::2] = raw >> 4
            colours = np.where(idx == 0, pal[0], pal[(bank * 16)[:, None] + idx])
        colours = np.take_along_axis(colours, _FLIPS[flips], axis=1).astype("<u2")
        content = self._content
        out = np.empty(new.size, np.int32)
        for k in range(new.size):
            key = colours[k].tobytes()
            cid = content.get(key)
            if cid is None:
                cid = content[key] = len(content)
            out[k] = cid
        return out

    def _sprites(self, oam: bytes) -> list[Sprite]:
        """:func:`decode_oam`, reusing the last answer while OAM is unchanged."""
        if oam != self._last_oam:
            self._last_oam, self._last_sprites = bytes(oam), decode_oam(oam)
        return list(self._last_sprites)

    def decode(
        self,
        vram: bytes,
        io: bytes,
        oam: bytes,
        *,
        palette: bytes | None = None,
        sprites: bool = True,
    ) -> VramFrame:
        """Decode one frame from the raw regions (``read_region('vram'/'io'/'oam')``).

        With ``palette`` the grid ids are content ids (see :meth:`canonical`); without,
        they are the raw screen entries."""
        if len(vram) < 0x10000 or len(io) < 0x60 or len(oam) < 0x400:
            raise PerceptionError(
                f"need GBA vram (96 KiB), io (1 KiB) and oam (1 KiB); got {len(vram)}, "
                f"{len(io)}, {len(oam)} bytes"
            )
        regs = io[:0x40]
        if regs != self._last_regs:
            self._last_regs, self._last_layers = regs, read_layers(io)
        mode, layers = self._last_layers
        dispcnt = int.from_bytes(io[0:2], "little")
        vram16 = np.frombuffer(vram, dtype="<u2", count=0x8000)
        text = [ly for ly in layers if ly.enabled and (mode == 0 or (mode == 1 and ly.index < 2))]
        chosen: Layer | None = None
        if self.layer is not None:
            chosen = layers[self.layer]
            entries, origin = self.layer_entries(vram16, chosen)
        elif not text:
            entries, origin = np.full((ROWS, COLS), -1, np.int32), (0, 0)
        elif len(text) == 1:
            chosen = text[0]
            entries, origin = self.layer_entries(vram16, chosen)
        else:  # the layer drawn at the back: the map, under text boxes and banners
            chosen = max(text, key=lambda ly: (ly.priority, ly.index))
            entries, origin = self.layer_entries(vram16, chosen)
        if palette is not None and chosen is not None:
            entries = self.canonical(entries, vram, palette, chosen.bpp8)
        grid = TileGrid(
            ids=entries,
            origin=origin,
            scroll=chosen.scroll if chosen is not None else None,
            source="vram",
        )
        bldcnt = int.from_bytes(io[0x50:0x52], "little")
        bldy = int.from_bytes(io[0x54:0x56], "little") & 31
        effect = (bldcnt >> 6) & 3
        brightness = min(bldy, 16) * (1 if effect == 2 else -1 if effect == 3 else 0)
        return VramFrame(
            grid=grid,
            layer=chosen.index if chosen is not None else -1,
            layers=layers,
            sprites=self._sprites(oam) if sprites and dispcnt & 0x1000 else [],
            mode=mode,
            blank=bool(dispcnt & 0x80),
            brightness=brightness,
            vram16=vram16,
        )


def decode_oam(oam: bytes) -> list[Sprite]:
    """Visible sprites of the 128 OAM entries (vectorised; hidden and off-screen dropped).

    >>> oam = bytearray(0x400)
    >>> for i in range(128): oam[8 * i + 1] = 0x02          # hide all
    >>> oam[0:8] = bytes([72, 0x00, 112, 0x40, 5, 0x04, 0, 0])  # 16×16 at (112, 72)
    >>> s = decode_oam(bytes(oam))[0]
    >>> (s.x, s.y, s.width, s.height, s.tile, s.priority)
    (112, 72, 16, 16, 5, 1)
    """
    a = np.frombuffer(oam, dtype="<u2", count=512).reshape(128, 4)
    a0, a1, a2 = a[:, 0].astype(np.int32), a[:, 1].astype(np.int32), a[:, 2].astype(np.int32)
    affine = (a0 & 0x100) != 0
    hidden = ~affine & ((a0 & 0x200) != 0)
    shape = (a0 >> 14) & 3
    size = (a1 >> 14) & 3
    wh = _OBJ_SIZES[shape, size].astype(np.int32)
    double = affine & ((a0 & 0x200) != 0)
    w = wh[:, 0] * (1 + double)
    h = wh[:, 1] * (1 + double)
    y = a0 & 0xFF
    y = np.where(y + h > 256, y - 256, y)
    x = a1 & 0x1FF
    x = np.where(x >= 256, x - 512, x)
    visible = ~hidden & (x < 240) & (x + w > 0) & (y < 160) & (y + h > 0)
    out = []
    for i in np.flatnonzero(visible):
        out.append(
            Sprite(
                index=int(i),
                x=int(x[i]),
                y=int(y[i]),
                width=int(w[i]),
                height=int(h[i]),
                tile=int(a2[i] & 0x3FF),
                palette=int(a2[i] >> 12),
                priority=int((a2[i] >> 10) & 3),
                hflip=bool(not affine[i] and a1[i] & 0x1000),
                vflip=bool(not affine[i] and a1[i] & 0x2000),
                affine=bool(affine[i]),
            )
        )
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


def partitions_agree(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> bool:
    """True when ``a`` and ``b`` split the (masked) cells into the same classes of equal ids,
    i.e. a bijection maps one's ids to the other's.

    >>> partitions_agree(np.array([[1, 1, 2]]), np.array([[7, 7, 3]]))
    True
    >>> partitions_agree(np.array([[1, 1, 2]]), np.array([[7, 3, 3]]))
    False
    """
    x = a[mask] if mask is not None else a.reshape(-1)
    y = b[mask] if mask is not None else b.reshape(-1)
    pairs = np.unique(np.stack([x.astype(np.int64), y.astype(np.int64)]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))
