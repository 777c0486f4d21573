"""Asset generator for the ``grove`` Game Boy cartridge (an RPG in the GB Studio manner).

Reads the text pixel art (``assets/tiles.txt``, ``assets/font.txt``), the maps
(``assets/maps.txt``) and the text (``assets/text.txt``) and writes ``grove_data.h`` /
``grove_data.c`` into the build folder: 2bpp tiles, each area's tile and collision maps,
doors, people, dialogue pages, fade tables and the game-state struct (whose layout is
also the profile's RAM map, so the two cannot disagree). ``generate`` returns the ground
truth (maps, collision, doors, people, quest steps).

``python -m eevee.cartridges.gen.grove`` builds and installs the ROM and writes
``data/grove/{truth,profile,solver}.json``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from eevee.cartridges.gen.grove_art import (
    TileSet,
    allocate,
    fade_table,
    parse_art,
    parse_font,
)
from eevee.cartridges.gen.grove_maps import (
    CELL,
    NAME_CHARS,
    TILE,
    Dialogue,
    World,
    cell_grid,
    parse_maps,
    parse_text,
)

STATE_ADDRESS = 0xC000
FADE_STEP_FRAMES = 4  # 4 palette steps of 4 frames, out and in
FADE_OUT_FRAMES = 4 * FADE_STEP_FRAMES
LOAD_FRAMES = 18  # the screen stays blank while the next one is written to VRAM
TRANSITION_FRAMES = 2 * FADE_OUT_FRAMES + LOAD_FRAMES
TYPE_FRAMES = 2  # frames per typed character
MESSAGE_FRAMES = 60  # the title's NO SAVE DATA line
AREA_NPCS = 4
DEFAULT_NAME = "ROBIN"
LOGO = "GROVE"
END_TEXT = "THE END"
WINDOW_Y = 104  # the text box: 5 rows of tiles at the bottom of the screen
BGP = 0xE4
OBP0 = 0xE0  # sprites: white, dark grey, black
MODES = {"title": 0, "overworld": 1, "dialogue": 2, "intro": 3, "naming": 4,
         "transition": 5, "done": 6}
AREA_NAMES = ["Village", "Elder's House", "Forest"]
# every string the C code writes (as STR_<KEY>); with text.txt and the keyboard's A..Z
# these are the only characters that get a glyph
UI_STRINGS = {
    "EEVEE": "EEVEE", "TAGLINE": "a tale of the woods", "NEW_GAME": "NEW GAME",
    "CONTINUE": "CONTINUE", "NO_SAVE": "NO SAVE DATA", "NO_SAVE_OFF": "            ",
    "FOOTER": "EEVEE HOMEBREW", "NAME": "NAME?", "DEL": "DEL", "END": "END",
    "SLOTS": "______", "THANKS": "Thank you for", "PLAYING": "playing,",
}

# name, stable-retro type (``*N``: an array of N), doc. Emitted as the C struct at
# STATE_ADDRESS (sdcc packs structs without padding) and as the profile's variables
# (all but arrays and the fields whose doc starts with "internal").
STATE_FIELDS: list[tuple[str, str, str]] = [
    ("frame_counter", "<u2", "+1 every frame from boot (title included), wraps"),
    ("game_mode", "|u1", "0 title, 1 walking, 2 text box open, 3 intro, 4 naming, "
                         "5 fade between screens, 6 THE END"),
    ("area", "|u1", "0 village, 1 elder's house, 2 forest"),
    ("player_x", "<u2", "player sprite's left edge, in pixels from the area's left edge"),
    ("player_y", "<u2", "player sprite's top edge, in pixels from the area's top edge"),
    ("facing", "|u1", "0 down, 1 up, 2 left, 3 right"),
    ("camera_x", "<u2", "area pixel at the screen's left edge (SCX = camera_x mod 256)"),
    ("camera_y", "<u2", "area pixel at the screen's top edge (SCY = camera_y)"),
    ("quest_step", "|u1", "0 start, 1 asked to find the cat, 2 found it, 3 brought it home"),
    ("quest_flags", "|u1", "bit 0 talked to the elder, bit 1 found the cat, "
                           "bit 2 quest complete, bit 3 game started"),
    ("moving", "|u1", "1 if the player moved this frame"),
    ("keys", "|u1", "buttons held this frame (bit 0 A, 1 B, 2 select, 3 start, 4 R 5 L 6 U 7 D)"),
    ("keys_prev", "|u1", "buttons held last frame"),
    ("menu_cursor", "|u1", "title: 0 NEW GAME, 1 CONTINUE; naming: 0..25 A..Z, 26 DEL, 27 END"),
    ("message_timer", "|u1", "frames left of the title's NO SAVE DATA line"),
    ("text_page", "|u1", "page of the intro or of the dialogue on screen"),
    ("text_shown", "|u1", "characters of the page typed so far"),
    ("text_length", "|u1", "characters on the page"),
    ("dialogue_id", "|u1", "the dialogue in the text box (255 none)"),
    ("dialogue_open", "|u1", "1 while the text box is open"),
    ("name_len", "|u1", "letters in the player's name (0..6)"),
    ("name", f"|u1*{NAME_CHARS}", "the player's name (ASCII)"),
    ("play_frames", "<u2", "frames since the name was accepted"),
    ("transition", "|u1", "frames into the fade (game_mode 5), 0.."
                          f"{TRANSITION_FRAMES - 1}"),
    ("next_mode", "|u1", "game_mode when the fade ends"),
    ("next_area", "|u1", "internal: area the fade leads to"),
    ("next_x", "<u2", "internal: player_x there"),
    ("next_y", "<u2", "internal: player_y there"),
    ("next_facing", "|u1", "internal: facing there"),
    ("walk_count", "|u1", "internal: pixels walked (walk animation)"),
    ("type_timer", "|u1", "internal: frames to the next typed character"),
    ("blink", "|u1", "internal: frames of the end-of-page arrow's blink"),
    ("loaded_col", "|u1", "internal: first area column held in the background map"),
    ("npc_count", "|u1", "internal: people in this area"),
    ("npc_id", f"|u1*{AREA_NPCS}", "internal: which person"),
    ("npc_x", f"<u2*{AREA_NPCS}", "internal: pixel x"),
    ("npc_y", f"<u2*{AREA_NPCS}", "internal: pixel y"),
    ("npc_phase", f"|u1*{AREA_NPCS}", "internal: walk phase"),
    ("npc_timer", f"|u1*{AREA_NPCS}", "internal: frames in the phase"),
    ("vblank_overruns", "|u1", "internal: frames whose VRAM work ran past vblank (0)"),
    ("logic_overruns", "|u1", "internal: frames whose logic missed a vblank (0)"),
    ("vblank_lines", "|u1", "internal: most lines the vblank work took (vblank is 10)"),
]
_C_TYPES = {"|u1": "u8", "<u2": "u16"}
_SIZES = {"|u1": 1, "<u2": 2}


def state_layout() -> list[tuple[str, str, str, int]]:
    """(name, type, doc, address) for every state field (arrays: the element type)."""
    out = []
    addr = STATE_ADDRESS
    for name, typ, doc in STATE_FIELDS:
        base, _, count = typ.partition("*")
        out.append((name, base, doc, addr))
        addr += _SIZES[base] * int(count or 1)
    return out


def load(source_dir: Path) -> tuple[Any, ...]:
    assets = Path(source_dir) / "assets"
    arts = parse_art((assets / "tiles.txt").read_text(encoding="utf-8"))
    font = parse_font((assets / "font.txt").read_text(encoding="utf-8"))
    world = parse_maps((assets / "maps.txt").read_text(encoding="utf-8"))
    intro, dialogues = parse_text((assets / "text.txt").read_text(encoding="utf-8"))
    return arts, font, world, intro, dialogues


def _c_bytes(data: bytes | list[int]) -> str:
    data = bytes(data)
    rows = []
    for i in range(0, len(data), 16):
        rows.append("    " + ",".join(f"0x{b:02X}" for b in data[i : i + 16]) + ",")
    return "\n".join(rows)


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _check(world: World, dialogues: list[Dialogue]) -> dict[str, int]:
    names = {d.name: i for i, d in enumerate(dialogues)}
    per_area: dict[int, int] = {}
    for npc in world.npcs:
        per_area[npc.area] = per_area.get(npc.area, 0) + 1
        for talk in npc.talk:
            if talk not in names:
                raise ValueError(f"npc {npc.name}: no dialogue {talk!r}")
        if len(npc.talk) > 4:
            raise ValueError(f"npc {npc.name}: at most 4 dialogues")
    if max(per_area.values()) > AREA_NPCS:
        raise ValueError(f"at most {AREA_NPCS} people per area")
    return names


def tile_set(source_dir: Path) -> TileSet:
    """Where every tile of the cartridge sits in video memory."""
    arts, font, _world, intro, dialogues = load(source_dir)
    chars = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") | set("".join(UI_STRINGS.values()))
    chars |= {ch for page in intro for line in page for ch in line}
    chars |= {ch for d in dialogues for page in d.pages for line in page for ch in line}
    chars -= {"@"}
    return allocate(arts, font, chars, LOGO, END_TEXT)


def tile_maps(source_dir: Path) -> list[list[list[int]]]:
    """Each area's background: tile indices by [row][column] of 8x8 tiles."""
    ts = tile_set(source_dir)
    out = []
    for area in load(source_dir)[2].areas:
        w, h = area.tiles
        tiles = [[0] * w for _ in range(h)]
        for cy, row in enumerate(area.rows):
            for cx, ch in enumerate(row):
                q = ts.cell_tiles[ch]
                tiles[2 * cy][2 * cx], tiles[2 * cy][2 * cx + 1] = q[0], q[1]
                tiles[2 * cy + 1][2 * cx], tiles[2 * cy + 1][2 * cx + 1] = q[2], q[3]
        out.append(tiles)
    return out


