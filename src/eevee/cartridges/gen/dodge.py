"""Asset generator for the ``dodge`` GBA cartridge.

Turns the text art in ``source/dodge/assets`` into 4bpp tiles, palettes, the scenery
map (night sky, moon, mountains, hills and ground; the skyline is drawn from periodic
height profiles so the 256-pixel map wraps when it scrolls) and the big title letters,
and writes ``dodge_data.[ch]`` into the build folder together with the game-state struct
(its layout is the profile's RAM map) and the difficulty table. ``generate`` returns the
ground truth: the spawn / difficulty table and the hazard rules.

``python -m eevee.cartridges.gen.dodge`` builds and installs the ROM and writes
``data/dodge/{truth,profile}.json`` (the solver is made by ``gen/dodge_solver.py``).
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

from eevee.cartridges.gen.maze import parse_font

STATE_ADDRESS = 0x02000000
MAX_HAZARDS = 16
HAZARD_STRIDE = 12
LEVEL_FRAMES = 600
PLAYER_SPEED = 2
PLAY_TOP = 16
PLAY_BOTTOM = 128  # highest player y (top of the 16x16 sprite)
PLAYER_HITBOX = (3, 3, 10, 10)  # x, y, w, h inside the player's 16x16 sprite
ROCK_HITBOX = (3, 3, 10, 10)
BOLT_HITBOX = (2, 1, 4, 6)
GAME_OVER_LOCK = 30  # frames before START restarts after a hit

# (spawn interval frames, min fall speed px/frame, random extra px/frame,
#  bolt chance /256, max sideways drift px/frame); one row per LEVEL_FRAMES
LEVELS: list[tuple[int, float, float, int, float]] = [
    (30, 2.00, 1.00, 0, 0.00),
    (24, 2.25, 1.25, 40, 0.00),
    (20, 2.50, 1.50, 56, 0.25),
    (16, 2.75, 1.75, 72, 0.50),
    (13, 3.00, 2.00, 88, 0.50),
    (10, 3.25, 2.00, 104, 0.75),
    (8, 3.50, 2.25, 120, 0.75),
    (6, 3.75, 2.50, 136, 1.00),
]
BOLT_SPEED_NUM = 3  # bolts fall 3/2 as fast as rocks and aim at the player
BOLT_SPEED_DEN = 2

# (name, C type, stable-retro type, doc); natural alignment holds in this order
STATE_FIELDS: list[tuple[str, str, str, str]] = [
    ("frame_counter", "u32", "<u4", "+1 every frame from boot (title included)"),
    ("game_mode", "u8", "|u1", "0 title, 1 playing, 6 game over (START restarts)"),
    ("level", "u8", "|u1", "difficulty level 0..7 (score / 600)"),
    ("facing", "u8", "|u1", "0 down 1 up 2 left 3 right: last direction moved"),
    ("hazard_count", "u8", "|u1", "active hazards in the hazards array"),
    ("player_x", "s16", "<i2", "player sprite left edge, pixels (0..224)"),
    ("player_y", "s16", "<i2", "player sprite top edge, pixels (16..128)"),
    ("score", "u32", "<u4", "frames survived this run"),
    ("best_score", "u32", "<u4", "best score since power-on"),
    ("rng_state", "u32", "<u4", "xorshift32 state; advanced every frame and per spawn"),
    ("keys", "u16", "<u2", "buttons held (KEYINPUT bits, 1 = pressed)"),
    ("keys_prev", "u16", "<u2", "buttons held last frame"),
    ("spawn_timer", "u16", "<u2", "frames until the next hazard spawns"),
    ("runs", "u16", "<u2", "runs started since power-on"),
    ("over_frames", "u32", "<u4", "frames since the last game over"),
    ("hazards", "struct Hazard", "|u1",
     f"{MAX_HAZARDS} records of {HAZARD_STRIDE} bytes, layout in hints.hazards"),
]
_SIZES = {"u8": 1, "s16": 2, "u16": 2, "u32": 4}
HAZARD_FIELDS: list[tuple[str, str, str, int]] = [  # name, C type, retro type, offset
    ("kind", "u8", "|u1", 0),
    ("size", "u8", "|u1", 1),
    ("x", "s16", "<i2", 2),
    ("y", "s16", "<i2", 4),
    ("vx", "s16", "<i2", 6),
    ("vy", "s16", "<i2", 8),
    ("fx", "u8", "|u1", 10),
    ("fy", "u8", "|u1", 11),
]

SPRITE_PALETTE: list[tuple[str, int, int, int]] = [
    (".", 0, 0, 0), ("k", 16, 16, 24), ("w", 248, 248, 248), ("y", 248, 208, 48),
    ("o", 240, 128, 32), ("r", 216, 40, 40), ("b", 40, 80, 216), ("c", 96, 232, 248),
    ("g", 150, 140, 130), ("d", 96, 88, 84), ("l", 200, 192, 184), ("n", 140, 90, 40),
    ("m", 90, 56, 24), ("p", 248, 136, 160), ("s", 248, 200, 160), ("t", 32, 160, 144),
]
SCENE_PALETTE: list[tuple[str, int, int, int]] = [
    (".", 12, 14, 48), ("a", 28, 26, 80), ("b", 60, 38, 104), ("s", 232, 224, 160),
    ("S", 255, 255, 240), ("m", 44, 48, 96), ("M", 32, 34, 72), ("h", 24, 72, 56),
    ("H", 16, 52, 40), ("g", 72, 160, 64), ("G", 40, 112, 48), ("e", 120, 80, 48),
    ("E", 88, 56, 32), ("r", 150, 140, 130), ("k", 8, 8, 20), ("x", 0, 0, 0),
]
TEXT_PALETTE: list[tuple[int, int, int]] = [
    (0, 0, 0), (255, 255, 255), (20, 20, 40), (255, 216, 64), (255, 96, 64),
]


def rgb15(r: int, g: int, b: int) -> int:
    return (r >> 3) | ((g >> 3) << 5) | ((b >> 3) << 10)


def tile_4bpp(px: list[list[int]]) -> bytes:
    """One 8x8 tile, 4 bits per pixel, low nibble = left pixel."""
    out = bytearray()
    for row in px:
        for x in range(0, 8, 2):
            out.append((row[x] & 15) | ((row[x + 1] & 15) << 4))
    return bytes(out)


def _cut(px: list[list[int]], w: int, h: int) -> list[list[list[int]]]:
    """Row-major 8x8 tiles of a w x h picture (the GBA 1D sprite order)."""
    return [[row[tx * 8 : tx * 8 + 8] for row in px[ty * 8 : ty * 8 + 8]]
            for ty in range(h // 8) for tx in range(w // 8)]


def parse_blocks(text: str, kinds: tuple[str, ...]) -> list[tuple[str, str, int, list[str]]]:
    """``KIND NAME [SIZE]`` headers followed by SIZE rows of SIZE characters."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("# ")]
    out = []
    i = 0
    while i < len(lines):
        head = lines[i].split()
        if head[0] not in kinds:
            raise ValueError(f"expected one of {kinds}, got {lines[i]!r}")
        size = int(head[2]) if len(head) > 2 else 8
        rows = lines[i + 1 : i + 1 + size]
        if len(rows) != size or any(len(r) != size for r in rows):
            raise ValueError(f"{head[1]}: expected {size} rows of {size} pixels")
        out.append((head[0], head[1], size, rows))
        i += 1 + size
    return out


