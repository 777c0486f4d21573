"""Generic GBA asset helpers: readable text art → 4bpp tiles, palettes, fonts, C arrays.

Text formats (all line based, ``#`` starts a comment line):

Palettes::

    palette nature
    . 000000        # index 0 (transparent for sprites / backdrop)
    g 70c050        # index 1, "g" in art means this colour
    ...

Art blocks (one character per pixel, width and height multiples of 8)::

    art grass nature        # name, palette name, optional key=value attributes
    gggggggggggggggg
    ...

A block's tiles are cut in row-major 8x8 order (the GBA's 1D sprite order, and
top-left, top-right, bottom-left, bottom-right for a 16x16 metatile).

Fonts: ``= A`` (or ``= name``) then rows of ``.``/``#`` glyph pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class AssetError(ValueError):
    """A text asset could not be parsed; the message names the file, line and problem."""


@dataclass
class Palette:
    """Up to 16 colours, each named by one art character."""

    name: str
    chars: list[str] = field(default_factory=list)
    colors: list[tuple[int, int, int]] = field(default_factory=list)

    def index(self, ch: str) -> int:
        try:
            return self.chars.index(ch)
        except ValueError as exc:
            raise AssetError(f"palette {self.name!r} has no colour {ch!r}") from exc

    def rgb15(self) -> list[int]:
        """The 16 palette entries as GBA BGR555 values (unused entries are 0)."""
        out = [rgb15(*c) for c in self.colors]
        return out + [0] * (16 - len(out))


@dataclass
class Art:
    """A named pixel picture in one palette."""

    name: str
    palette: str
    rows: list[str]
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def height(self) -> int:
        return len(self.rows)


def rgb15(r: int, g: int, b: int) -> int:
    """8-bit RGB → GBA 15-bit BGR."""
    return (r >> 3) | ((g >> 3) << 5) | ((b >> 3) << 10)


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line or line.lstrip().startswith("#"):
            continue
        out.append((n, line))
    return out


def parse_palettes(text: str, source: str = "palettes") -> dict[str, Palette]:
    """Parse ``palette`` blocks; every palette's first colour is index 0."""
    pals: dict[str, Palette] = {}
    cur: Palette | None = None
    for n, line in _lines(text):
        parts = line.split()
        if parts[0] == "palette":
            cur = Palette(parts[1])
            pals[cur.name] = cur
            continue
        if cur is None or len(parts) < 2 or len(parts[0]) != 1:
            raise AssetError(f"{source}:{n}: expected 'palette NAME' or 'CHAR RRGGBB'")
        hexc = parts[1]
        if len(hexc) != 6:
            raise AssetError(f"{source}:{n}: colour must be RRGGBB")
        if parts[0] in cur.chars:
            raise AssetError(f"{source}:{n}: colour char {parts[0]!r} used twice")
        cur.chars.append(parts[0])
        cur.colors.append((int(hexc[0:2], 16), int(hexc[2:4], 16), int(hexc[4:6], 16)))
        if len(cur.chars) > 16:
            raise AssetError(f"{source}:{n}: palette {cur.name!r} has more than 16 colours")
    return pals


def parse_art(text: str, source: str = "art") -> list[Art]:
    """Parse ``art NAME PALETTE [k=v ...]`` blocks followed by pixel rows."""
    arts: list[Art] = []
    cur: Art | None = None
    for n, line in _lines(text):
        if line.startswith("art "):
            parts = line.split()
            if len(parts) < 3:
                raise AssetError(f"{source}:{n}: expected 'art NAME PALETTE'")
            attrs = dict(p.split("=", 1) for p in parts[3:])
            cur = Art(parts[1], parts[2], [], attrs)
            arts.append(cur)
            continue
        if cur is None:
            raise AssetError(f"{source}:{n}: pixel row outside an art block")
        row = line.strip()
        if cur.rows and len(row) != len(cur.rows[0]):
            raise AssetError(
                f"{source}:{n}: art {cur.name!r} row is {len(row)} wide, "
                f"expected {len(cur.rows[0])}"
            )
        cur.rows.append(row)
    for art in arts:
        if art.width % 8 or art.height % 8 or not art.rows:
            raise AssetError(
                f"{source}: art {art.name!r} is {art.width}x{art.height}, not a multiple of 8"
            )
    return arts


