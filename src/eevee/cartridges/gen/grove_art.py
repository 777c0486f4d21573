"""Art for the ``grove`` Game Boy cartridge: text pixel art and the font → 2bpp tiles.

``tiles.txt`` holds 16x16 map cells (with their map character and whether they are
walkable), 8x8 interface tiles and 16x16 sprites; ``font.txt`` a 5x7 font (lower case
letters may use an 8th row for descenders). :func:`allocate` lays every tile out in
video memory: background tiles 0x00..0x7F sit at 0x9000 (the font at its ASCII codes)
and 0x80..0xFF at 0x8800 (LCDC bit 4 clear), sprite tiles at 0x8000.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_SHADES = {".": 0, "-": 1, "+": 2, "#": 3}

Pixels = list[list[int]]


@dataclass(frozen=True)
class Art:
    kind: str  # "cell", "tile" or "sprite"
    name: str
    pixels: Pixels
    char: str = ""  # cells: the map character
    walkable: bool = False  # cells: the player may stand on it


@dataclass
class TileSet:
    """Where every tile went: background indices, sprite indices and the raw 2bpp data."""

    bg: dict[int, bytes] = field(default_factory=dict)  # index -> 16 bytes
    sprites: list[bytes] = field(default_factory=list)  # sprite tile n at 0x8000 + 16n
    cell_tiles: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # TL TR BL BR
    ui: dict[str, int] = field(default_factory=dict)  # interface tile name -> index
    sprite_base: dict[str, int] = field(default_factory=dict)  # sprite name -> first tile
    logo: dict[str, tuple[int, ...]] = field(default_factory=dict)  # big letter -> tiles


def parse_art(text: str) -> list[Art]:
    """Parse ``tiles.txt`` blocks into pixel grids (values 0..3)."""
    arts: list[Art] = []
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("# ")]
    i = 0
    while i < len(lines):
        head = lines[i].split()
        kind, name = head[0], head[1]
        if kind not in ("cell", "tile", "sprite"):
            raise ValueError(f"tiles.txt: expected cell, tile or sprite, got {lines[i]!r}")
        size = 8 if kind == "tile" else 16
        rows = lines[i + 1 : i + 1 + size]
        if len(rows) != size or any(len(r) != size for r in rows):
            raise ValueError(f"art {name}: expected {size} rows of {size} pixels")
        px = [[_SHADES[c] for c in r] for r in rows]
        if kind == "cell":
            if len(head) != 4 or len(head[2]) != 1 or head[3] not in ("walk", "solid"):
                raise ValueError(f"cell {name}: write 'cell NAME CHAR walk|solid'")
            arts.append(Art(kind, name, px, head[2], head[3] == "walk"))
        else:
            arts.append(Art(kind, name, px))
        i += 1 + size
    chars = [a.char for a in arts if a.kind == "cell"]
    if len(chars) != len(set(chars)):
        raise ValueError("tiles.txt: two cells share a map character")
    return arts


def parse_font(text: str) -> dict[str, Pixels]:
    """Parse ``font.txt``: char -> 7 or 8 rows of 5 pixels (1 = ink)."""
    font: dict[str, Pixels] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        parts = line.split()
        if len(parts) not in (8, 9) or any(len(p) != 5 for p in parts[1:]):
            raise ValueError(f"bad font line: {line!r}")
        font[parts[0]] = [[1 if c == "#" else 0 for c in row] for row in parts[1:]]
    return font


def tile_2bpp(px: Pixels) -> bytes:
    """One 8x8 tile in Game Boy 2bpp format (row: low plane byte, high plane byte)."""
    out = bytearray()
    for row in px:
        lo = hi = 0
        for x, v in enumerate(row):
            lo |= (v & 1) << (7 - x)
            hi |= ((v >> 1) & 1) << (7 - x)
        out += bytes((lo, hi))
    return bytes(out)


def quarter(px: Pixels, qx: int, qy: int) -> Pixels:
    return [row[qx * 8 : qx * 8 + 8] for row in px[qy * 8 : qy * 8 + 8]]


def font_tile(glyph: Pixels) -> Pixels:
    px = [[0] * 8 for _ in range(8)]
    for y, row in enumerate(glyph):
        for x, v in enumerate(row):
            if v:
                px[y][x + 1] = 3
    return px


def big_letter(glyph: Pixels, scale: int) -> Pixels:
    """A letter ``scale`` times the font's size, black with a dark grey drop shadow, in a
    box of whole tiles (16 pixels wide, 8 * ceil((7 * scale + 1) / 8) high)."""
    height = -(-(7 * scale + 1) // 8) * 8
    px = [[0] * 16 for _ in range(height)]
    left = (16 - 5 * scale - 1) // 2
    ink = {(x, y) for y, row in enumerate(glyph[:7]) for x, v in enumerate(row) if v}
    for layer, shade in ((1, 2), (0, 3)):
        for x, y in ink:
            for dy in range(scale):
                for dx in range(scale):
                    sx, sy = left + scale * x + dx + layer, scale * y + dy + layer
                    if sx < 16 and sy < height:
                        px[sy][sx] = shade
    return px


class _Allocator:
    """Background tile indices: font at its ASCII codes, the rest deduplicated into the
    free indices (0x80.. first, then what is left below 0x20 and above the font)."""

    def __init__(self, font_codes: set[int]) -> None:
        self.data: dict[int, bytes] = {0: bytes(16)}
        self.by_bytes: dict[bytes, int] = {bytes(16): 0}
        used = set(font_codes) | {0, 0x20}
        self.free = [i for i in range(0x80, 0x100)] + [i for i in range(1, 0x80)
                                                       if i not in used]

    def put_at(self, index: int, data: bytes) -> None:
        self.data[index] = data
        self.by_bytes.setdefault(data, index)

    def add(self, data: bytes) -> int:
        if data in self.by_bytes:
            return self.by_bytes[data]
        if not self.free:
            raise ValueError("more than 256 background tiles")
        index = self.free.pop(0)
        self.put_at(index, data)
        return index


def allocate(
    arts: list[Art], font: dict[str, Pixels], chars: set[str], logo_letters: str,
    end_letters: str,
) -> TileSet:
    """Lay out every tile: the glyphs of ``chars`` (at their ASCII codes; the codes of
    characters never written hold other tiles), interface tiles, cells, big letters and
    sprites."""
    ts = TileSet()
    missing = sorted(chars - set(font) - {" "})
    if missing:
        raise ValueError(f"font.txt has no glyph for {''.join(missing)!r}")
    codes = {ord(ch) for ch in chars}
    alloc = _Allocator(codes)
    alloc.put_at(0x20, bytes(16))  # space
    for ch in sorted(chars - {" "}):
        alloc.put_at(ord(ch), tile_2bpp(font_tile(font[ch])))
    for art in arts:
        if art.kind == "tile":
            ts.ui[art.name] = alloc.add(tile_2bpp(art.pixels))
    for art in arts:
        if art.kind == "cell":
            q = [alloc.add(tile_2bpp(quarter(art.pixels, qx, qy)))
                 for qx, qy in ((0, 0), (1, 0), (0, 1), (1, 1))]
            ts.cell_tiles[art.char] = (q[0], q[1], q[2], q[3])
    for letters, scale in ((logo_letters, 3), (end_letters, 2)):
        for ch in sorted(set(letters) - {" "}):
            key = f"{ch}{scale}"
            px = big_letter(font[ch], scale)
            rows = len(px) // 8
            ts.logo[key] = tuple(alloc.add(tile_2bpp(quarter(px, qx, qy)))
                                 for qy in range(rows) for qx in range(2))
    ts.bg = alloc.data
    for art in arts:
        if art.kind != "sprite":
            continue
        ts.sprite_base[art.name] = len(ts.sprites)
        for qx, qy in ((0, 0), (0, 1), (1, 0), (1, 1)):  # 8x16 objects: column by column
            ts.sprites.append(tile_2bpp(quarter(art.pixels, qx, qy)))
    if len(ts.sprites) > 128:
        raise ValueError("more than 128 sprite tiles")
    return ts


def fade_table(palette: int, to_black: bool) -> list[int]:
    """The palette at fade levels 0 (as drawn) .. 4 (all white, or all black), each
    level a different palette: level 1 only tones down the far end (black to dark grey,
    or white to light grey), levels 2 and 3 shift every shade by 1 and 2, level 4 is
    flat. (E4: A4 90 40 00 to white, E5 F9 FE FF to black.)"""
    out = []
    for level in range(5):
        value = 0
        for slot in range(4):
            shade = (palette >> (2 * slot)) & 3
            if level == 1:
                shade = max(shade, 1) if to_black else min(shade, 2)
            elif level:
                step = level - 1 if level < 4 else 3
                shade = min(3, shade + step) if to_black else max(0, shade - step)
            value |= shade << (2 * slot)
        out.append(value)
    return out