def _profile(x: int, base: float, parts: list[tuple[float, int, float]]) -> int:
    """A skyline height at column x: base + sum of sines periodic over 256 pixels."""
    v = base
    for amp, cycles, phase in parts:
        v += amp * math.sin(2 * math.pi * cycles * x / 256 + phase)
    return round(v)


def scenery(tiles8: dict[str, list[str]]) -> tuple[list[bytes], list[int]]:
    """The 256x160 background as unique 4bpp tiles and a 32x20 map."""
    idx = {c: i for i, (c, *_rgb) in enumerate(SCENE_PALETTE)}
    w, h = 256, 160
    px = [[idx["."]] * w for _ in range(h)]
    for y in range(h):
        for x in range(w):
            # sky gradient with an ordered dither between bands
            d = ((x & 1) ^ (y & 1)) * 2 + (y & 1)
            if y > 40 + d * 3:
                px[y][x] = idx["a"]
            if y > 72 + d * 3:
                px[y][x] = idx["b"]
    # stars (a fixed hash, no randomness) and the moon
    for ty in range(1, 10):
        for tx in range(32):
            hsh = (tx * 73 + ty * 151 + tx * ty * 7) % 23
            name = {0: "star1", 5: "star2", 11: "star3", 17: "star1"}.get(hsh)
            if name:
                for yy, row in enumerate(tiles8[name]):
                    for xx, c in enumerate(row):
                        if c != ".":
                            px[ty * 8 + yy][tx * 8 + xx] = idx[c]
    cx, cy = 226, 34  # a crescent moon
    for y in range(cy - 10, cy + 11):
        for x in range(cx - 10, cx + 11):
            d1 = (x - cx) ** 2 + (y - cy) ** 2
            d2 = (x - cx - 5) ** 2 + (y - cy + 3) ** 2
            if d1 <= 81 and d2 > 64:
                px[y][x] = idx["S"] if d1 <= 56 else idx["s"]
    far = [(14.0, 2, 0.3), (7.0, 5, 1.1), (3.0, 11, 2.0)]
    near = [(6.0, 3, 2.2), (3.0, 7, 0.4)]
    for x in range(w):
        top = _profile(x, 92, far)
        lit = _profile(x + 4, 92, far) - _profile(x - 4, 92, far) < 0
        for y in range(top, 144):
            shade = not lit and y < top + 14 and (y - top < 10 or (x + y) % 2 == 0)
            px[y][x] = idx["M"] if shade else idx["m"]
            if lit and y == top:
                px[y][x] = idx["b"]
        top2 = _profile(x, 122, near)
        for y in range(top2, 144):
            dots = (x * 7 + y * 13) % 29 == 0 or (x * 3 + y * 5) % 37 == 0
            px[y][x] = idx["H"] if y > top2 + 1 and dots else idx["h"]
            if y == top2:
                px[y][x] = idx["G"]
    for tx in range(32):
        for yy in range(8):
            px[144 + yy][tx * 8 : tx * 8 + 8] = [idx[c] for c in tiles8[f"ground{tx % 2}"][yy]]
            px[152 + yy][tx * 8 : tx * 8 + 8] = [idx[c] for c in tiles8[f"earth{tx % 2}"][yy]]
    for y in range(16):  # HUD strip
        for x in range(w):
            px[y][x] = idx["k"] if y < 15 else idx["a"]
    unique: dict[bytes, int] = {}
    tiles: list[bytes] = []
    tmap: list[int] = []
    for t in _cut(px, w, h):
        b = tile_4bpp(t)
        if b not in unique:
            unique[b] = len(tiles)
            tiles.append(b)
        tmap.append(unique[b])
    return tiles, tmap