def art_tiles(art: Art, palette: Palette) -> list[bytes]:
    """Cut ``art`` into 4bpp 8x8 tiles (32 bytes each), row-major tile order."""
    tiles = []
    for ty in range(0, art.height, 8):
        for tx in range(0, art.width, 8):
            data = bytearray()
            for y in range(8):
                row = art.rows[ty + y][tx : tx + 8]
                for x in range(0, 8, 2):
                    lo = palette.index(row[x])
                    hi = palette.index(row[x + 1])
                    data.append(lo | (hi << 4))
            tiles.append(bytes(data))
    return tiles


def pixels_tile(pixels: list[list[int]]) -> bytes:
    """An 8x8 grid of colour indices → one 4bpp tile."""
    data = bytearray()
    for y in range(8):
        for x in range(0, 8, 2):
            data.append((pixels[y][x] & 15) | ((pixels[y][x + 1] & 15) << 4))
    return bytes(data)


def parse_font(text: str, source: str = "font") -> dict[str, list[str]]:
    """Parse ``= X`` glyph headers followed by pixel rows (``#`` ink, ``.`` paper)."""
    glyphs: dict[str, list[str]] = {}
    cur: list[str] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\n")
        if line.startswith("= "):
            key = line[2:]
            key = " " if key == "SPACE" else key
            cur = []
            glyphs[key] = cur
            continue
        if not line.strip() or line.startswith(";"):
            continue
        if cur is None:
            raise AssetError(f"{source}:{n}: glyph row before any '= X' header")
        cur.append(line.strip())
    return glyphs


def glyph_pixels(rows: list[str], paper: int, ink: int, shadow: int | None = None,
                 size: int = 8, ox: int = 1, oy: int = 0) -> list[list[int]]:
    """Place a glyph (rows of ``#``/``.``) in a ``size`` square with optional shadow."""
    pix = [[paper] * size for _ in range(size)]
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch == "#" and 0 <= y + oy < size and 0 <= x + ox < size:
                if shadow is not None:
                    sx, sy = x + ox + 1, y + oy + 1
                    if sx < size and sy < size and pix[sy][sx] == paper:
                        pix[sy][sx] = shadow
                pix[y + oy][x + ox] = ink
    return pix


def split_tiles(pixels: list[list[int]]) -> list[bytes]:
    """A pixel grid (multiple of 8 each way) → 4bpp tiles in row-major order."""
    out = []
    for ty in range(0, len(pixels), 8):
        for tx in range(0, len(pixels[0]), 8):
            out.append(pixels_tile([r[tx : tx + 8] for r in pixels[ty : ty + 8]]))
    return out


def c_array(ctype: str, name: str, values: list[int], per_line: int = 12,
            fmt: str = "0x{:X}", static: bool = False) -> str:
    """A C array definition, deterministic formatting."""
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(fmt.format(v) for v in values[i : i + per_line]) + ",")
    head = ("static " if static else "") + f"const {ctype} {name}[{len(values)}]"
    return head + " = {\n" + "\n".join(lines) + "\n};\n"


def tiles_words(tiles: list[bytes]) -> list[int]:
    """Tiles → little-endian u32 words (for ``const u32`` arrays copied into VRAM)."""
    blob = b"".join(tiles)
    return [int.from_bytes(blob[i : i + 4], "little") for i in range(0, len(blob), 4)]


def c_string(text: str) -> str:
    """A C string literal using only printable ASCII and escapes."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\f":
            out.append("\\f")
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):03o}")
    return '"' + "".join(out) + '"'
