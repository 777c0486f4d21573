"""Asset generator for the ``maze`` Game Boy cartridge.

Reads the text pixel art (``assets/tiles.txt``, ``assets/font.txt``) and the ASCII room
maps (``assets/rooms.txt``) and writes ``maze_data.h`` / ``maze_data.c`` into the build
folder: 2bpp tile data, cell metatiles, room grids, the door table and the game-state
struct (whose layout is also the profile's RAM map, so the two cannot disagree).
``generate`` returns the ground truth (rooms, doors, reachable cells, quest steps).

``python -m eevee.cartridges.gen.maze`` builds and installs the ROM and writes
``data/maze/{truth,profile,solver}.json``.
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATE_ADDRESS = 0xC000
ROOM_W = 10
ROOM_H = 8
CELL_PIXELS = 16
STEP_FRAMES = 8
TRANSITION_FRAMES = 20
TITLE_LINES = ("EEVEE", "MAZE")
END_LINES = ("YOU", "ESCAPED")

# name, stable-retro type, doc. Emitted as the C struct at STATE_ADDRESS (sdcc packs
# structs without padding) and as the profile's variables.
STATE_FIELDS: list[tuple[str, str, str]] = [
    ("frame_counter", "<u2", "+1 every frame from boot (title included), wraps"),
    ("game_mode", "|u1", "0 title, 1 playing, 2 room transition, 6 escaped (end screen)"),
    ("area", "|u1", "room id 0..4 (0 cellar, 1 great hall, 2 vault, 3 crypt, 4 gate)"),
    ("player_x", "|u1", "player cell column in the room (0..9)"),
    ("player_y", "|u1", "player cell row in the room (0..7)"),
    ("facing", "|u1", "0 down, 1 up, 2 left, 3 right"),
    ("inventory", "|u1", "bit 0: carrying the key"),
    ("quest_flags", "|u1", "bit 0 key taken, bit 1 locked door opened, bit 2 escaped"),
    ("quest_step", "|u1", "0 start, 1 got key, 2 opened door, 3 escaped"),
    ("rng_state", "<u2", "xorshift16 state, advanced every frame (cosmetic only)"),
    ("move_timer", "|u1", "frames left in the current step (0 = idle, accepts input)"),
    ("keys", "|u1", "buttons held this frame (bit 0 A, 1 B, 2 select, 3 start, 4 R 5 L 6 U 7 D)"),
    ("keys_prev", "|u1", "buttons held last frame"),
    ("transition", "|u1", "frames left in a room transition (game_mode 2)"),
    ("steps", "<u2", "cells walked since START"),
    ("falls", "|u1", "times the player fell into water"),
    ("pixel_x", "|u1", "player pixel x in the room (player_x*16 when idle)"),
    ("pixel_y", "|u1", "player pixel y in the room (player_y*16 when idle)"),
    ("entry_x", "|u1", "cell column where the player entered this room (water respawn)"),
    ("entry_y", "|u1", "cell row where the player entered this room"),
    ("play_frames", "<u2", "frames since START (frozen once escaped)"),
    ("next_mode", "|u1", "game_mode to enter when the transition ends"),
    ("unlocking", "|u1", "1 while the current step is unlocking the door (no movement)"),
    ("anim", "|u1", "walk animation frame"),
    ("rooms_visited", "|u1", "bit n set once room n has been entered"),
    ("hud_dirty", "|u1", "internal: HUD needs redrawing"),
]
_C_TYPES = {"|u1": "u8", "<u2": "u16"}
_SIZES = {"|u1": 1, "<u2": 2}

# cell codes shared with main.c
CELLS: dict[str, tuple[int, str, bool]] = {  # char -> (code, art name, walkable)
    ".": (0, "floor", True),
    "#": (1, "wall", False),
    "D": (2, "door", True),
    "L": (3, "locked", False),
    "K": (4, "key", True),
    "X": (5, "exit", True),
    "~": (6, "water", True),
    "o": (7, "rock", False),
    ",": (8, "grass", True),
    "@": (0, "floor", True),
}
OPEN_DOOR = 9  # a locked door after unlocking, drawn as a door
CELL_ART = ["floor", "wall", "door", "locked", "key", "exit", "water", "rock", "grass", "door"]

_SHADES = {".": 0, "-": 1, "+": 2, "#": 3}


@dataclass(frozen=True)
class Art:
    kind: str  # "cell", "tile" or "sprite"
    name: str
    pixels: list[list[int]]


@dataclass(frozen=True)
class Door:
    room: int
    x: int
    y: int
    to_room: int
    to_x: int
    to_y: int


@dataclass(frozen=True)
class Room:
    index: int
    name: str
    rows: list[str]
    doors: list[Door]


def state_layout() -> list[tuple[str, str, str, int]]:
    """(name, type, doc, address) for every state field."""
    out = []
    addr = STATE_ADDRESS
    for name, typ, doc in STATE_FIELDS:
        out.append((name, typ, doc, addr))
        addr += _SIZES[typ]
    return out


def parse_art(text: str) -> list[Art]:
    """Parse ``tiles.txt`` blocks into pixel grids (values 0..3)."""
    arts: list[Art] = []
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("# ")]
    i = 0
    while i < len(lines):
        kind, name = lines[i].split()
        size = 8 if kind == "tile" else 16
        rows = lines[i + 1 : i + 1 + size]
        if len(rows) != size or any(len(r) != size for r in rows):
            raise ValueError(f"art {name}: expected {size} rows of {size} pixels")
        arts.append(Art(kind, name, [[_SHADES[c] for c in r] for r in rows]))
        i += 1 + size
    return arts


def parse_font(text: str) -> dict[str, list[list[int]]]:
    """Parse ``font.txt``: char -> 7 rows of 5 pixels (1 = ink)."""
    font: dict[str, list[list[int]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("# "):
            continue
        parts = line.split()
        if len(parts) != 8 or any(len(p) != 5 for p in parts[1:]):
            raise ValueError(f"bad font line: {line!r}")
        font[parts[0]] = [[1 if c == "#" else 0 for c in row] for row in parts[1:]]
    return font


def parse_rooms(text: str) -> list[Room]:
    rooms: list[Room] = []
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("# ")]
    i = 0
    while i < len(lines):
        head = lines[i].split(maxsplit=2)
        if head[0] != "room":
            raise ValueError(f"expected 'room N NAME', got {lines[i]!r}")
        index, name = int(head[1]), head[2]
        rows = lines[i + 1 : i + 1 + ROOM_H]
        if any(len(r) != ROOM_W for r in rows):
            raise ValueError(f"room {index}: rows must be {ROOM_W} cells")
        i += 1 + ROOM_H
        doors = []
        while i < len(lines) and lines[i].startswith("door "):
            a = lines[i].replace("->", " ").split()
            x, y, to, tx, ty = (int(v) for v in a[1:6])
            doors.append(Door(index, x, y, to, tx, ty))
            i += 1
        rooms.append(Room(index, name, rows, doors))
    for k, room in enumerate(rooms):
        if room.index != k:
            raise ValueError("rooms must be numbered 0, 1, 2, ... in order")
    return rooms


def tile_2bpp(px: list[list[int]]) -> bytes:
    """One 8x8 tile in Game Boy 2bpp format (row: low plane byte, high plane byte)."""
    out = bytearray()
    for row in px:
        lo = hi = 0
        for x, v in enumerate(row):
            lo |= (v & 1) << (7 - x)
            hi |= ((v >> 1) & 1) << (7 - x)
        out += bytes((lo, hi))
    return bytes(out)


def _quarter(px: list[list[int]], qx: int, qy: int) -> list[list[int]]:
    return [row[qx * 8 : qx * 8 + 8] for row in px[qy * 8 : qy * 8 + 8]]


def _font_tile(glyph: list[list[int]]) -> list[list[int]]:
    px = [[0] * 8 for _ in range(8)]
    for y, row in enumerate(glyph):
        for x, v in enumerate(row):
            if v:
                px[y][x + 1] = 3
    return px


def _big_letter(glyph: list[list[int]]) -> list[list[int]]:
    """A 16x16 letter: the glyph scaled 2x in black with a light grey drop shadow."""
    px = [[0] * 16 for _ in range(16)]
    ink = {(x, y) for y, row in enumerate(glyph) for x, v in enumerate(row) if v}
    for x, y in ink:
        for dy in range(2):
            for dx in range(2):
                sx, sy = 3 + 2 * x + dx + 1, 1 + 2 * y + dy + 1
                if sx < 16 and sy < 16:
                    px[sy][sx] = 1
    for x, y in ink:
        for dy in range(2):
            for dx in range(2):
                px[1 + 2 * y + dy][3 + 2 * x + dx] = 3
    return px


def _c_bytes(data: bytes) -> str:
    rows = []
    for i in range(0, len(data), 16):
        rows.append("    " + ",".join(f"0x{b:02X}" for b in data[i : i + 16]) + ",")
    return "\n".join(rows)


def _reachable(rooms: list[Room], start: tuple[int, int, int]) -> dict[int, set[tuple[int, int]]]:
    """Cells reachable from ``start`` (room, x, y) once the locked door is open."""
    links = {(d.room, d.x, d.y): (d.to_room, d.to_x, d.to_y) for r in rooms for d in r.doors}
    seen = {start}
    todo = deque([start])
    while todo:
        r, x, y = todo.popleft()
        if (r, x, y) in links and (r, x, y) != start:
            nxt = links[(r, x, y)]
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
            continue
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nx, ny = x + dx, y + dy
            if not (0 <= nx < ROOM_W and 0 <= ny < ROOM_H):
                continue
            c = rooms[r].rows[ny][nx]
            if (CELLS[c][2] or c == "L") and (r, nx, ny) not in seen:
                seen.add((r, nx, ny))
                todo.append((r, nx, ny))
    out: dict[int, set[tuple[int, int]]] = {}
    for r, x, y in seen:
        out.setdefault(r, set()).add((x, y))
    return out


def find_start(rooms: list[Room]) -> tuple[int, int, int]:
    for room in rooms:
        for y, row in enumerate(room.rows):
            if "@" in row:
                return room.index, row.index("@"), y
    raise ValueError("no start cell '@'")


def load(source_dir: Path) -> tuple[list[Art], dict[str, list[list[int]]], list[Room]]:
    assets = Path(source_dir) / "assets"
    arts = parse_art((assets / "tiles.txt").read_text(encoding="utf-8"))
    font = parse_font((assets / "font.txt").read_text(encoding="utf-8"))
    rooms = parse_rooms((assets / "rooms.txt").read_text(encoding="utf-8"))
    return arts, font, rooms


def map_hints(rooms: list[Room]) -> dict[str, Any]:
    """Map facts for tests and benchmarks (``truth.json``'s ``map_hints``): room sizes and
    doors, in the shape the profile hints once had (never in the profile)."""
    doors = []
    for d in (d for r in rooms for d in r.doors):
        door: dict[str, Any] = {"area": d.room, "cell": [d.x, d.y], "to_area": d.to_room,
                                "to_cell": [d.to_x, d.to_y]}
        if rooms[d.room].rows[d.y][d.x] == "L":
            door["locked"] = True
        doors.append(door)
    return {"area_sizes": [[ROOM_W, ROOM_H] for _ in rooms], "doors": doors}


def truth(rooms: list[Room]) -> dict[str, Any]:
    start = find_start(rooms)
    reach = _reachable(rooms, start)
    items = []
    exits = []
    locked = []
    for room in rooms:
        for y, row in enumerate(room.rows):
            for x, c in enumerate(row):
                if c == "K":
                    items.append({"room": room.index, "x": x, "y": y, "item": "key", "bit": 1})
                if c == "X":
                    exits.append({"room": room.index, "x": x, "y": y})
                if c == "L":
                    locked.append({"room": room.index, "x": x, "y": y, "needs": "key"})
    return {
        "format": 1,
        "cartridge": "maze",
        "platform": "gb",
        "cell_pixels": CELL_PIXELS,
        "step_frames": STEP_FRAMES,
        "transition_frames": TRANSITION_FRAMES,
        "room_size": [ROOM_W, ROOM_H],
        "legend": {
            "#": "wall", ".": "floor", ",": "grass (floor)", "o": "rock (solid)",
            "~": "water (back to room entry)", "D": "door", "L": "locked door (key)",
            "K": "key", "X": "exit", "@": "start (floor)",
        },
        "start": {"room": start[0], "x": start[1], "y": start[2]},
        "rooms": [
            {"id": r.index, "name": r.name, "cells": r.rows,
             "reachable": sorted([x, y] for x, y in reach.get(r.index, set()))}
            for r in rooms
        ],
        "doors": [
            {"from": {"room": d.room, "x": d.x, "y": d.y},
             "to": {"room": d.to_room, "x": d.to_x, "y": d.to_y},
             "locked": rooms[d.room].rows[d.y][d.x] == "L"}
            for r in rooms for d in r.doors
        ],
        "items": items,
        "locked_doors": locked,
        "exits": exits,
        "map_hints": map_hints(rooms),
        "quest": [
            {"step": 1, "name": "got_key", "where": items[0] if items else None},
            {"step": 2, "name": "opened_door", "where": locked[0] if locked else None},
            {"step": 3, "name": "escaped", "where": exits[0] if exits else None},
        ],
    }


def generate(source_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Write ``maze_data.[ch]`` into ``build_dir``; return the ground truth."""
    arts, font, rooms = load(source_dir)
    tiles: list[bytes] = [bytes(16)] * 256
    defines: list[str] = []
    nxt = 1
    for art in arts:
        if art.kind == "tile":
            idx = 0 if art.name == "blank" else nxt
            if art.name != "blank":
                nxt += 1
            tiles[idx] = tile_2bpp(art.pixels)
            defines.append(f"#define T_{art.name.upper()} 0x{idx:02X}")
    if nxt > 0x20:
        raise ValueError("too many small tiles")
    for ch, glyph in font.items():
        tiles[ord(ch)] = tile_2bpp(_font_tile(glyph))
    nxt = 0x80
    cell_base: dict[str, int] = {}
    for art in arts:
        if art.kind != "cell":
            continue
        cell_base[art.name] = nxt
        for qx, qy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            tiles[nxt] = tile_2bpp(_quarter(art.pixels, qx, qy))
            nxt += 1
    big_letters = sorted(set("".join(TITLE_LINES + END_LINES)) - {" "})
    big_base: dict[str, int] = {}
    for ch in big_letters:
        big_base[ch] = nxt
        px = _big_letter(font[ch])
        for qx, qy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            tiles[nxt] = tile_2bpp(_quarter(px, qx, qy))
            nxt += 1
    sprite_base: dict[str, int] = {}
    for art in arts:
        if art.kind != "sprite":
            continue
        sprite_base[art.name] = nxt
        for qx, qy in ((0, 0), (0, 1), (1, 0), (1, 1)):  # 8x16 OBJ: column by column
            tiles[nxt] = tile_2bpp(_quarter(art.pixels, qx, qy))
            nxt += 1
    if nxt > 256:
        raise ValueError(f"{nxt} tiles do not fit in 256")
    tile_count = nxt

    h: list[str] = [
        "/* Generated by eevee.cartridges.gen.maze from assets/*.txt: do not edit. */",
        "#ifndef MAZE_DATA_H",
        "#define MAZE_DATA_H",
        '#include "gb.h"',
        "",
        f"#define ROOM_W {ROOM_W}",
        f"#define ROOM_H {ROOM_H}",
        f"#define ROOM_COUNT {len(rooms)}",
        f"#define STEP_FRAMES {STEP_FRAMES}",
        f"#define STEP_PIXELS {CELL_PIXELS // STEP_FRAMES}",
        f"#define TRANSITION_FRAMES {TRANSITION_FRAMES}",
        f"#define TILE_COUNT {tile_count}",
        f"#define DOOR_COUNT {sum(len(r.doors) for r in rooms)}",
        *defines,
    ]
    codes = sorted({(v[0], v[1]) for v in CELLS.values()})
    for code, name in codes:
        h.append(f"#define C_{name.upper()} {code}")
    h.append(f"#define C_OPEN {OPEN_DOOR}")
    for name, base in sprite_base.items():
        h.append(f"#define S_{name.upper()} 0x{base:02X}")
    start = find_start(rooms)
    h += [
        f"#define START_ROOM {start[0]}",
        f"#define START_X {start[1]}",
        f"#define START_Y {start[2]}",
        "",
        "struct State {",
    ]
    for name, typ, doc, addr in state_layout():
        h.append(f"    {_C_TYPES[typ]} {name}; /* 0x{addr:04X} {doc} */")
    h += [
        "};",
        f"#define STATE_ADDRESS 0x{STATE_ADDRESS:04X}",
        "",
        "extern const u8 tile_data[];",
        "extern const u8 cell_tiles[][4];",
        "extern const u8 room_cells[][ROOM_W * ROOM_H];",
        "extern const u8 door_table[][5];",
        "extern const char *const room_names[];",
        "extern const u8 big_tiles[26];",
        "#endif",
        "",
    ]
    c: list[str] = [
        "/* Generated by eevee.cartridges.gen.maze from assets/*.txt: do not edit. */",
        '#include "maze_data.h"',
        "",
        "const u8 tile_data[] = {",
        _c_bytes(b"".join(tiles[:tile_count])),
        "};",
        "",
        "/* top-left, top-right, bottom-left, bottom-right tile of each cell code */",
        "const u8 cell_tiles[][4] = {",
    ]
    for code, art_name in enumerate(CELL_ART):
        b = cell_base[art_name]
        c.append(f"    {{0x{b:02X}, 0x{b + 1:02X}, 0x{b + 2:02X}, 0x{b + 3:02X}}}, /* {code} */")
    c += ["};", "", "const u8 room_cells[][ROOM_W * ROOM_H] = {"]
    for room in rooms:
        vals = [CELLS[ch][0] for row in room.rows for ch in row]
        c.append(f"    {{ /* {room.index} {room.name} */")
        for y in range(ROOM_H):
            row = vals[y * ROOM_W : (y + 1) * ROOM_W]
            c.append("        " + ",".join(str(v) for v in row) + ",")
        c.append("    },")
    c += ["};", "", "/* room, x, y -> to room, to x, to y (x and y packed: y * 16 + x) */"]
    c.append("const u8 door_table[][5] = {")
    for room in rooms:
        for d in room.doors:
            c.append(f"    {{{d.room}, {d.x}, {d.y}, {d.to_room}, {d.to_y * 16 + d.to_x}}},")
    c += ["};", "", "const char *const room_names[] = {"]
    for room in rooms:
        c.append(f'    "{room.name}",')
    c += ["};", "", "/* first of 4 tiles (TL, TR, BL, BR) of the big letter A..Z, 0 if none */"]
    c.append("const u8 big_tiles[26] = {")
    c.append("    " + ",".join(f"0x{big_base.get(chr(65 + i), 0):02X}" for i in range(26)) + ",")
    c += ["};", ""]
    build_dir = Path(build_dir)
    (build_dir / "maze_data.h").write_text("\n".join(h), encoding="utf-8")
    (build_dir / "maze_data.c").write_text("\n".join(c), encoding="utf-8")
    return truth(rooms)


def profile(rom: bytes) -> dict[str, Any]:
    """The game profile (RAM map, milestones, hints) for the built ``rom``."""
    from eevee.cartridges.registry import SOURCE_DIR

    _, _, rooms = load(SOURCE_DIR / "maze")
    variables = {
        name: {"address": f"0x{addr:04X}", "type": typ, "doc": doc}
        for name, typ, doc, addr in state_layout()
        if name != "hud_dirty"
    }
    return {
        "format": 1,
        "name": "maze",
        "platform": "gb",
        "rom": {"sha1": hashlib.sha1(rom).hexdigest(), "game_code": "EVMZ",
                "title": "EEVEE MAZE"},
        "variables": variables,
        "milestones": [
            {"name": "started", "quest": "main", "step": 0,
             "doc": "pressed START on the title screen",
             "when": [{"var": "game_mode", "op": ">=", "value": 1}]},
            {"name": "got_key", "quest": "main", "step": 1,
             "doc": "picked up the key in the vault (room 2)",
             "when": [{"var": "inventory", "op": "&", "value": 1}]},
            {"name": "opened_door", "quest": "main", "step": 2,
             "doc": "unlocked the door in the crypt (room 3) with the key",
             "when": [{"var": "quest_flags", "op": "&", "value": 2}]},
            {"name": "escaped", "quest": "main", "step": 3,
             "doc": "reached the exit stairs in the gate room (room 4)",
             "when": [{"var": "quest_flags", "op": "&", "value": 4}]},
            {"name": "quest_complete", "quest": "main", "step": 4,
             "doc": "the YOU ESCAPED screen is showing",
             "when": [{"var": "game_mode", "op": "==", "value": 6},
                      {"var": "quest_step", "op": ">=", "value": 3}]},
        ],
        "hints": {
            "cell_pixels": CELL_PIXELS,
            "step_frames": STEP_FRAMES,
            "transition_frames": TRANSITION_FRAMES,
            "room_cells": [ROOM_W, ROOM_H],
            "room_origin_pixels": [0, 0],
            "hud_rows_pixels": [128, 144],
            "rooms": len(rooms),
            "start_button": "START",
            "movement": "hold a direction: one cell per step_frames frames while held",
            "door_note": "walk onto a door cell to change room",
            "locked_door": "walk into it while carrying the key (one step) to open it",
            "hazard": "water cells send the player back to where they entered the room",
            "boot_frames_max": 120,
            "player_oam": "OAM entries 0 and 1 (8x16 objects); x = pixel_x + 8, y = pixel_y + 16",
            "frame_timing": "logic runs from line 4 (after vblank): RAM is a finished frame "
                            "after every emulator step; OAM and the screen may lag it by 1-2 "
                            "frames",
            "areas": [r.name.title() for r in rooms],
            "screen_cells": [ROOM_W, ROOM_H],
            "modes": {"title": 0, "overworld": 1, "transition": 2, "dialogue": -1, "menu": -1,
                      "battle": -1, "done": 6},
            "var_aliases": {"moving": "move_timer"},
            "facing_codes": {"down": 0, "up": 1, "left": 2, "right": 3},
            "hazard_counters": ["falls"],
        },
    }


def main() -> None:
    """Build and install the ROM; write truth, profile and solver."""
    from eevee.cartridges.build import build, install, write_atomic, write_profile
    from eevee.cartridges.gen.maze_solver import solve, walkthrough
    from eevee.cartridges.registry import get

    cart = get("maze")
    result = build(cart)
    install(result)
    write_profile(cart, profile(result.rom))
    assert result.truth is not None
    script = solve(result.truth)
    text = script.to_json(walkthrough(result.truth))
    write_atomic(cart.solver_path, text.encode("utf-8"))
    print(f"maze: {len(result.rom)} bytes, sha1 {hashlib.sha1(result.rom).hexdigest()}, "
          f"solver {script.frames} frames")


if __name__ == "__main__":
    main()