def _font_tiles(font: dict[str, list[list[int]]]) -> tuple[list[bytes], dict[str, int]]:
    """Text-layer tiles: ASCII 0x20..0x7F as 8x8 white glyphs with a dark shadow, then
    the 16x16 big letters (yellow, 2x) for the title; tile 0 is transparent."""
    tiles = [bytes(32)] * 128
    for ch, glyph in font.items():
        px = [[0] * 8 for _ in range(8)]
        for y, row in enumerate(glyph):
            for x, v in enumerate(row):
                if v and y + 1 < 8:
                    px[y + 1][x + 2] = 2
        for y, row in enumerate(glyph):
            for x, v in enumerate(row):
                if v:
                    px[y][x + 1] = 1
        tiles[ord(ch)] = tile_4bpp(px)
    big: dict[str, int] = {}
    for ch in sorted(set("EEVEEDODGEGAMEOVER")):
        px = [[0] * 16 for _ in range(16)]
        ink = [(x, y) for y, row in enumerate(font[ch]) for x, v in enumerate(row) if v]
        for x, y in ink:
            for dy in range(2):
                for dx in range(2):
                    sx, sy = 3 + 2 * x + dx + 1, 1 + 2 * y + dy + 1
                    if sx < 16 and sy < 16:
                        px[sy][sx] = 2
        for x, y in ink:
            for dy in range(2):
                for dx in range(2):
                    px[1 + 2 * y + dy][3 + 2 * x + dx] = 4 if dy else 3
        big[ch] = len(tiles)
        tiles += [tile_4bpp(t) for t in _cut(px, 16, 16)]
    return tiles, big