def generate(source_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Write ``grove_data.[ch]`` into ``build_dir``; return the ground truth."""
    arts, _font, world, intro, dialogues = load(source_dir)
    talk_ids = _check(world, dialogues)
    ts = tile_set(source_dir)
    walkable = {a.char: a.walkable for a in arts if a.kind == "cell"}
    lo_count = max(i for i in ts.bg if i < 0x80) + 1
    hi_count = max((i for i in ts.bg if i >= 0x80), default=0x7F) - 0x7F
    bg_lo = b"".join(ts.bg.get(i, bytes(16)) for i in range(lo_count))
    bg_hi = b"".join(ts.bg.get(0x80 + i, bytes(16)) for i in range(hi_count))
    h: list[str] = [
        "/* Generated by eevee.cartridges.gen.grove from the assets folder: do not edit. */",
        "#ifndef GROVE_DATA_H",
        "#define GROVE_DATA_H",
        '#include "gb.h"',
        "",
        f"#define AREA_COUNT {len(world.areas)}",
        f"#define NPC_COUNT {len(world.npcs)}",
        f"#define AREA_NPCS {AREA_NPCS}",
        f"#define DOOR_COUNT {len(world.doors)}",
        f"#define FADE_OUT_FRAMES {FADE_OUT_FRAMES}",
        f"#define LOAD_FRAMES {LOAD_FRAMES}",
        f"#define TRANSITION_FRAMES {TRANSITION_FRAMES}",
        f"#define TYPE_FRAMES {TYPE_FRAMES}",
        f"#define MESSAGE_FRAMES {MESSAGE_FRAMES}",
        f"#define NAME_CHARS {NAME_CHARS}",
        f'#define DEFAULT_NAME "{DEFAULT_NAME}"',
        f"#define DEFAULT_NAME_LEN {len(DEFAULT_NAME)}",
        f"#define WINDOW_Y {WINDOW_Y}",
        f"#define BG_LO_TILES {lo_count}",
        f"#define BG_HI_TILES {hi_count}",
        f"#define SPRITE_TILES {len(ts.sprites)}",
        f"#define INTRO_PAGES {len(intro)}",
        f"#define START_AREA {world.start[0]}",
        f"#define START_X {world.start[1]}",
        f"#define START_Y {world.start[2]}",
        f"#define START_FACING {world.start[3]}",
        f"#define LOGO_W {len(LOGO) * 3 - 1}",
        "#define LOGO_H 3",
        f"#define END_W {len(END_TEXT) * 2}",
        "#define END_H 2",
    ]
    h += [f"#define MODE_{k.upper()} {v}" for k, v in MODES.items()]
    h += [f"#define STR_{k} {_c_string(v)}" for k, v in UI_STRINGS.items()]
    h += [f"#define T_{k.upper()} 0x{v:02X}" for k, v in ts.ui.items()]
    h += [f"#define S_{k.upper()} 0x{v:02X}" for k, v in ts.sprite_base.items()]
    h += [f"#define D_{d.name.upper()} {i}" for i, d in enumerate(dialogues)]
    h += ["", "struct State {"]
    for (name, typ, doc), (_n, _t, _d, addr) in zip(STATE_FIELDS, state_layout()):
        base, _, count = typ.partition("*")
        arr = f"[{count}]" if count else ""
        h.append(f"    {_C_TYPES[base]} {name}{arr}; /* 0x{addr:04X} {doc} */")
    h += [
        "};",
        f"#define STATE_ADDRESS 0x{STATE_ADDRESS:04X}",
        "",
        "struct Area { u8 w; u8 h; const u8 *tiles; const u8 *coll; const u16 *rows; };",
        "struct Door { u8 to_area; u8 facing; u16 x; u16 y; };",
        "struct Npc { u8 area; u8 sprite; u16 x; u16 y; u8 walk; u8 touch; u8 show_lo;",
        "             u8 show_hi; u8 talk_n; u8 talk[4]; };",
        "struct Dialogue { u8 first; u8 pages; u8 effect; };",
        "extern const u8 bg_tiles_lo[];",
        "extern const u8 bg_tiles_hi[];",
        "extern const u8 sprite_tiles[];",
        "extern const struct Area areas[];",
        "extern const struct Door doors[];",
        "extern const struct Npc npcs[];",
        "extern const struct Dialogue dialogues[];",
        "extern const char *const pages[];",
        "extern const char *const intro_pages[];",
        "extern const u8 logo_rows[LOGO_H][LOGO_W];",
        "extern const u8 end_rows[END_H][END_W];",
        "extern const u8 tree_tiles[4];",
        "extern const u8 fade_bgp[2][5];",
        "extern const u8 fade_obp[2][5];",
        "#endif",
        "",
    ]
    c: list[str] = [
        "/* Generated by eevee.cartridges.gen.grove from the assets folder: do not edit. */",
        '#include "grove_data.h"',
        "",
        "/* background tiles 0x00.. (at 0x9000), 0x80.. (at 0x8800), sprites (at 0x8000) */",
        "const u8 bg_tiles_lo[] = {", _c_bytes(bg_lo), "};",
        "const u8 bg_tiles_hi[] = {", _c_bytes(bg_hi), "};",
        "const u8 sprite_tiles[] = {", _c_bytes(b"".join(ts.sprites)), "};",
    ]
    colls = []
    for area, tiles in zip(world.areas, tile_maps(source_dir)):
        w, hh = area.tiles
        if w > 32 and hh != 32:
            raise ValueError(f"area {area.name}: wider than 32 tiles, so exactly 32 tall")
        coll = cell_grid(area, walkable, world.doors)
        colls.append(coll)
        c += [f"/* area {area.index}: {area.name}, {w}x{hh} tiles */",
              f"static const u8 tiles{area.index}[] = {{",
              _c_bytes([t for row in tiles for t in row]), "};",
              f"static const u8 coll{area.index}[] = {{",
              _c_bytes([v for row in coll for v in row]), "};",
              f"static const u16 rows{area.index}[] = {{",
              "    " + ",".join(str(r * w) for r in range(hh)) + ",", "};"]
    c.append("const struct Area areas[] = {")
    for area in world.areas:
        w, hh = area.tiles
        i = area.index
        c.append(f"    {{{w}, {hh}, tiles{i}, coll{i}, rows{i}}},")
    c += ["};", "", "/* door n: to area, facing, x, y (pixels) */", "const struct Door doors[] = {"]
    for d in world.doors:
        c.append(f"    {{{d.to_area}, {d.facing}, {d.to_pixel[0]}, {d.to_pixel[1]}}},")
    c += ["};", "", "const struct Npc npcs[] = {"]
    for n in world.npcs:
        sprite = 0xFF if n.sprite == "none" else ts.sprite_base[n.sprite]
        talk = [talk_ids[t] for t in n.talk] + [0] * (4 - len(n.talk))
        c.append(f"    {{{n.area}, 0x{sprite:02X}, {n.pixel[0]}, {n.pixel[1]}, {n.walk}, "
                 f"{int(n.touch)}, {n.show[0]}, {n.show[1]}, {len(n.talk)}, "
                 f"{{{', '.join(map(str, talk))}}}}}, /* {n.name} */")
    c += ["};", "", "const struct Dialogue dialogues[] = {"]
    page_texts: list[str] = []
    for d in dialogues:
        c.append(f"    {{{len(page_texts)}, {len(d.pages)}, {d.effect}}}, /* {d.name} */")
        page_texts += ["\n".join(p) for p in d.pages]
    c += ["};", "", "const char *const pages[] = {"]
    c += [f"    {_c_string(p)}," for p in page_texts]
    c += ["};", "", "const char *const intro_pages[] = {"]
    c += [f"    {_c_string(chr(10).join(p))}," for p in intro]
    c += ["};", "", "const u8 logo_rows[LOGO_H][LOGO_W] = {"]
    for r in range(3):
        row: list[int] = []
        for i, ch in enumerate(LOGO):
            tiles3 = ts.logo[f"{ch}3"]
            row += [tiles3[2 * r], tiles3[2 * r + 1]] + ([0x20] if i < len(LOGO) - 1 else [])
        c.append("    {" + ",".join(f"0x{t:02X}" for t in row) + "},")
    c += ["};", "", "const u8 end_rows[END_H][END_W] = {"]
    for r in range(2):
        row = []
        for ch in END_TEXT:
            row += [0x20, 0x20] if ch == " " else list(ts.logo[f"{ch}2"][2 * r : 2 * r + 2])
        c.append("    {" + ",".join(f"0x{t:02X}" for t in row) + "},")
    c += ["};", "", "const u8 tree_tiles[4] = {"
          + ",".join(f"0x{t:02X}" for t in ts.cell_tiles["T"]) + "};"]
    c += ["", "/* palettes at fade levels 0..4: [0] to white, [1] to black */",
          "const u8 fade_bgp[2][5] = {"]
    c += ["    {" + ",".join(f"0x{v:02X}" for v in fade_table(BGP, b)) + "},"
          for b in (False, True)]
    c += ["};", "const u8 fade_obp[2][5] = {"]
    c += ["    {" + ",".join(f"0x{v:02X}" for v in fade_table(OBP0, b)) + "},"
          for b in (False, True)]
    c += ["};", ""]
    build_dir = Path(build_dir)
    (build_dir / "grove_data.h").write_text("\n".join(h), encoding="utf-8")
    (build_dir / "grove_data.c").write_text("\n".join(c), encoding="utf-8")
    return truth(world, intro, dialogues, colls, walkable, ts.ui)


def map_hints(world: World) -> dict[str, Any]:
    """Map facts for tests and benchmarks (``truth.json``'s ``map_hints``), in the units
    of ``player_x``/``player_y`` (pixels): area sizes, doors (the player's position on
    the door cell and where it arrives), people per area. Never in the profile."""
    sizes = [[a.tiles[0] * TILE, a.tiles[1] * TILE] for a in world.areas]
    doors = [{"area": d.area, "cell": [d.cell[0] * CELL, d.cell[1] * CELL],
              "to_area": d.to_area, "to_cell": list(d.to_pixel)} for d in world.doors]
    counts = [sum(1 for n in world.npcs if n.area == a.index and n.sprite != "none")
              for a in world.areas]
    return {"area_sizes": sizes, "doors": doors, "npc_counts": counts}


def truth(
    world: World, intro: list[list[str]], dialogues: list[Dialogue],
    colls: list[list[list[int]]], walkable: dict[str, bool], ui: dict[str, int],
) -> dict[str, Any]:
    elder = next(n for n in world.npcs if n.name == "elder")
    cat = next(n for n in world.npcs if n.name == "cat")
    return {
        "format": 1,
        "cartridge": "grove",
        "platform": "gb",
        "units": "pixels (player_x/player_y: the 16x16 sprite's top-left); cells are 16 px, "
                 "collision tiles 8 px",
        "cell_pixels": CELL,
        "tile_pixels": TILE,
        "player_hitbox": [0, 8, 16, 8],
        "npc_hitbox": [0, 0, 16, 16],
        "talk_reach": 4,
        "transition_frames": TRANSITION_FRAMES,
        "type_frames": TYPE_FRAMES,
        "message_frames": MESSAGE_FRAMES,
        "default_name": DEFAULT_NAME,
        "modes": MODES,
        "ui_tiles": ui,
        "window_y": WINDOW_Y,
        "legend": {ch: ("walk" if ok else "solid") for ch, ok in sorted(walkable.items())},
        "start": {"area": world.start[0], "x": world.start[1], "y": world.start[2],
                  "facing": world.start[3]},
        "areas": [
            {"id": a.index, "name": a.name, "tiles": list(a.tiles), "cells": a.rows,
             "collision": ["".join("#" if v == 1 else "D" if v & 0x80 else "."
                                   for v in row) for row in colls[a.index]]}
            for a in world.areas
        ],
        "doors": [
            {"index": i, "from": {"area": d.area, "cell": list(d.cell)},
             "to": {"area": d.to_area, "x": d.to_pixel[0], "y": d.to_pixel[1],
                    "facing": d.facing}}
            for i, d in enumerate(world.doors)
        ],
        "npcs": [
            {"name": n.name, "area": n.area, "sprite": n.sprite, "x": n.pixel[0],
             "y": n.pixel[1], "talk": list(n.talk), "show": list(n.show), "walk": n.walk,
             "touch": n.touch}
            for n in world.npcs
        ],
        "intro": intro,
        "dialogues": {d.name: {"effect": d.effect, "pages": d.pages} for d in dialogues},
        "map_hints": map_hints(world),
        "quest": [
            {"step": 1, "name": "talked_to_elder", "npc": elder.name, "area": elder.area},
            {"step": 2, "name": "found_cat", "npc": cat.name, "area": cat.area},
            {"step": 3, "name": "quest_complete", "npc": elder.name, "area": elder.area},
        ],
    }


def profile(rom: bytes) -> dict[str, Any]:
    """The game profile (RAM map, milestones, what the manual says) for the built ``rom``."""
    variables = {
        name: {"address": f"0x{addr:04X}", "type": typ, "doc": doc}
        for (name, full, doc), (_n, typ, _d, addr) in zip(STATE_FIELDS, state_layout())
        if "*" not in full and not doc.startswith("internal")
    }
    return {
        "format": 1,
        "name": "grove",
        "platform": "gb",
        "rom": {"sha1": hashlib.sha1(rom).hexdigest(), "game_code": "EVGR",
                "title": "EEVEE GROVE"},
        "variables": variables,
        "milestones": [
            {"name": "started", "quest": "main", "step": 0,
             "doc": "chose NEW GAME, accepted a name and arrived in the village",
             "when": [{"var": "quest_flags", "op": "&", "value": 8}]},
            {"name": "talked_to_elder", "quest": "main", "step": 1,
             "doc": "the elder asked for help: the cat has run away",
             "when": [{"var": "quest_flags", "op": "&", "value": 1}]},
            {"name": "found_cat", "quest": "main", "step": 2,
             "doc": "found the lost cat",
             "when": [{"var": "quest_flags", "op": "&", "value": 2}]},
            {"name": "quest_complete", "quest": "main", "step": 3,
             "doc": "brought the cat home and was thanked: THE END",
             "when": [{"var": "quest_flags", "op": "&", "value": 4},
                      {"var": "game_mode", "op": "==", "value": MODES["done"]}]},
        ],
        "hints": {
            "transition_frames": TRANSITION_FRAMES,
            "boot_frames_max": 150,
            "title_needs": "A",
            "start_button": "START",
            "controls": "title: UP/DOWN choose NEW GAME or CONTINUE, A or START picks it; "
                        "text: A shows the whole page, A again turns the page; naming: "
                        "d-pad moves the cursor, A types the letter (or runs DEL/END), B "
                        "deletes, START jumps to END; walking: hold the d-pad, A talks to "
                        "whoever you face",
            "movement": "hold a direction: 1 pixel per frame, stops when released; one "
                        "axis at a time (UP, then DOWN, LEFT, RIGHT win)",
            "door_note": "walk onto a doorway, or off the map along a path, to change area",
            "text_reveal": f"text types one character every {TYPE_FRAMES} frames; A shows "
                           "the whole page, A again turns the page",
            "player_speed": 1.0,
            "player_size": 16,
            "player_hitbox": [0, 8, 16, 8],
            "player_oam": "OAM entries 0 and 1 (8x16 objects); x = player_x - camera_x + 8, "
                          "y = player_y - camera_y + 16",
            "sprite_formula": "screen x = player_x - camera_x, screen y = player_y - camera_y "
                              "(top-left of the 16x16 sprite)",
            "screen_lag_frames": 1,
            "frame_timing": "logic runs from line 4 (after vblank): RAM is a finished frame "
                            "after every emulator step; OAM, scroll and the screen show it "
                            "one frame later",
            "areas": AREA_NAMES,
            "modes": {**MODES, "menu": -1, "battle": -1},
            "facing_codes": {"down": 0, "up": 1, "left": 2, "right": 3},
        },
    }


def main() -> None:
    """Build and install the ROM; write truth, profile and solver."""
    from eevee.cartridges.build import build, install, write_atomic, write_profile
    from eevee.cartridges.gen.grove_solver import solve, walkthrough
    from eevee.cartridges.registry import get

    cart = get("grove")
    result = build(cart)
    install(result)
    write_profile(cart, profile(result.rom))
    assert result.truth is not None
    script = solve(result.truth)
    text = script.to_json(walkthrough(result.truth))
    write_atomic(cart.solver_path, text.encode("utf-8"))
    print(f"grove: {len(result.rom)} bytes, sha1 {hashlib.sha1(result.rom).hexdigest()}, "
          f"solver {script.frames} frames")


if __name__ == "__main__":
    main()
