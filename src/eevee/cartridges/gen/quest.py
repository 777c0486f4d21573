"""Asset generator for the *quest* cartridge: readable text assets → C, plus ground truth.

``generate(source_dir, build_dir)`` reads ``source/quest/assets/*.txt`` (palettes, tile
and sprite art, font, maps, dialogue), writes ``quest_data.c`` / ``quest_data.h`` /
``quest_state.h`` into ``build_dir`` and returns the ground truth. Output is
byte-reproducible (sorted, no timestamps).

Ground truth shape (``data/quest/truth.json``, evaluation only)::

    {"format": 1, "name": "quest",
     "cell_pixels": 16,
     "start": {"area": 0, "x": 11, "y": 8},
     "respawn": {"area": 0, "x": 17, "y": 6},
     "areas": [{"id": 0, "key": "TOWN", "name": "Maple Town", "outdoor": true,
                "width": 24, "height": 18,
                "grid": ["TTT...", ...],            # one char per cell, see "legend"
                "reachable": [[x, y], ...],          # walkable cells reachable from the
                                                     # start once every gate/bridge is open
                "npcs": [{"id": "GIRL", "x": 8, "y": 12, "wander": 2}, ...],
                "items": [{"item": "POTION", "x": 20, "y": 14, "index": 0}, ...],
                "signs": [{"x": 3, "y": 8, "script": "SIGN_TOWN"}]}, ...],
     "legend": {"T": {"metatile": "tree", "solid": true, "grass": false, ...}, ...},
     "warps": [{"from": {"area": 0, "x": 5, "y": 5}, "to": {"area": 1, "x": 4, "y": 6}}, ...],
     "quest": {"main": [{"step": 1, "name": "talked_to_elder", "doc": "..."}, ...],
               "side": [...]},
     "items": {"MOON_FLOWER": 1, ...},            # inventory bit values
     "flags": {"TALKED_ELDER": 1, ...},           # quest_flags bit values
     "map_hints": {"area_sizes": [[24, 18], ...], "npc_counts": [2, ...],
                   "doors": [{"area": 0, "cell": [11, 0], "to_area": 5,
                              "to_cell": [7, 12]}, ...]}}  # see map_hints()
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eevee.cartridges.gen.gba_assets import (
    AssetError,
    Palette,
    art_tiles,
    c_array,
    c_string,
    glyph_pixels,
    parse_art,
    parse_font,
    parse_palettes,
    split_tiles,
    tiles_words,
)

CELL = 16
STEP_FRAMES = 8
TEXT_COLS = 26
STATE_ADDR = 0x02000000
MAX_NPCS = 6
NPC_FIELDS = ["x", "y", "facing", "moving", "timer"]

BG_PALETTES = ["ui", "nature", "town", "inside", "shrine"]
OBJ_PALETTES = ["hero", "elder", "girl", "nurse", "hermit", "villager", "spirit", "items",
                "slime", "bat", "shroom"]
# UI tile numbers in charblock 0 (font glyphs sit at their ASCII code).
UI_ART_BASE = 1
HPBAR_BASE = 128
LOGO_BASE = 160
LOGO_TEXT = "EEVEE QUEST"

ITEMS = ["MOON_FLOWER", "GATE_KEY", "RED_BALL", "POTION", "OLD_CHARM"]
FLAGS = ["TALKED_ELDER", "GOT_FLOWER", "GOT_KEY", "GATE_OPEN", "REACHED_SHRINE",
         "QUEST_DONE", "BRIDGE_UP", "SIDE_STARTED", "SIDE_DONE"]
ATTRS = ["solid", "grass", "hazard", "sign", "lever", "gate", "bridge"]
NPC_FACING = {"down": 0, "up": 1, "left": 2, "right": 3}

MAIN_QUEST: list[tuple[str, str, str]] = [
    ("talked_to_elder", "TALKED_ELDER", "Talk to the elder in Maple Town and agree to help"),
    ("got_moon_flower", "GOT_FLOWER", "Pick the Moon Flower across the river in Whisper Woods"),
    ("got_gate_key", "GOT_KEY", "Trade the Moon Flower to the hermit for the gate key"),
    ("opened_gate", "GATE_OPEN", "Open the shrine gate north of Maple Town with the key"),
    ("reached_shrine", "REACHED_SHRINE", "Walk the Shrine Path and enter the Moon Shrine"),
    ("quest_complete", "QUEST_DONE", "Speak to the shrine spirit: the quest is complete"),
]
SIDE_QUEST: list[tuple[str, str, str]] = [
    ("side_started", "SIDE_STARTED", "Promise the girl in town to find her red ball"),
    ("side_complete", "SIDE_DONE", "Return the red ball to the girl (reward: OLD CHARM)"),
]

# (name, C type, stable-retro type, doc). The C struct is generated from this list in
# this order at 0x02000000, so the profile's addresses cannot drift from the game.
VARIABLES: list[tuple[str, str, str, str]] = [
    ("frame_counter", "u32", "<u4", "frames since power-on, +1 every frame incl. the title"),
    ("rng_state", "u32", "<u4", "xorshift32 random state (the only entropy; in RAM)"),
    ("steps_taken", "u32", "<u4", "completed player steps (one cell each)"),
    ("game_mode", "u8", "|u1",
     "0 title, 1 overworld, 2 dialogue, 3 START menu, 4 battle, 5 transition (fade)"),
    ("area", "u8", "|u1",
     "current area: 0 town, 1 elder's house, 2 clinic, 3 forest, 4 hermit's hut, "
     "5 shrine path, 6 shrine, 7 far fields"),
    ("player_x", "u8", "|u1", "player cell column in the area (target cell while stepping)"),
    ("player_y", "u8", "|u1", "player cell row in the area (target cell while stepping)"),
    ("facing", "u8", "|u1", "0 down, 1 up, 2 left, 3 right"),
    ("hp", "u8", "|u1", "player hit points"),
    ("max_hp", "u8", "|u1", "player maximum hit points (20, 25 with the OLD CHARM)"),
    ("battle", "u8", "|u1",
     "0 no battle; else active: 1 starting, 2 battle message, 3 FIGHT/ITEM/RUN menu"),
    ("enemy_hp", "u8", "|u1", "enemy hit points in battle"),
    ("enemy_max_hp", "u8", "|u1", "enemy maximum hit points"),
    ("enemy_kind", "u8", "|u1", "0 slime, 1 bat, 2 shroom"),
    ("dialogue_open", "u8", "|u1", "1 while a dialogue box is open"),
    ("menu_open", "u8", "|u1", "0 closed, 1 START menu, 2 item list, 3 status page"),
    ("quest_step", "u8", "|u1", "main quest steps done, 0..6 (6 = quest complete)"),
    ("deaths", "u8", "|u1", "times the player fainted"),
    ("potions", "u8", "|u1", "potions carried (inventory bit POTION set while > 0)"),
    ("moving", "u8", "|u1", "frames left in the current step (0 = standing on player_x/y)"),
    ("camera_x", "s16", "<i2", "BG scroll x in pixels (negative: small map centred)"),
    ("camera_y", "s16", "<i2", "BG scroll y in pixels (negative: small map centred)"),
    ("inventory", "u16", "<u2", "item bitmask, bits listed in hints.inventory_bits"),
    ("quest_flags", "u16", "<u2", "quest flag bitmask, bits listed in hints.quest_flag_bits"),
    ("items_taken", "u16", "<u2", "bitmask of ground items already picked up"),
    ("keys_held", "u16", "<u2", "buttons held this frame (KEYINPUT bits, 1 = pressed)"),
    ("battles_won", "u8", "|u1", "battles won"),
    ("dialogue_id", "u8", "|u1", "script number of the open dialogue (255 none)"),
    ("menu_cursor", "u8", "|u1", "cursor row in the open menu or battle menu"),
    ("transition", "u8", "|u1", "fade level 0..16 while game_mode is 5"),
]

_CSIZE = {"u8": 1, "u16": 2, "s16": 2, "u32": 4}


@dataclass
class LegendEntry:
    char: str
    metatile: str
    attrs: set[str]
    alt: str | None


@dataclass
class Area:
    key: str
    name: str
    outdoor: bool
    rows: list[str] = field(default_factory=list)
    warps: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    npcs: list[dict[str, Any]] = field(default_factory=list)
    items: list[tuple[str, int, int]] = field(default_factory=list)
    signs: list[tuple[int, int, str]] = field(default_factory=list)
    start: tuple[int, int] | None = None
    respawn: tuple[int, int] | None = None

    @property
    def width(self) -> int:
        return len(self.rows[0])

    @property
    def height(self) -> int:
        return len(self.rows)


def variable_offsets() -> dict[str, int]:
    """Offsets of the state struct fields (natural alignment, declaration order)."""
    out: dict[str, int] = {}
    off = 0
    for name, ctype, _, _ in VARIABLES:
        size = _CSIZE[ctype]
        off = (off + size - 1) // size * size
        out[name] = off
        off += size
    return out


def npc_table_offset() -> int:
    """Offset of the NPC table that follows the variables in the state struct."""
    offs = variable_offsets()
    last = VARIABLES[-1]
    return offs[last[0]] + _CSIZE[last[1]]


def _xy(text: str) -> tuple[int, int]:
    x, y = text.split(",")
    return int(x), int(y)


def parse_maps(text: str) -> list[Area]:
    areas: list[Area] = []
    cur: Area | None = None
    in_map = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            in_map = False if not line else in_map
            continue
        if in_map and cur is not None:
            cur.rows.append(line)
            if len(line) != len(cur.rows[0]):
                raise AssetError(f"maps:{n}: row is {len(line)} wide, not {len(cur.rows[0])}")
            continue
        parts = line.split()
        kw = parts[0]
        if kw == "legend":
            continue
        elif kw == "area":
            name = line.split('"')[1]
            cur = Area(parts[1], name, line.rstrip().endswith("outdoor"))
            areas.append(cur)
        elif cur is None:
            raise AssetError(f"maps:{n}: {kw!r} before any area")
        elif kw == "map":
            in_map = True
        elif kw == "start":
            cur.start = _xy(parts[1])
        elif kw == "respawn":
            cur.respawn = _xy(parts[1])
        elif kw == "warp":
            x, y = _xy(parts[1])
            tx, ty = _xy(parts[4])
            cur.warps.append((x, y, parts[3], tx, ty))
        elif kw == "npc":
            x, y = _xy(parts[2])
            opts = dict(p.split("=", 1) for p in parts[4:])
            cur.npcs.append({"id": parts[1], "x": x, "y": y, "palette": parts[3],
                             "wander": int(opts.get("wander", "0")),
                             "facing": opts.get("facing", "down")})
        elif kw == "item":
            x, y = _xy(parts[2])
            cur.items.append((parts[1], x, y))
        elif kw == "sign":
            x, y = _xy(parts[1])
            cur.signs.append((x, y, parts[2]))
        else:
            raise AssetError(f"maps:{n}: unknown keyword {kw!r}")
    return areas


def _fix_legend(text: str) -> dict[str, LegendEntry]:
    legend: dict[str, LegendEntry] = {}
    for raw in text.splitlines():
        if raw.startswith("legend "):
            parts = raw.split()
            attrs = {p for p in parts[4:] if "=" not in p}
            if parts[3] == "solid":
                attrs.add("solid")
            alt = next((p[4:] for p in parts[4:] if p.startswith("alt=")), None)
            legend[parts[1]] = LegendEntry(parts[1], parts[2], attrs, alt)
    return legend


def wrap_text(text: str, width: int = TEXT_COLS) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    for w in words:
        if len(w) > width:
            raise AssetError(f"word {w!r} longer than a line")
        if not cur:
            cur = w
        elif len(cur) + 1 + len(w) <= width:
            cur += " " + w
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def parse_dialogue(text: str) -> list[tuple[str, str, bool]]:
    """Scripts as (name, encoded text, has_question); '\\n' line, '\\f' page break."""
    scripts: list[tuple[str, list[str], str | None]] = []
    paras: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        if line.startswith("@"):
            scripts.append((line[1:], [], None))
            paras = scripts[-1][1]
            paras.append("")
            continue
        if not scripts:
            continue
        if not line:
            if paras and paras[-1]:
                paras.append("")
            continue
        if line.startswith("? "):
            name, p, _ = scripts[-1]
            scripts[-1] = (name, p, line[2:])
            continue
        paras[-1] = (paras[-1] + " " + line).strip()
    out = []
    for name, ps, question in scripts:
        pages: list[str] = []
        for para in ps:
            if not para:
                continue
            lines = wrap_text(para)
            for i in range(0, len(lines), 2):
                pages.append("\n".join(lines[i : i + 2]))
        if question:
            qlines = wrap_text(question)
            if len(qlines) > 2:
                raise AssetError(f"dialogue {name}: question longer than two lines")
            pages.append("\n".join(qlines))
        out.append((name, "\f".join(pages), question is not None))
    return out


def _reachable(areas: list[Area], legend: dict[str, LegendEntry]) -> dict[str, list[list[int]]]:
    index = {a.key: i for i, a in enumerate(areas)}

    def walkable(a: Area, x: int, y: int) -> bool:
        if not (0 <= x < a.width and 0 <= y < a.height):
            return False
        e = legend[a.rows[y][x]]
        if any(n["x"] == x and n["y"] == y and n["wander"] == 0 for n in a.npcs):
            return False
        return "solid" not in e.attrs or "gate" in e.attrs or "bridge" in e.attrs

    start_area = next(a for a in areas if a.start)
    assert start_area.start is not None
    seen: set[tuple[int, int, int]] = set()
    todo: deque[tuple[int, int, int]] = deque()
    s = (index[start_area.key], *start_area.start)
    seen.add(s)
    todo.append(s)
    while todo:
        ai, x, y = todo.popleft()
        a = areas[ai]
        nexts = []
        for wx, wy, to, tx, ty in a.warps:
            if (wx, wy) == (x, y):
                nexts.append((index[to], tx, ty))
        for dx, dy in ((0, 1), (0, -1), (-1, 0), (1, 0)):
            if walkable(a, x + dx, y + dy):
                nexts.append((ai, x + dx, y + dy))
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    out: dict[str, list[list[int]]] = {}
    for a in areas:
        ai = index[a.key]
        out[a.key] = sorted([x, y] for (i, x, y) in seen if i == ai)
    return out


def _state_header() -> str:
    offs = variable_offsets()
    lines = ["/* Generated by gen/quest.py from VARIABLES: the game state at 0x02000000. */",
             "#ifndef QUEST_STATE_H", "#define QUEST_STATE_H", '#include "gba.h"',
             "typedef struct { u8 x, y, facing, moving, timer; } NpcState;",
             "typedef struct GameState {"]
    for name, ctype, _, doc in VARIABLES:
        lines.append(f"    {ctype} {name}; /* {doc} */")
    lines.append(f"    NpcState npcs[{MAX_NPCS}]; /* NPCs of the current area (hints.npc_table) */")
    lines.append("} GameState;")
    lines.append(f"_Static_assert(__builtin_offsetof(GameState, npcs) == {npc_table_offset()}, "
                 '"npcs");')
    for name, _, _, _ in VARIABLES:
        lines.append(f"_Static_assert(__builtin_offsetof(GameState, {name}) == {offs[name]}, "
                     f'"{name}");')
    lines += ["extern GameState st;", "#endif", ""]
    return "\n".join(lines)


def _logo_tiles(font: dict[str, list[str]]) -> tuple[list[bytes], list[int]]:
    """2x-scaled title letters: gold ink, dark outline, transparent paper."""
    tiles: list[bytes] = []
    bases: list[int] = []
    letters: dict[str, int] = {}
    ink, dark = 8, 11  # ui palette: y (gold), n (dark blue)
    for ch in LOGO_TEXT:
        if ch == " ":
            bases.append(255)
            continue
        if ch not in letters:
            rows = font[ch]
            pix = [[0] * 16 for _ in range(16)]
            for y, row in enumerate(rows):
                for x, c in enumerate(row):
                    if c == "#":
                        for dy in range(2):
                            for dx in range(2):
                                pix[1 + y * 2 + dy][3 + x * 2 + dx] = ink
            # outline
            out = [r[:] for r in pix]
            for y in range(16):
                for x in range(16):
                    if pix[y][x] == 0 and any(
                        0 <= y + dy < 16 and 0 <= x + dx < 16 and pix[y + dy][x + dx] == ink
                        for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                    ):
                        out[y][x] = dark
            letters[ch] = LOGO_BASE + len(tiles)
            tiles += split_tiles(out)
        bases.append(letters[ch])
    return tiles, bases


def _hpbar_tiles() -> list[bytes]:
    # ui palette indices: w1 k2 g6 d7
    out = []
    for n in range(9):
        pix = [[1] * 8 for _ in range(8)]
        for x in range(8):
            pix[1][x] = 2
            pix[6][x] = 2
            for y in range(2, 6):
                pix[y][x] = 6 if x < n else 7
        out.append(split_tiles(pix)[0])
    return out


def generate(source_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Write the generated C into ``build_dir`` and return the ground truth."""
    assets = Path(source_dir) / "assets"
    pals = parse_palettes((assets / "palettes.txt").read_text(encoding="utf-8"), "palettes.txt")
    tiles_art = parse_art((assets / "tiles.txt").read_text(encoding="utf-8"), "tiles.txt")
    sprite_art = parse_art((assets / "sprites.txt").read_text(encoding="utf-8"), "sprites.txt")
    ui_art = parse_art((assets / "ui.txt").read_text(encoding="utf-8"), "ui.txt")
    font = parse_font((assets / "font.txt").read_text(encoding="utf-8"), "font.txt")
    maps_text = (assets / "maps.txt").read_text(encoding="utf-8")
    areas = parse_maps(maps_text)
    legend = _fix_legend(maps_text)
    scripts = parse_dialogue((assets / "dialogue.txt").read_text(encoding="utf-8"))

    def pal(name: str) -> Palette:
        if name not in pals:
            raise AssetError(f"unknown palette {name!r}")
        return pals[name]

    c: list[str] = ['/* Generated by gen/quest.py from source/quest/assets. Do not edit. */',
                    '#include "quest_data.h"', ""]
    h: list[str] = ["/* Generated by gen/quest.py. Do not edit. */", "#ifndef QUEST_DATA_H",
                    "#define QUEST_DATA_H", '#include "gba.h"', ""]

    # ---- palettes ----
    bg_pal_values: list[int] = []
    for name in BG_PALETTES:
        bg_pal_values += pal(name).rgb15()
    ui = pal("ui")
    for swap in ("y", "r"):  # HP bar colour variants: palettes 14 (yellow), 15 (red)
        entries = ui.rgb15()
        entries[ui.index("g")] = entries[ui.index(swap)]
        bg_pal_values += entries
    obj_pal_values: list[int] = []
    for name in OBJ_PALETTES:
        obj_pal_values += pal(name).rgb15()
        h.append(f"#define OPAL_{name.upper()} {OBJ_PALETTES.index(name)}")
    for i, name in enumerate(BG_PALETTES):
        h.append(f"#define BPAL_{name.upper()} {i}")
    h.append("#define BPAL_UI_YELLOW 14\n#define BPAL_UI_RED 15")
    c.append(c_array("u16", "bg_palettes", bg_pal_values, fmt="0x{:04X}"))
    c.append(c_array("u16", "obj_palettes", obj_pal_values, fmt="0x{:04X}"))
    h.append(f"extern const u16 bg_palettes[{len(bg_pal_values)}];")
    h.append(f"extern const u16 obj_palettes[{len(obj_pal_values)}];")

    # ---- UI tiles (charblock 0) ----
    ui_tiles: list[bytes] = [bytes(32)] * 256
    for i, art in enumerate(ui_art):
        ui_tiles[UI_ART_BASE + i] = art_tiles(art, pal(art.palette))[0]
        h.append(f"#define UI_{art.name.upper()} {UI_ART_BASE + i}")
    paper, ink, shadow = ui.index("w"), ui.index("k"), ui.index("s")
    for ch, rows in font.items():
        code = ord(ch)
        if not 32 <= code < 127:
            raise AssetError(f"font glyph {ch!r} is not printable ASCII")
        ui_tiles[code] = split_tiles(glyph_pixels(rows, paper, ink, shadow))[0]
    ui_tiles[32] = split_tiles(glyph_pixels([], paper, ink))[0]
    for i, t in enumerate(_hpbar_tiles()):
        ui_tiles[HPBAR_BASE + i] = t
    logo, logo_bases = _logo_tiles(font)
    for i, t in enumerate(logo):
        ui_tiles[LOGO_BASE + i] = t
    n_ui = LOGO_BASE + len(logo)
    h.append(f"#define UI_HPBAR {HPBAR_BASE}")
    h.append(f"#define UI_TILE_COUNT {n_ui}")
    c.append(c_array("u32", "ui_tiles", tiles_words(ui_tiles[:n_ui]), per_line=8,
                     fmt="0x{:08X}"))
    h.append(f"extern const u32 ui_tiles[{n_ui * 8}];")
    c.append(c_array("u8", "logo_tiles", logo_bases, fmt="{}"))
    h.append(f"#define LOGO_LEN {len(logo_bases)}")
    h.append(f"extern const u8 logo_tiles[{len(logo_bases)}];")

    # ---- metatiles (charblock 1) ----
    mt_index: dict[str, int] = {}
    bg_tiles: list[bytes] = []
    mt_pal: list[int] = []
    for art in tiles_art:
        if art.width != 16 or art.height != 16:
            raise AssetError(f"metatile {art.name!r} must be 16x16")
        mt_index[art.name] = len(mt_pal)
        mt_pal.append(BG_PALETTES.index(art.palette))
        bg_tiles += art_tiles(art, pal(art.palette))
        h.append(f"#define MT_{art.name.upper()} {mt_index[art.name]}")
    h.append(f"#define MT_COUNT {len(mt_pal)}")
    c.append(c_array("u32", "bg_tiles", tiles_words(bg_tiles), per_line=8, fmt="0x{:08X}"))
    c.append(c_array("u8", "mt_pal", mt_pal, fmt="{}"))
    h.append(f"extern const u32 bg_tiles[{len(bg_tiles) * 8}];")
    h.append(f"extern const u8 mt_pal[{len(mt_pal)}];")

    # ---- sprites ----
    obj_tiles: list[bytes] = []
    for i, art in enumerate(sprite_art):
        if art.width != 16 or art.height != 16:
            raise AssetError(f"sprite {art.name!r} must be 16x16")
        obj_tiles += art_tiles(art, pal(art.palette))
        h.append(f"#define SPR_{art.name.upper()} {i * 4}")
    person_chars = pal("elder").chars
    for name in ("girl", "nurse", "hermit", "villager", "spirit"):
        if pal(name).chars != person_chars:
            raise AssetError(f"palette {name!r} must list the same chars as 'elder'")
    c.append(c_array("u32", "obj_tiles", tiles_words(obj_tiles), per_line=8, fmt="0x{:08X}"))
    h.append(f"extern const u32 obj_tiles[{len(obj_tiles) * 8}];")

    # ---- legend and maps ----
    chars = sorted(legend)
    leg_index = {ch: i for i, ch in enumerate(chars)}
    attr_bits = {a: 1 << i for i, a in enumerate(ATTRS)}
    for attr_name, bit in attr_bits.items():
        h.append(f"#define ATTR_{attr_name.upper()} {bit}")
    leg_mt, leg_alt, leg_attr = [], [], []
    for ch in chars:
        e = legend[ch]
        if e.metatile not in mt_index or (e.alt and e.alt not in mt_index):
            raise AssetError(f"legend {ch!r}: unknown metatile")
        leg_mt.append(mt_index[e.metatile])
        leg_alt.append(mt_index[e.alt] if e.alt else mt_index[e.metatile])
        leg_attr.append(sum(attr_bits[an] for an in e.attrs))
    c.append(c_array("u8", "legend_mt", leg_mt, fmt="{}"))
    c.append(c_array("u8", "legend_alt", leg_alt, fmt="{}"))
    c.append(c_array("u8", "legend_attr", leg_attr, fmt="{}"))
    h.append(f"extern const u8 legend_mt[{len(chars)}];")
    h.append(f"extern const u8 legend_alt[{len(chars)}];")
    h.append(f"extern const u8 legend_attr[{len(chars)}];")

    area_index = {a.key: i for i, a in enumerate(areas)}
    npc_ids: list[str] = []
    item_instances: list[tuple[int, str, int, int]] = []
    script_names = [s[0] for s in scripts]
    h.append("typedef struct { u8 x, y, to_area, to_x, to_y; } WarpDef;")
    h.append("typedef struct { u8 id, x, y, pal, wander, facing; } NpcDef;")
    h.append("typedef struct { u8 index, item, x, y; } ItemDef;")
    h.append("typedef struct { u8 x, y, script; } SignDef;")
    h.append("typedef struct { u8 w, h, outdoor, nwarps, nnpcs, nitems, nsigns; "
             "const u8 *cells; const WarpDef *warps; const NpcDef *npcs; "
             "const ItemDef *items; const SignDef *signs; const char *name; } AreaDef;")
    for i, name in enumerate(ITEMS):
        h.append(f"#define ITEM_{name} {i}")
        h.append(f"#define INV_{name} {1 << i}")
    for i, name in enumerate(FLAGS):
        h.append(f"#define FLAG_{name} {1 << i}")
    for i, s in enumerate(script_names):
        h.append(f"#define TXT_{s} {i}")
    for i, a in enumerate(areas):
        h.append(f"#define AREA_{a.key} {i}")
    area_defs = []
    for ai, a in enumerate(areas):
        k = a.key.lower()
        if a.width > 255 or a.height > 255 or len(a.npcs) > MAX_NPCS:
            raise AssetError(f"area {a.key}: at most 255x255 cells and {MAX_NPCS} NPCs")
        for row in a.rows:
            for ch in row:
                if ch not in legend:
                    raise AssetError(f"area {a.key}: unknown map char {ch!r}")
        cells = [leg_index[ch] for row in a.rows for ch in row]
        c.append(c_array("u8", f"cells_{k}", cells, per_line=a.width, fmt="{}", static=True))
        warps = []
        for x, y, to, tx, ty in a.warps:
            warps.append(f"{{{x}, {y}, {area_index[to]}, {tx}, {ty}}}")
        npcs = []
        for npc in a.npcs:
            npc_ids.append(npc["id"])
            npcs.append(f"{{{len(npc_ids) - 1}, {npc['x']}, {npc['y']}, "
                        f"{OBJ_PALETTES.index(npc['palette'])}, {npc['wander']}, "
                        f"{NPC_FACING[npc['facing']]}}}")
        items = []
        for item, x, y in a.items:
            item_instances.append((ai, item, x, y))
            items.append(f"{{{len(item_instances) - 1}, {ITEMS.index(item)}, {x}, {y}}}")
        signs = [f"{{{x}, {y}, {script_names.index(s)}}}" for x, y, s in a.signs]
        for arr, typ, vals in (("warps", "WarpDef", warps), ("npcs", "NpcDef", npcs),
                               ("items", "ItemDef", items), ("signs", "SignDef", signs)):
            if vals:
                c.append(f"static const {typ} {arr}_{k}[] = {{ " + ", ".join(vals) + " };")
        ref = {arr: (f"{arr}_{k}" if v else "0") for arr, v in
               (("warps", warps), ("npcs", npcs), ("items", items), ("signs", signs))}
        area_defs.append(
            f"    {{{a.width}, {a.height}, {int(a.outdoor)}, {len(warps)}, {len(npcs)}, "
            f"{len(items)}, {len(signs)}, cells_{k}, {ref['warps']}, {ref['npcs']}, "
            f"{ref['items']}, {ref['signs']}, {c_string(a.name)}}},"
        )
    if len(item_instances) > 16:
        raise AssetError("at most 16 ground items (items_taken is a u16 bitmask)")
    c.append("const AreaDef areas[] = {\n" + "\n".join(area_defs) + "\n};")
    h.append(f"#define AREA_COUNT {len(areas)}")
    h.append("extern const AreaDef areas[];")
    for i, nid in enumerate(npc_ids):
        h.append(f"#define NPC_{nid} {i}")
    h.append(f"#define ITEM_INSTANCES {len(item_instances)}")
    start_area = next(a for a in areas if a.start)
    respawn_area = next(a for a in areas if a.respawn)
    assert start_area.start and respawn_area.respawn
    h.append(f"#define START_AREA {area_index[start_area.key]}")
    h.append(f"#define START_X {start_area.start[0]}\n#define START_Y {start_area.start[1]}")
    h.append(f"#define RESPAWN_AREA {area_index[respawn_area.key]}")
    h.append(f"#define RESPAWN_X {respawn_area.respawn[0]}\n"
             f"#define RESPAWN_Y {respawn_area.respawn[1]}")

    # ---- dialogue ----
    texts = [f"    {c_string(t)}," for _, t, _ in scripts]
    c.append("const char *const script_text[] = {\n" + "\n".join(texts) + "\n};")
    c.append(c_array("u8", "script_question", [int(q) for _, _, q in scripts], fmt="{}"))
    h.append(f"#define SCRIPT_COUNT {len(scripts)}")
    h.append("extern const char *const script_text[];")
    h.append(f"extern const u8 script_question[{len(scripts)}];")
    h += ["", "#endif", ""]

    build_dir = Path(build_dir)
    (build_dir / "quest_data.c").write_text("\n".join(c) + "\n", encoding="utf-8")
    (build_dir / "quest_data.h").write_text("\n".join(h), encoding="utf-8")
    (build_dir / "quest_state.h").write_text(_state_header(), encoding="utf-8")

    # ---- ground truth ----
    reach = _reachable(areas, legend)
    truth_areas = []
    for ai, a in enumerate(areas):
        truth_areas.append({
            "id": ai, "key": a.key, "name": a.name, "outdoor": a.outdoor,
            "width": a.width, "height": a.height, "grid": a.rows,
            "reachable": reach[a.key],
            "npcs": [{"id": n["id"], "x": n["x"], "y": n["y"], "wander": n["wander"]}
                     for n in a.npcs],
            "items": [{"item": it, "x": x, "y": y,
                       "index": next(i for i, t in enumerate(item_instances)
                                     if t == (ai, it, x, y))}
                      for it, x, y in a.items],
            "signs": [{"x": x, "y": y, "script": s} for x, y, s in a.signs],
        })
    warps_truth = [
        {"from": {"area": area_index[a.key], "x": x, "y": y},
         "to": {"area": area_index[to], "x": tx, "y": ty}}
        for a in areas for x, y, to, tx, ty in a.warps
    ]
    legend_truth = {
        ch: {"metatile": e.metatile, "alt": e.alt, **{an: an in e.attrs for an in ATTRS}}
        for ch, e in sorted(legend.items())
    }
    start = {"area": area_index[start_area.key], "x": start_area.start[0],
             "y": start_area.start[1]}
    respawn = {"area": area_index[respawn_area.key], "x": respawn_area.respawn[0],
               "y": respawn_area.respawn[1]}
    digest = hashlib.sha1(maps_text.encode("utf-8")).hexdigest()
    return {
        "format": 1, "name": "quest", "cell_pixels": CELL, "maps_sha1": digest,
        "start": start, "respawn": respawn, "areas": truth_areas, "legend": legend_truth,
        "warps": warps_truth, "map_hints": map_hints(areas),
        "quest": {
            "main": [{"step": i + 1, "name": n, "flag": f, "doc": d}
                     for i, (n, f, d) in enumerate(MAIN_QUEST)],
            "side": [{"step": i + 1, "name": n, "flag": f, "doc": d}
                     for i, (n, f, d) in enumerate(SIDE_QUEST)],
        },
        "items": {name: 1 << i for i, name in enumerate(ITEMS)},
        "flags": {name: 1 << i for i, name in enumerate(FLAGS)},
    }