def _c_words(data: bytes, name: str) -> str:
    words = [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]
    rows = []
    for i in range(0, len(words), 8):
        rows.append("    " + ",".join(f"0x{w:08X}" for w in words[i : i + 8]) + ",")
    return f"const u32 {name}[{len(words)}] = {{\n" + "\n".join(rows) + "\n};\n"


def _c_u16(values: list[int], name: str) -> str:
    rows = []
    for i in range(0, len(values), 16):
        rows.append("    " + ",".join(f"0x{v:04X}" for v in values[i : i + 16]) + ",")
    return f"const u16 {name}[{len(values)}] = {{\n" + "\n".join(rows) + "\n};\n"


def state_layout() -> list[tuple[str, str, str, int]]:
    """(name, retro type, doc, address) of every state field."""
    out = []
    addr = STATE_ADDRESS
    for name, ctype, rtype, doc in STATE_FIELDS:
        size = MAX_HAZARDS * HAZARD_STRIDE if name == "hazards" else _SIZES[ctype]
        if ctype != "struct Hazard" and (addr - STATE_ADDRESS) % size:
            raise ValueError(f"{name} is not naturally aligned")
        out.append((name, rtype, doc, addr))
        addr += size
    return out


def truth() -> dict[str, Any]:
    return {
        "format": 1,
        "cartridge": "dodge",
        "platform": "gba",
        "level_frames": LEVEL_FRAMES,
        "levels": [
            {"level": i, "from_score": i * LEVEL_FRAMES, "spawn_interval": iv,
             "fall_speed_min": vmin, "fall_speed_extra": vr, "bolt_chance": bolt / 256,
             "drift_max": drift}
            for i, (iv, vmin, vr, bolt, drift) in enumerate(LEVELS)
        ],
        "bolt_speed_factor": BOLT_SPEED_NUM / BOLT_SPEED_DEN,
        "bolts": "aimed at the player's position when they spawn",
        "max_hazards": MAX_HAZARDS,
        "player_speed": PLAYER_SPEED,
        "player_area": {"x": [0, 224], "y": [PLAY_TOP, PLAY_BOTTOM]},
        "hitboxes": {"player": PLAYER_HITBOX, "rock": ROCK_HITBOX, "bolt": BOLT_HITBOX},
        "rng": "xorshift32 (13, 17, 5), seeded 0x2545F491 at boot, stepped every frame",
        "game_over_lock_frames": GAME_OVER_LOCK,
    }


