"""The *keep* cartridge's graphics: palettes, HUD and box tiles (font, hearts, 2x
letters), map tiles and sprites, from the text assets to C arrays (used by
:func:`eevee.cartridges.gen.keep.generate`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eevee.cartridges.gen.gba_assets import (
    AssetError,
    Palette,
    art_tiles,
    c_array,
    glyph_pixels,
    parse_art,
    parse_font,
    parse_palettes,
    split_tiles,
    tiles_words,
)
from eevee.cartridges.gen.keep_maps import TILE_RULES, rule_arts

BG_PALETTES = ["ui", "nature", "stone", "cave"]
OBJ_PALETTES = ["hero", "slime", "items"]
UI_ART_BASE = 1  # HUD/box tiles; font glyphs (transparent paper) sit at their ASCII code
BOX_FONT_BASE = 128  # glyphs on box paper at BOX_FONT_BASE + ASCII - 32
LOGO_BASE = 256
LOGO_TEXTS = ["EEVEE KEEP", "GAME OVER", "THE END"]


@dataclass
class Graphics:
    """Where the map tiles went: charblock-1 tile numbers and palette banks."""

    tile_index: dict[tuple[str, int], int]
    bank: dict[str, int]
    sizes: dict[str, tuple[int, int]]

    def entry(self, art: str, piece: int) -> int:
        """The BG screen entry that draws 8x8 piece ``piece`` of map tile ``art``."""
        return self.tile_index[(art, piece)] | (self.bank[art] << 12)


def big_letters(font: dict[str, list[str]], ui: Palette) -> tuple[list[bytes], dict[str, int]]:
    """2x letters (16x16: 4 tiles each, on box paper) for the logo and the big titles."""
    ink, low, dark, paper = ui.index("g"), ui.index("G"), ui.index("k"), ui.index("n")
    tiles: list[bytes] = []
    index: dict[str, int] = {}
    for ch in sorted({c for t in LOGO_TEXTS for c in t if c != " "}):
        pix = [[paper] * 16 for _ in range(16)]
        for y, row in enumerate(font[ch]):
            for x, c in enumerate(row):
                if c == "#":
                    for dy in range(2):
                        for dx in range(2):
                            pix[1 + y * 2 + dy][3 + x * 2 + dx] = ink if y < 4 else low
        out = [r[:] for r in pix]
        for y in range(16):
            for x in range(16):
                if pix[y][x] == paper and any(
                    0 <= y + dy < 16 and 0 <= x + dx < 16 and pix[y + dy][x + dx] != paper
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                ):
                    out[y][x] = dark
        index[ch] = LOGO_BASE + len(tiles)
        tiles += split_tiles(out)
    return tiles, index


def graphics(assets: Path, c: list[str], h: list[str]) -> Graphics:
    """Append the graphics' C (``c``) and declarations (``h``) from the text assets."""

    def read(name: str) -> str:
        return (assets / name).read_text(encoding="utf-8")

    def define(name: str, value: object) -> None:
        h.append(f"#define {name} {value}")

    pals = parse_palettes(read("palettes.txt"), "palettes.txt")
    tiles_art = parse_art(read("tiles.txt"), "tiles.txt")
    sprite_art = parse_art(read("sprites.txt"), "sprites.txt")
    ui_art = parse_art(read("ui.txt"), "ui.txt")
    font = parse_font(read("font.txt"), "font.txt")

    def pal(name: str) -> Palette:
        if name not in pals:
            raise AssetError(f"unknown palette {name!r}")
        return pals[name]

    # ---- palettes ----
    bg_pal = [v for name in BG_PALETTES for v in pal(name).rgb15()]
    obj_pal = [v for name in OBJ_PALETTES for v in pal(name).rgb15()]
    c.append(c_array("u16", "bg_palettes", bg_pal, fmt="0x{:04X}"))
    c.append(c_array("u16", "obj_palettes", obj_pal, fmt="0x{:04X}"))
    h.append(f"extern const u16 bg_palettes[{len(bg_pal)}];")
    h.append(f"extern const u16 obj_palettes[{len(obj_pal)}];")
    for i, name in enumerate(OBJ_PALETTES):
        define(f"OPAL_{name.upper()}", i)

    # ---- HUD layer tiles (charblock 0) ----
    ui = pal("ui")
    ui_tiles: list[bytes] = [bytes(32)] * LOGO_BASE
    for i, art in enumerate(ui_art):
        if art.width != 8 or art.height != 8 or art.palette != "ui":
            raise AssetError(f"ui tile {art.name!r} must be 8x8 in palette ui")
        ui_tiles[UI_ART_BASE + i] = art_tiles(art, ui)[0]
        define(f"UI_{art.name.upper()}", UI_ART_BASE + i)
    paper, ink, shadow = ui.index("n"), ui.index("w"), ui.index("k")
    for ch, rows in sorted(font.items()):
        code = ord(ch)
        if not 32 < code < 127:
            raise AssetError(f"font glyph {ch!r} is not printable ASCII")
        ui_tiles[code] = split_tiles(glyph_pixels(rows, 0, ink, shadow))[0]
        ui_tiles[BOX_FONT_BASE + code - 32] = split_tiles(
            glyph_pixels(rows, paper, ink, shadow))[0]
    ui_tiles[BOX_FONT_BASE] = split_tiles(glyph_pixels([], paper, ink))[0]
    logo, letters = big_letters(font, ui)
    ui_tiles += logo
    define("BOX_FONT", BOX_FONT_BASE - 32)
    define("UI_TILE_COUNT", len(ui_tiles))
    c.append(c_array("u32", "ui_tiles", tiles_words(ui_tiles), per_line=8, fmt="0x{:08X}"))
    h.append(f"extern const u32 ui_tiles[{len(ui_tiles) * 8}];")
    big = [letters.get(chr(65 + i), 0) for i in range(26)]
    c.append(c_array("u16", "big_letter", big, fmt="{}"))
    h.append("extern const u16 big_letter[26];")

    # ---- map tiles (charblock 1) ----
    tile_index: dict[tuple[str, int], int] = {}
    bank: dict[str, int] = {}
    sizes: dict[str, tuple[int, int]] = {}
    bg_tiles: list[bytes] = []
    for art in tiles_art:
        if art.palette not in BG_PALETTES[1:]:
            raise AssetError(f"map tile {art.name!r}: palette must be one of {BG_PALETTES[1:]}")
        if art.name in sizes:
            raise AssetError(f"map tile {art.name!r} drawn twice")
        sizes[art.name] = (art.width, art.height)
        bank[art.name] = BG_PALETTES.index(art.palette)
        for piece, t in enumerate(art_tiles(art, pal(art.palette))):
            if any((b & 15) == 0 or (b >> 4) == 0 for b in t):
                raise AssetError(f"map tile {art.name!r} uses colour 0 (transparent)")
            tile_index[(art.name, piece)] = len(bg_tiles)
            bg_tiles.append(t)
    if len(bg_tiles) > 512:
        raise AssetError("more than 512 map tiles")
    define("BG_TILE_COUNT", len(bg_tiles))
    c.append(c_array("u32", "bg_tiles", tiles_words(bg_tiles), per_line=8, fmt="0x{:08X}"))
    h.append(f"extern const u32 bg_tiles[{len(bg_tiles) * 8}];")
    for rule_art in sorted({a for kind in TILE_RULES for a in rule_arts(kind)}):
        if rule_art not in sizes:
            raise AssetError(f"tiles.txt has no art {rule_art!r} (TILE_RULES)")


    # ---- sprites ----
    obj_tiles: list[bytes] = []
    for art in sprite_art:
        if art.width != 16 or art.height != 16:
            raise AssetError(f"sprite {art.name!r} must be 16x16")
        define(f"SPR_{art.name.upper()}", len(obj_tiles))
        obj_tiles += art_tiles(art, pal(art.palette))
    c.append(c_array("u32", "obj_tiles", tiles_words(obj_tiles), per_line=8, fmt="0x{:08X}"))
    h.append(f"extern const u32 obj_tiles[{len(obj_tiles) * 8}];")
    return Graphics(tile_index, bank, sizes)