def map_hints(areas: list[Area]) -> dict[str, Any]:
    """Map facts for tests and benchmarks (``truth.json``'s ``map_hints``): area sizes, NPCs
    per area and doors, in the shape the profile hints once had (never in the profile)."""
    index = {a.key: i for i, a in enumerate(areas)}
    return {
        "area_sizes": [[a.width, a.height] for a in areas],
        "npc_counts": [len(a.npcs) for a in areas],
        "doors": [{"area": index[a.key], "cell": [x, y], "to_area": index[to],
                   "to_cell": [tx, ty]}
                  for a in areas for x, y, to, tx, ty in a.warps],
    }


def _area_names() -> list[str]:
    """The area names of maps.txt, by area number (the status screen shows them)."""
    from eevee.cartridges.registry import SOURCE_DIR

    maps = (SOURCE_DIR / "quest" / "assets" / "maps.txt").read_text(encoding="utf-8")
    return [a.name for a in parse_maps(maps)]


def profile(rom_sha1: str) -> dict[str, Any]:
    """The game profile (RAM map, milestones, hints) for a ROM with this SHA-1."""
    offs = variable_offsets()
    variables = {
        name: {"address": f"0x{STATE_ADDR + offs[name]:08X}", "type": rtype, "doc": doc}
        for name, _, rtype, doc in VARIABLES
    }
    flag_bit = {name: 1 << i for i, name in enumerate(FLAGS)}
    milestones: list[dict[str, Any]] = []
    for i, (name, flag, doc) in enumerate(MAIN_QUEST):
        milestones.append({"name": name, "quest": "main", "step": i + 1, "doc": doc,
                           "when": [{"var": "quest_flags", "op": "&",
                                     "value": flag_bit[flag]}]})
    for i, (name, flag, doc) in enumerate(SIDE_QUEST):
        milestones.append({"name": name, "quest": "side", "step": i + 1, "doc": doc,
                           "when": [{"var": "quest_flags", "op": "&",
                                     "value": flag_bit[flag]}]})
    hints: dict[str, Any] = {
        "cell_pixels": CELL,
        "step_frames": STEP_FRAMES,
        "screen_cells": [15, 10],
        "player_oam_index": 0,
        "sprite_offset": [0, 0],
        "screen_lag_frames": 1,
        "screen_note": "OAM and BG scroll are copied at the start of the next frame, so "
                       "the screen after a step shows the RAM state of the step before",
        "sprite_formula": "oam_x = player_x*16 - camera_x, oam_y = player_y*16 - camera_y "
                          "(when moving == 0)",
        "npc_table": {"address": f"0x{STATE_ADDR + npc_table_offset():08X}",
                      "count": MAX_NPCS, "stride": len(NPC_FIELDS), "fields": NPC_FIELDS,
                      "doc": "u8 fields per NPC of the current area, in the area's NPC "
                             "order; x/y are cells (target cell while moving); unused "
                             "slots are stale"},
        "inventory_bits": {name: 1 << i for i, name in enumerate(ITEMS)},
        "quest_flag_bits": flag_bit,
        "areas": _area_names(),
        "controls": "D-pad walks (hold to keep walking), A talks/reads/pulls/advances text, "
                    "B cancels, START opens the menu; battles: UP/DOWN + A on "
                    "FIGHT/ITEM/RUN; questions: UP/DOWN + A on YES/NO",
        "title_needs": "START",
        "hazard": "thorn tiles cost 2 HP per step; HP 0 = faint, back to town",
        "healer": "nurse in the Clinic (area 2) heals when you answer YES",
        "encounters": "tall grass: about 1 step in 8 starts a battle",
        "text_reveal": "dialogue text types out 2 chars per frame; A shows the whole page",
        "modes": {"title": 0, "overworld": 1, "dialogue": 2, "menu": 3, "battle": 4,
                  "transition": 5},
        "battle_menu": {"fight": 0, "item": 1, "run": 2, "menu_phase": 3},
        "facing_codes": dict(NPC_FACING),
    }
    return {"format": 1, "name": "quest", "platform": "gba",
            "rom": {"sha1": rom_sha1, "game_code": "EVQT", "title": "EEVEE QUEST"},
            "variables": variables, "milestones": milestones, "hints": hints}
