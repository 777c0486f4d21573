"""Exact GBA decode from memory: text backgrounds from VRAM + BGxCNT/scroll, sprites from OAM.

The scroll registers BGxHOFS/BGxVOFS (0x04000010..0x0400001F) are write-only on the real
bus, but the retro backend (mGBA through stable-retro) returns the raw IO block, which
holds the last values the game wrote: ``read_region("io")[0x10:0x20]`` are the scrolls.
(Checked on a probe ROM: after 13 frames of RIGHT+DOWN the block reads 13, 13.)

The background grid has the same form as the pixel path (:class:`TileGrid`, cells aligned
to the fine scroll) and its ids are the screen entries (tile | hflip | vflip | palette)
plus the char base block; two cells have equal ids exactly when the hardware draws them
from the same tile, flips and palette. Sprites are decoded by
:mod:`~eevee.perception.sprites` (its names are importable from here too).

>>> d = VramDecoder()
>>> io = bytearray(0x400); io[0:2] = (0x0100).to_bytes(2, "little")   # mode 0, BG0 on
>>> frame = d.decode(bytes(0x18000), bytes(io), bytes(0x400))
>>> frame.layer, frame.grid.ids.shape, frame.grid.origin, len(frame.sprites)
(0, (20, 30), (0, 0), 0)
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, replace

import numpy as np

from eevee.perception.errors import PerceptionError
from eevee.perception.sprites import Sprite, decode_entry, decode_oam, sprite_cells
from eevee.perception.tilebook import FEATURED
from eevee.perception.tilegrid import TileGrid, colour_flags, origin_from_scroll

__all__ = [
    "COLS",
    "ROWS",
    "Layer",
    "Sprite",
    "VramDecoder",
    "VramFrame",
    "decode_oam",
    "partitions_agree",
    "read_layers",
    "sprite_cells",
]

ROWS, COLS = 20, 30


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


_LAYERS: dict[tuple[int, int, int, int, int], Layer] = {}  # made layers, by registers


def read_layers(io: bytes) -> tuple[int, tuple[Layer, ...]]:
    """(display mode, the four BG layers) from the raw IO block (layers already made for
    the same registers are reused: scrolling changes them every frame)."""
    regs = struct.unpack_from("<16H", io)
    dispcnt = regs[0]
    if len(_LAYERS) > 4096:
        _LAYERS.clear()
    layers = []
    for i in range(4):
        cnt = regs[4 + i]
        key = (i, dispcnt & (0x100 << i), cnt, regs[8 + 2 * i] & 0x1FF, regs[9 + 2 * i] & 0x1FF)
        layer = _LAYERS.get(key)
        if layer is None:
            layer = _LAYERS[key] = Layer(
                index=i,
                enabled=bool(dispcnt & (0x100 << i)),
                priority=cnt & 3,
                char_base=(cnt >> 2) & 3,
                screen_base=(cnt >> 8) & 31,
                bpp8=bool(cnt & 0x80),
                size=(cnt >> 14) & 3,
                scroll=(key[3], key[4]),
            )
        layers.append(layer)
    return dispcnt & 7, tuple(layers)


def _map_index_terms(size: int) -> tuple[np.ndarray, np.ndarray]:
    """u16 offset (from the screen base) of map tile (ty, tx), split as ``rows[ty] +
    cols[tx]`` for a map size (32×32-tile screen blocks laid out row by row)."""
    w = 64 if size & 1 else 32
    h = 64 if size & 2 else 32
    ty, tx = np.arange(h), np.arange(w)
    return ((ty // 32) * (w // 32) * 1024 + (ty % 32) * 32).astype(np.intp), \
        ((tx // 32) * 1024 + tx % 32).astype(np.intp)


_TERMS = {s: _map_index_terms(s) for s in range(4)}
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
        # per content id, a hash of its colours: the same in every run (ids are not)
        self._keys: list[int] = []
        self._key_array = np.zeros(0, np.uint64)
        # content id of every screen entry | char base << 16 | 256 colours << 18 seen (-1:
        # not yet), valid while the character data the entries can reach and the palette
        # stay the same
        self._entry_ids = np.full(1 << 19, -1, np.int32)
        # tile flags by content id (as the pixel path's, from the 64 colours; FEATURED set)
        self._content_flags = np.zeros(1024, np.uint8)
        self._span: tuple[int, int] | None = None  # char data the enabled layers can reach
        self._checked: tuple[bytes, bytes] | None = None  # the regions last found unchanged
        self._cache_span: tuple[int, int] = (0, 0)
        self._cache_chars = b""
        self._cache_pal = b""
        self.invalidations = 0  # how often tiles or colours changed under the cache
        self._last_oam = b""
        self._oam_words = np.zeros(128, np.uint64)  # the last OAM, an entry per word
        self._oam_sprites: list[Sprite | None] = [None] * 128
        self._made_sprites: dict[tuple[int, int, int, int], Sprite | None] = {}
        self._last_sprites: list[Sprite] = []
        self._last_regs = b""
        # the last frame's inputs and decode: an unchanged background is not decoded again
        self._last_in: tuple[bytes, bytes, bytes | None] | None = None
        self._last_frame: VramFrame | None = None
        self._last_layers: tuple[int, tuple[Layer, ...]] = (0, ())
        self._chosen: Layer | None = None
        self._index_key: tuple[int, ...] = ()
        self._index = np.zeros((ROWS, COLS), np.intp)

    def layer_entries(self, vram16: np.ndarray, layer: Layer) -> tuple[np.ndarray, tuple[int, int]]:
        """(ids (20, 30), origin) of ``layer`` for the visible cells: screen entries (int32)
        with the char base block in bits 16..17 (no palette bank in 256-colour mode)."""
        sx, sy = layer.scroll
        origin = origin_from_scroll(sx, sy)
        index = self._map_index(layer, (sx + origin[0]) // 8, (sy + origin[1]) // 8)
        entries = vram16.take(index).astype(np.int32)
        if layer.bpp8:
            entries &= 0x0FFF  # no palette bank in 256-colour mode
        if layer.char_base:
            entries |= layer.char_base << 16
        return entries, origin

    def _map_index(self, layer: Layer, tx0: int, ty0: int) -> np.ndarray:
        """u16 index into VRAM of the visible map entries, kept while the layer's map and
        its coarse scroll stay the same (fine scrolling reuses it)."""
        key = (layer.size, layer.screen_base, tx0, ty0)
        if key != self._index_key:
            rows, cols = _TERMS[layer.size]
            self._index = np.add.outer(
                rows.take(ty0 + self._rows[:ROWS], mode="wrap") + layer.screen_base * 1024,
                cols.take(tx0 + self._cols[:COLS], mode="wrap"))
            self._index_key = key
        return self._index

    def canonical(self, entries: np.ndarray, vram: bytes, palette: bytes, bpp8: bool,
                  char_base: int | None = None,
                  span: tuple[int, int] | None = None) -> np.ndarray:
        """Ids by drawn content: entries that draw the same 64 colours get the same id
        (a tile duplicated in VRAM, a flip of a symmetric tile, a blank in two palettes).
        ``char_base``: the block of every entry when known (one layer's), else read from
        the entries; ``span``: the (start, end) of the character data to watch, when
        several layers share the cache (else the entries' blocks).

        Entry → id answers are kept (a table indexed by entry, one gather per frame) while
        the character data and the palette stay the same; the colours of new entries are
        decoded together (gathers, no loop per pixel)."""
        flat = entries.reshape(-1)
        if not flat.size:
            return entries.copy()
        if span is None:
            first, last = (char_base, char_base) if char_base is not None else (
                int(flat.min() >> 16), int(flat.max() >> 16))
            span = (first * 0x4000, min(len(vram), last * 0x4000 + (
                0x10000 if bpp8 else 0x8000)))
        lo, hi = span
        # checked already for these very (immutable) regions: the layers of one frame
        checked = self._checked is not None and self._checked[0] is vram \
            and self._checked[1] is palette and span == self._cache_span
        if not checked and (span != self._cache_span or not _same(vram, lo, self._cache_chars)
                            or not _same(palette, 0, self._cache_pal)):  # tiles/colours changed
            self._cache_span = span
            self._cache_chars, self._cache_pal = bytes(vram[lo:hi]), bytes(palette[:0x200])
            self._entry_ids.fill(-1)
            self.invalidations += 1
        if isinstance(vram, bytes) and isinstance(palette, bytes):
            self._checked = (vram, palette)
        if bpp8:
            flat = flat | (1 << 18)
        table = self._entry_ids
        ids = table.take(flat)
        if ids.min() < 0:
            new = np.unique(flat[ids < 0])
            table[new] = self._content_ids(new.astype(np.int64), vram, palette, bpp8)
            ids = table.take(flat)
        return ids.reshape(entries.shape)

    def layer_cells(self, vram16: np.ndarray, layer: Layer, vram: bytes,
                    palette: bytes) -> TileGrid:
        """The grid of one text layer by content ids, with their tile flags (what the
        screen classifier looks for boxes on)."""
        entries, origin = self.layer_entries(vram16, layer)
        ids = self.canonical(entries, vram, palette, layer.bpp8, layer.char_base,
                             self._span)
        return TileGrid(ids=ids, origin=origin, scroll=layer.scroll, source="vram",
                        flags=self._content_flags.take(ids))

    def cells(self, frame: VramFrame, vram: bytes, palette: bytes) -> list[TileGrid] | None:
        """The content grids (with tile flags) of ``frame``'s enabled layers, front first,
        from the regions it was decoded from; None where layers are not all text layers
        (affine or bitmap modes: look at the pixels instead)."""
        if frame.vram16 is None or frame.mode > 1:
            return None
        out = []
        for ly in sorted(frame.layers, key=lambda ly: (ly.priority, ly.index)):
            if not ly.enabled:
                continue
            if frame.mode == 1 and ly.index >= 2:
                return None  # the affine layer
            if ly.index == frame.layer:  # decoded already
                g = frame.grid
                out.append(TileGrid(ids=g.ids, origin=g.origin, scroll=g.scroll,
                                    source="vram", flags=self._content_flags.take(g.ids)))
            else:
                out.append(self.layer_cells(frame.vram16, ly, vram, palette))
        return out

    def keys_of(self, ids: np.ndarray) -> np.ndarray:
        """The content hashes (uint64, 0 where unknown) of content ids ``ids``: what a
        tile is, numbered the same in every run."""
        keys = self._key_array
        if keys.size != len(self._keys):  # (new content since: the table grows)
            keys = self._key_array = np.array(self._keys, np.uint64)
        out = np.zeros(ids.shape, np.uint64)
        ok = (ids >= 0) & (ids < keys.size)
        out[ok] = keys[ids[ok]]
        return out

    def _content_ids(self, new: np.ndarray, vram: bytes, palette: bytes, bpp8: bool) -> np.ndarray:
        """Content ids of the (sorted, distinct) screen entries ``new`` (new content gets
        its tile flags)."""
        pal = np.frombuffer(palette, dtype="<u2", count=256)
        mem = np.frombuffer(vram, np.uint8)
        tile, bank, cb = new & 0x3FF, (new >> 12) & 15, (new >> 16) & 3
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
        first_new = len(content)
        out = np.empty(new.size, np.int32)
        fresh: list[int] = []
        for k in range(new.size):
            key = colours[k].tobytes()
            cid = content.get(key)
            if cid is None:
                cid = content[key] = len(content)
                fresh.append(k)
                self._keys.append(int.from_bytes(
                    hashlib.blake2b(key, digest_size=8).digest(), "little") | 1)
            out[k] = cid
        if fresh:  # flags of the new content, from its colours (as the pixel path's)
            need = len(content)
            if need > self._content_flags.size:
                grown = np.zeros(max(need, 2 * self._content_flags.size), np.uint8)
                grown[: self._content_flags.size] = self._content_flags
                self._content_flags = grown
            flags = colour_flags(colours[fresh].reshape(-1, 8, 8)) | FEATURED
            self._content_flags[first_new : first_new + len(fresh)] = flags
        return out

    def _sprites(self, oam: bytes) -> list[Sprite]:
        """:func:`decode_oam`, redoing only the entries that changed since the last call."""
        if oam == self._last_oam:  # bytes: one memcmp
            return list(self._last_sprites)
        self._last_oam = bytes(oam)
        words = np.frombuffer(oam, dtype="<u8", count=128)
        changed = np.flatnonzero(words != self._oam_words).tolist()
        if changed:
            self._oam_words[:] = words
            sprites, made = self._oam_sprites, self._made_sprites
            if len(made) > 4096:
                made.clear()
            for i in changed:
                key = (i, *struct.unpack_from("<HHH", oam, 8 * i))
                if key in made:  # animations cycle through a few entries: reuse
                    sprites[i] = made[key]
                else:
                    sprites[i] = made[key] = decode_entry(*key)
            self._last_sprites = list(filter(None, sprites))
        return list(self._last_sprites)

    def _choose(self, mode: int, layers: tuple[Layer, ...]) -> Layer | None:
        """The layer whose grid :meth:`decode` gives (see the class doc)."""
        if self.layer is not None:
            return layers[self.layer]
        text = [ly for ly in layers if ly.enabled and (mode == 0 or (mode == 1 and ly.index < 2))]
        if not text:
            return None
        # the layer drawn at the back: the map, under text boxes and banners
        return max(text, key=lambda ly: (ly.priority, ly.index))

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
        last = self._last_in
        if (last is not None and self._last_frame is not None and _same(io, 0, last[1])
                and vram == last[0] and (palette == last[2])):
            # the same tiles, registers and colours (two frames in three on a map where
            # the player stands or walks): the same grid; only the sprites may differ
            dispcnt = int.from_bytes(io[0:2], "little")
            spr = self._sprites(oam) if sprites and dispcnt & 0x1000 else []
            return replace(self._last_frame, sprites=spr)
        frame = self._decode(vram, io, oam, palette, sprites)
        self._last_in = (vram if isinstance(vram, bytes) else bytes(vram), bytes(io[:0x60]),
                         None if palette is None else bytes(palette))
        self._last_frame = frame
        return frame

    def _decode(self, vram: bytes, io: bytes, oam: bytes, palette: bytes | None,
                sprites: bool) -> VramFrame:
        regs = io[:0x40]
        if regs != self._last_regs:  # registers changed (scrolling): layers read again
            mode, layers = read_layers(io)
            self._last_regs, self._last_layers = regs, (mode, layers)
            self._chosen = self._choose(mode, layers)
            text = [ly for ly in layers if ly.enabled and ly.index < (4 if mode == 0 else 2)]
            self._span = (min(ly.char_base for ly in text) * 0x4000, min(len(vram), max(
                ly.char_base * 0x4000 + (0x10000 if ly.bpp8 else 0x8000) for ly in text))) \
                if text else None
        mode, layers = self._last_layers
        chosen = self._chosen
        dispcnt = int.from_bytes(io[0:2], "little")
        vram16 = np.frombuffer(vram, dtype="<u2", count=0x8000)
        if chosen is None:
            entries, origin = np.full((ROWS, COLS), -1, np.int32), (0, 0)
        else:
            entries, origin = self.layer_entries(vram16, chosen)
        if palette is not None and chosen is not None:
            entries = self.canonical(entries, vram, palette, chosen.bpp8, chosen.char_base,
                                     self._span)
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


def _same(data: bytes, start: int, kept: bytes) -> bool:
    """Whether ``data`` holds ``kept`` at ``start``: a memcmp, no copy (memoryview
    compares go item by item)."""
    if isinstance(data, (bytes, bytearray)):
        return data.startswith(kept, start)
    return bytes(data[start : start + len(kept)]) == kept



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