def generate(source_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Write ``dodge_data.[ch]`` into ``build_dir``; return the ground truth."""
    assets = Path(source_dir) / "assets"
    font = parse_font((assets / "font.txt").read_text(encoding="utf-8"))
    sprites = parse_blocks((assets / "sprites.txt").read_text(encoding="utf-8"), ("sprite",))
    scene = parse_blocks((assets / "scenery.txt").read_text(encoding="utf-8"), ("tile",))
    tiles8 = {name: rows for _k, name, _s, rows in scene}
    bg_tiles, bg_map = scenery(tiles8)
    text_tiles, big = _font_tiles(font)
    spal = {c: i for i, (c, *_rgb) in enumerate(SPRITE_PALETTE)}
    obj: list[bytes] = []
    obj_index: dict[str, int] = {}
    for _k, name, size, rows in sprites:
        obj_index[name] = len(obj)
        px = [[spal[c] for c in row] for row in rows]
        obj += [tile_4bpp(t) for t in _cut(px, size, size)]
    h = [
        "/* Generated by eevee.cartridges.gen.dodge from assets/*.txt: do not edit. */",
        "#ifndef DODGE_DATA_H",
        "#define DODGE_DATA_H",
        '#include "gba.h"',
        "",
        f"#define MAX_HAZARDS {MAX_HAZARDS}",
        f"#define LEVEL_FRAMES {LEVEL_FRAMES}",
        f"#define LEVEL_COUNT {len(LEVELS)}",
        f"#define PLAYER_SPEED {PLAYER_SPEED}",
        f"#define PLAY_TOP {PLAY_TOP}",
        f"#define PLAY_BOTTOM {PLAY_BOTTOM}",
        f"#define GAME_OVER_LOCK {GAME_OVER_LOCK}",
        f"#define BOLT_SPEED_NUM {BOLT_SPEED_NUM}",
        f"#define BOLT_SPEED_DEN {BOLT_SPEED_DEN}",
        "#define PHB_X {}\n#define PHB_Y {}\n#define PHB_W {}\n#define PHB_H {}".format(
            *PLAYER_HITBOX),
        "#define RHB_X {}\n#define RHB_Y {}\n#define RHB_W {}\n#define RHB_H {}".format(
            *ROCK_HITBOX),
        "#define BHB_X {}\n#define BHB_Y {}\n#define BHB_W {}\n#define BHB_H {}".format(
            *BOLT_HITBOX),
        f"#define BG_TILE_COUNT {len(bg_tiles)}",
        f"#define TEXT_TILE_COUNT {len(text_tiles)}",
        f"#define OBJ_TILE_COUNT {len(obj)}",
        *(f"#define OBJ_{n.upper()} {i}" for n, i in obj_index.items()),
        "",
        "struct Hazard {",
    ]
    for name, ctype, _rt, off in HAZARD_FIELDS:
        h.append(f"    {ctype} {name}; /* +{off} */")
    h += ["};", "", "struct State {"]
    for (name, ctype, _rt, doc), (_n, _t, _d, addr) in zip(STATE_FIELDS, state_layout()):
        arr = f"[{MAX_HAZARDS}]" if name == "hazards" else ""
        h.append(f"    {ctype} {name}{arr}; /* 0x{addr:08X} {doc} */")
    h += ["};", ""]
    for name, _ct, _rt, off in HAZARD_FIELDS:
        h.append(f"_Static_assert(__builtin_offsetof(struct Hazard, {name}) == {off}, "
                 f'"hazard layout");')
    h.append(f'_Static_assert(sizeof(struct Hazard) == {HAZARD_STRIDE}, "hazard size");')
    for name, _rt, _doc, addr in state_layout():
        h.append(f"_Static_assert(__builtin_offsetof(struct State, {name}) == "
                 f'{addr - STATE_ADDRESS}, "state layout");')
    h += [
        "",
        "/* interval, min speed (1/256 px), extra speed (1/256 px), bolt chance, drift */",
        "extern const s16 level_table[LEVEL_COUNT][5];",
        "extern const u32 bg_tiles[];",
        "extern const u16 bg_map[32 * 20];",
        "extern const u32 text_tiles[];",
        "extern const u32 obj_tiles[];",
        "extern const u16 bg_palette[16];",
        "extern const u16 text_palette[16];",
        "extern const u16 obj_palette[16];",
        "extern const u8 big_tiles[26];",
        "#endif",
        "",
    ]
    pal_text = [rgb15(*c) for c in TEXT_PALETTE]
    c = [
        "/* Generated by eevee.cartridges.gen.dodge from assets/*.txt: do not edit. */",
        '#include "dodge_data.h"',
        "",
        "const s16 level_table[LEVEL_COUNT][5] = {",
    ]
    for iv, vmin, vr, bolt, drift in LEVELS:
        c.append(f"    {{{iv}, {round(vmin * 256)}, {round(vr * 256)}, {bolt}, "
                 f"{round(drift * 256)}}},")
    c += ["};", ""]
    c.append(_c_words(b"".join(bg_tiles), "bg_tiles"))
    c.append(_c_u16(bg_map, "bg_map"))
    c.append(_c_words(b"".join(text_tiles), "text_tiles"))
    c.append(_c_words(b"".join(obj), "obj_tiles"))
    c.append(_c_u16([rgb15(r, g, b) for _c, r, g, b in SCENE_PALETTE], "bg_palette"))
    c.append(_c_u16(pal_text + [0] * (16 - len(pal_text)), "text_palette"))
    c.append(_c_u16([rgb15(r, g, b) for _c, r, g, b in SPRITE_PALETTE], "obj_palette"))
    c.append("const u8 big_tiles[26] = {")
    c.append("    " + ",".join(str(big.get(chr(65 + i), 0)) for i in range(26)) + ",")
    c.append("};")
    build_dir = Path(build_dir)
    (build_dir / "dodge_data.h").write_text("\n".join(h), encoding="utf-8")
    (build_dir / "dodge_data.c").write_text("\n".join(c) + "\n", encoding="utf-8")
    return truth()


def profile(rom: bytes) -> dict[str, Any]:
    """The game profile (RAM map, milestones, hints) for the built ``rom``."""
    variables = {
        name: {"address": f"0x{addr:08X}", "type": rtype, "doc": doc}
        for name, rtype, doc, addr in state_layout()
    }
    hazards_addr = int(variables["hazards"]["address"], 16)
    milestones = [
        {"name": "started", "quest": "survive", "step": 0, "doc": "pressed START",
         "when": [{"var": "game_mode", "op": ">=", "value": 1}]},
    ]
    for step, frames in enumerate((600, 1800, 3600), start=1):
        milestones.append({
            "name": f"survived_{frames}", "quest": "survive", "step": step,
            "doc": f"survived {frames} frames ({frames // 60} s) in one run",
            "when": [{"var": "best_score", "op": ">=", "value": frames}],
        })
    milestones.append({
        "name": "quest_complete", "quest": "survive", "step": 4,
        "doc": "survived 6000 frames (100 s, the top difficulty) in one run",
        "when": [{"var": "best_score", "op": ">=", "value": 6000}],
    })
    return {
        "format": 1,
        "name": "dodge",
        "platform": "gba",
        "rom": {"sha1": hashlib.sha1(rom).hexdigest(), "game_code": "EVDG",
                "title": "EEVEE DODGE"},
        "variables": variables,
        "milestones": milestones,
        "hints": {
            "start_button": "START",
            "player_speed": PLAYER_SPEED,
            "player_size": 16,
            "player_hitbox": list(PLAYER_HITBOX),
            "player_area": {"x_min": 0, "x_max": 224, "y_min": PLAY_TOP, "y_max": PLAY_BOTTOM},
            "hazards": {
                "address": f"0x{hazards_addr:08X}",
                "count": MAX_HAZARDS,
                "stride": HAZARD_STRIDE,
                "fields": {n: {"offset": off, "type": rt} for n, _c, rt, off in HAZARD_FIELDS},
                "kinds": {"0": "empty slot", "1": "rock (16x16)", "2": "fire bolt (8x8, aimed)"},
                "velocity_units": "vx, vy in 1/256 pixel per frame; x, y = sprite top-left",
                "hitboxes": {"1": list(ROCK_HITBOX), "2": list(BOLT_HITBOX)},
            },
            "level_frames": LEVEL_FRAMES,
            "score": "frames survived in the current run",
            "restart": "START on the game-over screen (after 30 frames) starts a new run",
            "frame_timing": "OAM is written at vblank from the previous frame's state: the "
                            "sprites after frame N show the RAM after frame N-1",
            "modes": {"title": 0, "overworld": 1, "restart": 6, "dialogue": -1, "menu": -1,
                      "battle": -1, "transition": -1},
        },
    }


def main() -> None:
    """Build and install the ROM; write truth and profile."""
    from eevee.cartridges.build import build, install, write_profile
    from eevee.cartridges.registry import get

    cart = get("dodge")
    result = build(cart)
    install(result)
    write_profile(cart, profile(result.rom))
    print(f"dodge: {len(result.rom)} bytes, sha1 {hashlib.sha1(result.rom).hexdigest()}")


if __name__ == "__main__":
    main()
