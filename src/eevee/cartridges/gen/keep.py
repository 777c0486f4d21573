"""Asset generator for the *keep* cartridge (GBA): readable text assets → C, plus truth.

``generate(source_dir, build_dir)`` reads ``source/keep/assets/*.txt`` (palettes, map
tiles, sprites, HUD tiles, font, maps), writes ``keep_data.c`` / ``keep_data.h`` /
``keep_state.h`` into ``build_dir`` and returns the ground truth (``data/keep/truth.json``:
the maps, legend, warps, slime patrols, where the key, door and altar are, the hit
boxes, and ``map_hints``). Output is byte-reproducible.

The game state struct (:data:`VARIABLES`, then the slime table) is generated here at
0x02000000, so the profile's RAM map cannot drift from the game. The graphics are made
by :mod:`~eevee.cartridges.gen.keep_art`, the maps read and drawn, and the collision
rules kept, by :mod:`~eevee.cartridges.gen.keep_maps`; the solver is
:mod:`~eevee.cartridges.gen.keep_solver`.

    python -m eevee.cartridges.gen.keep    # build and install the ROM, truth and profile
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from eevee.cartridges.gen.gba_assets import AssetError, c_array, c_string
from eevee.cartridges.gen.keep_art import graphics
from eevee.cartridges.gen.keep_maps import (
    ATTR_BIT,
    FEET_BOX,
    TILE,
    Legend,
    Slime,
    blocks,
    parse_maps,
    tile_art,
)

STATE_ADDR = 0x02000000
MAX_HP = 6
SWORD_FRAMES = 12
INVULN_FRAMES = 60
KNOCKBACK_FRAMES = 8  # 2 pixels a frame: 16 pixels
FADE_FRAMES = 16
MSG_FRAMES = 120
HURT_BOX = (2, 2, 12, 14)  # inside the player's sprite
SLIME_BOX = (2, 4, 12, 12)  # inside a slime's sprite
KEY_BOX = (4, 2, 8, 12)  # inside the key's sprite
# the sword's reach, relative to the player's top-left, and where its sprite goes
SWORD_BOXES = {"down": (5, 16, 6, 12), "up": (5, -12, 6, 12),
               "left": (-12, 5, 12, 6), "right": (16, 5, 12, 6)}
SWORD_SPRITE = {"down": (0, 12), "up": (0, -12), "left": (-12, 0), "right": (12, 0)}
FACING = {"down": 0, "up": 1, "left": 2, "right": 3}
MODES = {"title": 0, "playing": 1, "fade": 2, "game_over": 3, "end": 4}
ITEMS = ["KEY"]
FLAGS = ["GOT_KEY", "OPENED_DOOR", "QUEST_DONE"]
MAIN_QUEST: list[tuple[str, str, str]] = [
    ("got_key", "GOT_KEY", "Find the key somewhere in the cave and pick it up"),
    ("opened_door", "OPENED_DOOR", "Open the locked door of the shrine with the key"),
    ("quest_complete", "QUEST_DONE", "Reach the treasure inside the shrine: the quest is "
                                     "complete"),
]
MAX_SLIMES = 6
SLIME_STRIDE = 12
SLIME_FIELDS: list[tuple[str, str, str, int]] = [  # name, C type, retro type, offset
    ("kind", "u8", "|u1", 0), ("area", "u8", "|u1", 1), ("x", "s16", "<i2", 2),
    ("y", "s16", "<i2", 4), ("vx", "s16", "<i2", 6), ("vy", "s16", "<i2", 8),
    ("anim", "u8", "|u1", 10), ("pad", "u8", "|u1", 11),
]


# (name, C type, stable-retro type, doc), in struct order at 0x02000000
VARIABLES: list[tuple[str, str, str, str]] = [
    ("frame_counter", "u32", "<u4", "frames since power-on, +1 every frame (title included)"),
    ("game_mode", "u8", "|u1", "0 title, 1 playing, 2 fade (area change, game over, "
                               "quest complete), 3 game over (START or A continues), "
                               "4 the end (quest complete)"),
    ("area", "u8", "|u1", "current area: 0 Green Vale (the overworld), 1 Echo Cave"),
    ("facing", "u8", "|u1", "0 down, 1 up, 2 left, 3 right (the way the player last moved)"),
    ("hp", "u8", "|u1", "hearts left, 0..max_hp"),
    ("player_x", "u16", "<u2", "player sprite (16x16) left edge, pixels in the area"),
    ("player_y", "u16", "<u2", "player sprite top edge, pixels in the area"),
    ("camera_x", "u16", "<u2", "map scroll x (BG0HOFS): area pixel at the screen's left edge"),
    ("camera_y", "u16", "<u2", "map scroll y (BG0VOFS): area pixel at the screen's top edge"),
    ("max_hp", "u8", "|u1", "maximum hearts (6)"),
    ("inventory", "u8", "|u1", "item bitmask, bits in hints.inventory_bits"),
    ("quest_flags", "u16", "<u2", "quest flag bitmask, bits in hints.quest_flag_bits"),
    ("quest_step", "u8", "|u1", "main quest steps done, 0..3 (3 = quest complete)"),
    ("slimes_alive", "u8", "|u1", "bit i set while slime i lives (6 slimes; the sword "
                                  "defeats them for good)"),
    ("invuln", "u8", "|u1", "frames of invulnerability left after a hit (the sprite blinks)"),
    ("sword", "u8", "|u1", "frames left of the sword swing (the player stands still)"),
    ("knockback", "u8", "|u1", "frames of knockback left after a hit (2 px a frame)"),
    ("transition", "u8", "|u1", "fade level 0..16 (BLDY) while game_mode is 2"),
    ("deaths", "u8", "|u1", "game overs so far"),
    ("moving", "u8", "|u1", "1 if the player walked a pixel this frame"),
    ("keys_held", "u16", "<u2", "buttons held this frame (KEYINPUT bits, 1 = pressed)"),
    ("msg_id", "u8", "|u1", "message shown: 0 none, 1 the door is locked, 2 got the key, "
                            "3 the door opened"),
    ("slimes_defeated", "u8", "|u1", "slimes defeated with the sword"),
    ("pixels_walked", "u32", "<u4", "pixels the player has walked"),
    ("hits_taken", "u8", "|u1", "times a slime hurt the player"),
]
_CSIZE = {"u8": 1, "u16": 2, "s16": 2, "u32": 4}


def variable_offsets() -> dict[str, int]:
    """Offsets of the state fields (natural alignment, declaration order)."""
    out: dict[str, int] = {}
    off = 0
    for name, ctype, _, _ in VARIABLES:
        size = _CSIZE[ctype]
        off = (off + size - 1) // size * size
        out[name] = off
        off += size
    return out


def slime_table_offset() -> int:
    """Offset of the slime table (after the variables, 2-byte aligned)."""
    last = VARIABLES[-1]
    end = variable_offsets()[last[0]] + _CSIZE[last[1]]
    return (end + 1) // 2 * 2


def state_size() -> int:
    return slime_table_offset() + MAX_SLIMES * SLIME_STRIDE


def _state_header() -> str:
    offs = variable_offsets()
    lines = ["/* Generated by gen/keep.py from VARIABLES: the game state at 0x02000000. */",
             "#ifndef KEEP_STATE_H", "#define KEEP_STATE_H", '#include "gba.h"',
             "typedef struct {"]
    for name, ctype, _, off in SLIME_FIELDS:
        lines.append(f"    {ctype} {name}; /* +{off} */")
    lines += ["} SlimeState;", "typedef struct GameState {"]
    for name, ctype, _, doc in VARIABLES:
        lines.append(f"    {ctype} {name}; /* {doc} */")
    lines += [f"    SlimeState slimes[{MAX_SLIMES}]; /* hints.hazards */", "} GameState;"]
    for name, _, _, off in SLIME_FIELDS:
        lines.append(f"_Static_assert(__builtin_offsetof(SlimeState, {name}) == {off}, "
                     '"slime layout");')
    lines.append(f'_Static_assert(sizeof(SlimeState) == {SLIME_STRIDE}, "slime size");')
    for name, _, _, _ in VARIABLES:
        lines.append(f"_Static_assert(__builtin_offsetof(GameState, {name}) == "
                     f'{offs[name]}, "{name}");')
    lines.append(f"_Static_assert(__builtin_offsetof(GameState, slimes) == "
                 f'{slime_table_offset()}, "slimes");')
    lines += ["extern GameState st;", "#endif", ""]
    return "\n".join(lines)


def _slimes(areas: list[Any]) -> list[Slime]:
    out = []
    for ai, a in enumerate(areas):
        for x, y, axis, length, phase in a.slimes:
            out.append(Slime(ai, x * TILE, y * TILE, axis, length, phase))
    if len(out) > MAX_SLIMES:
        raise AssetError(f"at most {MAX_SLIMES} slimes")
    return out


def generate(source_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Write the generated C into ``build_dir`` and return the ground truth."""
    assets = Path(source_dir) / "assets"

    def read(name: str) -> str:
        return (assets / name).read_text(encoding="utf-8")

    maps_text = read("maps.txt")
    legend, areas = parse_maps(maps_text)

    c = ["/* Generated by eevee.cartridges.gen.keep from the text assets: do not edit. */",
         '#include "keep_data.h"', ""]
    h = ["/* Generated by eevee.cartridges.gen.keep from the text assets: do not edit. */",
         "#ifndef KEEP_DATA_H", "#define KEEP_DATA_H", '#include "gba.h"', ""]

    def define(name: str, value: Any) -> None:
        h.append(f"#define {name} {value}")

    for name, value in (("MAX_HP", MAX_HP), ("SWORD_FRAMES", SWORD_FRAMES),
                        ("INVULN_FRAMES", INVULN_FRAMES), ("KB_FRAMES", KNOCKBACK_FRAMES),
                        ("FADE_FRAMES", FADE_FRAMES), ("MSG_FRAMES", MSG_FRAMES),
                        ("MAX_SLIMES", MAX_SLIMES)):
        define(name, value)
    for prefix, box in (("HURT", HURT_BOX), ("SLIME", SLIME_BOX), ("KEYB", KEY_BOX),
                        ("FEET", FEET_BOX)):
        for part, v in zip("XYWH", box):
            define(f"{prefix}_{part}", v)
    for name, bit in ATTR_BIT.items():
        define(f"ATTR_{name.upper()}", bit)
    for i, name in enumerate(FLAGS):
        define(f"FLAG_{name}", 1 << i)
    for i, name in enumerate(ITEMS):
        define(f"INV_{name}", 1 << i)
    c.append("const s8 sword_box[4][4] = {" + ", ".join(
        "{" + ", ".join(str(v) for v in SWORD_BOXES[d]) + "}" for d in FACING) + "};")
    c.append("const s8 sword_spr[4][2] = {" + ", ".join(
        "{" + ", ".join(str(v) for v in SWORD_SPRITE[d]) + "}" for d in FACING) + "};")
    h.append("extern const s8 sword_box[4][4];")
    h.append("extern const s8 sword_spr[4][2];")

    drawn = graphics(assets, c, h)
    entry, sizes = drawn.entry, drawn.sizes

    # ---- legend and areas ----
    chars = sorted(legend)
    cell_of = {ch: i for i, ch in enumerate(chars)}
    c.append(c_array("u8", "legend_attr", [legend[ch].bits for ch in chars], fmt="{}"))
    h.append(f"extern const u8 legend_attr[{len(chars)}];")
    index = {a.key: i for i, a in enumerate(areas)}
    h.append("typedef struct { u8 x0, y0, x1, y1, to_area; u16 to_x, to_y; } WarpDef;")
    h.append("typedef struct { u8 x, y; u16 open; } DoorTile;")
    h.append("typedef struct { u8 w, h, nwarps; u16 fill; const u8 *cells; "
             "const u16 *gfx; const WarpDef *warps; } AreaDef;")
    area_defs, warps_truth, door_rects, altar_rects = [], [], [], []
    door_tiles: list[tuple[int, int, int, int]] = []
    for ai, a in enumerate(areas):
        k = a.key.lower()
        if a.width > 64 or a.height > 64 or a.width * TILE < 240 or a.height * TILE < 160:
            raise AssetError(f"area {a.key}: between 30x20 and 64x64 tiles")
        cells = [cell_of[ch] for row in a.rows for ch in row]
        gfx = [entry(*tile_art(a, legend, x, y, sizes))
               for y in range(a.height) for x in range(a.width)]
        c.append(c_array("u8", f"cells_{k}", cells, per_line=32, fmt="{}", static=True))
        c.append(c_array("u16", f"gfx_{k}", gfx, per_line=16, fmt="0x{:04X}", static=True))
        for x, y, ch in ((x, y, ch) for y, row in enumerate(a.rows) for x, ch in enumerate(row)):
            if "door" in legend[ch].attrs:
                door_tiles.append((ai, x, y, entry(*tile_art(a, legend, x, y, sizes, True))))
        warp_chars = "".join(ch for ch, e in legend.items() if "warp" in e.attrs)
        rects = blocks(a, warp_chars)
        wdefs = []
        for x, y, to, tx, ty in a.warps:
            rect = next((r for r in rects if r[0] <= x <= r[2] and r[1] <= y <= r[3]), None)
            if rect is None or to not in index:
                raise AssetError(f"area {a.key}: warp at {x},{y} is not on a warp tile")
            wdefs.append(f"{{{rect[0]}, {rect[1]}, {rect[2]}, {rect[3]}, {index[to]}, "
                         f"{tx * TILE}, {ty * TILE}}}")
            warps_truth.append({"from": {"area": ai, "rect": list(rect)},
                                "to": {"area": index[to], "x": tx * TILE, "y": ty * TILE}})
        if len(wdefs) != len(rects):
            raise AssetError(f"area {a.key}: every warp block needs one warp line")
        c.append(f"static const WarpDef warps_{k}[] = {{ " + ", ".join(wdefs) + " };")
        door_rects += [{"area": ai, "rect": list(r)} for r in blocks(a, "".join(
            ch for ch, e in legend.items() if "door" in e.attrs))]
        altar_rects += [{"area": ai, "rect": list(r)} for r in blocks(a, "".join(
            ch for ch, e in legend.items() if "altar" in e.attrs))]
        fill = gfx[0]
        area_defs.append(f"    {{{a.width}, {a.height}, {len(wdefs)}, 0x{fill:04X}, "
                         f"cells_{k}, gfx_{k}, warps_{k}}},")
        define(f"AREA_{a.key}", ai)
    c.append("const AreaDef areas[] = {\n" + "\n".join(area_defs) + "\n};")
    h.append(f"#define AREA_COUNT {len(areas)}")
    h.append("extern const AreaDef areas[];")
    if len({t[0] for t in door_tiles}) != 1:
        raise AssetError("the door must be in one area")
    define("DOOR_AREA", door_tiles[0][0])
    define("DOOR_TILES", len(door_tiles))
    c.append("const DoorTile door_tiles[] = {\n" + "\n".join(
        f"    {{{x}, {y}, 0x{e:04X}}}," for _, x, y, e in door_tiles) + "\n};")
    h.append("extern const DoorTile door_tiles[];")

    start_area = next(i for i, a in enumerate(areas) if a.start)
    key_area = next(i for i, a in enumerate(areas) if a.key_at)
    sx, sy = areas[start_area].start or (0, 0)
    kx, ky = areas[key_area].key_at or (0, 0)
    for name, v in (("START_AREA", start_area), ("START_X", sx * TILE),
                    ("START_Y", sy * TILE), ("KEY_AREA", key_area), ("KEY_X", kx * TILE),
                    ("KEY_Y", ky * TILE)):
        define(name, v)
    slimes = _slimes(areas)
    define("SLIME_COUNT", len(slimes))
    h.append("typedef struct { u8 area, vertical; u16 x, y, len, phase; } SlimeDef;")
    c.append("const SlimeDef slime_defs[] = {\n" + "\n".join(
        f"    {{{s.area}, {int(s.axis == 'v')}, {s.x}, {s.y}, {s.length}, {s.phase}}},"
        for s in slimes) + "\n};")
    h.append("extern const SlimeDef slime_defs[];")
    c.append("const char *const area_names[] = {" + ", ".join(
        c_string(a.name.upper()) for a in areas) + "};")
    h.append("extern const char *const area_names[];")
    h += ["", "#endif", ""]

    build_dir = Path(build_dir)
    (build_dir / "keep_data.c").write_text("\n".join(c) + "\n", encoding="utf-8")
    (build_dir / "keep_data.h").write_text("\n".join(h), encoding="utf-8")
    (build_dir / "keep_state.h").write_text(_state_header(), encoding="utf-8")
    return _truth(legend, areas, slimes, warps_truth, door_rects, altar_rects,
                  {"area": start_area, "x": sx * TILE, "y": sy * TILE},
                  {"area": key_area, "x": kx * TILE, "y": ky * TILE},
                  hashlib.sha1(maps_text.encode("utf-8")).hexdigest())


def _truth(legend: dict[str, Legend], areas: list[Any], slimes: list[Slime],
           warps: list[dict[str, Any]], doors: list[dict[str, Any]],
           altars: list[dict[str, Any]], start: dict[str, int], key: dict[str, int],
           digest: str) -> dict[str, Any]:
    return {
        "format": 1, "name": "keep", "tile_pixels": TILE, "maps_sha1": digest,
        "start": start, "key": {**key, "box": list(KEY_BOX)},
        "areas": [{"id": i, "key": a.key, "name": a.name, "width": a.width,
                   "height": a.height, "grid": a.rows} for i, a in enumerate(areas)],
        "legend": {ch: {"kind": e.kind, **{n: n in e.attrs for n in ATTR_BIT}}
                   for ch, e in sorted(legend.items())},
        "warps": warps, "door": doors, "altar": altars,
        "slimes": [{"id": i, "area": s.area, "x": s.x, "y": s.y, "axis": s.axis,
                    "length": s.length, "phase": s.phase}
                   for i, s in enumerate(slimes)],
        "boxes": {"feet": list(FEET_BOX), "hurt": list(HURT_BOX), "slime": list(SLIME_BOX),
                  "sword": {d: list(b) for d, b in SWORD_BOXES.items()}},
        "rules": {"max_hp": MAX_HP, "sword_frames": SWORD_FRAMES,
                  "invuln_frames": INVULN_FRAMES, "knockback_frames": KNOCKBACK_FRAMES,
                  "knockback_pixels": 2 * KNOCKBACK_FRAMES, "fade_frames": FADE_FRAMES,
                  "slime_speed": "half a pixel a frame: offset = triangle wave of "
                                 "(frame_counter >> 1) + phase over 2 * length",
                  "move_priority": ["UP", "DOWN", "LEFT", "RIGHT"]},
        "quest": {"main": [{"step": i + 1, "name": n, "flag": f, "doc": d}
                           for i, (n, f, d) in enumerate(MAIN_QUEST)]},
        "items": {name: 1 << i for i, name in enumerate(ITEMS)},
        "flags": {name: 1 << i for i, name in enumerate(FLAGS)},
        "map_hints": map_hints(areas, warps),
    }


def map_hints(areas: list[Any], warps: list[dict[str, Any]]) -> dict[str, Any]:
    """Map facts for tests and benchmarks (``truth.json``'s ``map_hints``; never in the
    profile): area sizes in 8x8 tiles and the doors between areas (a tile of each warp,
    and the tile the player's top-left lands on)."""
    return {
        "area_sizes": [[a.width, a.height] for a in areas],
        "doors": [{"area": w["from"]["area"], "cell": w["from"]["rect"][:2],
                   "to_area": w["to"]["area"],
                   "to_cell": [w["to"]["x"] // TILE, w["to"]["y"] // TILE]} for w in warps],
    }


def profile(rom_sha1: str) -> dict[str, Any]:
    """The game profile (RAM map, milestones, manual hints) for a ROM with this SHA-1."""
    offs = variable_offsets()
    variables = {name: {"address": f"0x{STATE_ADDR + offs[name]:08X}", "type": rtype,
                        "doc": doc} for name, _, rtype, doc in VARIABLES}
    flag_bit = {name: 1 << i for i, name in enumerate(FLAGS)}
    milestones = [{"name": name, "quest": "main", "step": i + 1, "doc": doc,
                   "when": [{"var": "quest_flags", "op": "&", "value": flag_bit[flag]}]}
                  for i, (name, flag, doc) in enumerate(MAIN_QUEST)]
    hints: dict[str, Any] = {
        "title_needs": "START",
        "start_button": "START",
        "boot_frames_max": 60,
        "controls": "D-pad walks (one direction at a time: UP over DOWN over LEFT over "
                    "RIGHT), A swings the sword the way you face, START or A leaves the "
                    "title and game-over screens",
        "movement": "free movement, 1 pixel per frame while a direction is held, stopping "
                    "when released; walls, trees, rocks and water block the player's feet "
                    "(the lower 16x8 pixels of the 16x16 sprite) on 8x8 map tiles",
        "player_speed": 1,
        "player_size": 16,
        "player_hitbox": list(HURT_BOX),
        "player_oam_index": 0,
        "sprite_formula": "oam_x = player_x - camera_x, oam_y = player_y - camera_y",
        "screen_lag_frames": 1,
        "screen_note": "OAM and the BG0 scroll are written at the next vblank, so the screen "
                       "after a frame shows the RAM state of the frame before; BG1 is the "
                       "HUD (hearts, key), which does not scroll",
        "door_note": "cave mouths lead inside and back out, with a short fade",
        "locked_door": "a locked door opens when you walk into it carrying a key",
        "hazard": "slimes hurt on touch: one heart, a 16-pixel knockback and 60 frames of "
                  "invulnerability; the sword defeats them for good; no hearts left: "
                  "game over, and START or A continues from the start of Green Vale with "
                  "full hearts (items and opened doors are kept)",
        "hazards": {
            "address": f"0x{STATE_ADDR + slime_table_offset():08X}",
            "count": MAX_SLIMES,
            "stride": SLIME_STRIDE,
            "fields": {n: {"offset": off, "type": rt}
                       for n, _c, rt, off in SLIME_FIELDS if n != "pad"},
            "kinds": {"0": "no slime (defeated, or in the other area)",
                      "1": "slime (16x16), in the current area"},
            "velocity_units": "vx, vy in 1/256 pixel per frame; x, y = sprite top-left in "
                              "area pixels (like player_x, player_y)",
            "hitboxes": {"1": list(SLIME_BOX)},
        },
        "inventory_bits": {name: 1 << i for i, name in enumerate(ITEMS)},
        "quest_flag_bits": flag_bit,
        "areas": ["Green Vale", "Echo Cave"],
        "modes": {"title": 0, "overworld": 1, "transition": 2, "restart": 3, "done": 4,
                  "dialogue": -1, "menu": -1, "battle": -1},
        "facing_codes": dict(FACING),
        "frame_timing": "the game logic runs once per frame right after vblank; RAM is a "
                        "finished frame after every emulator step",
    }
    return {"format": 1, "name": "keep", "platform": "gba",
            "rom": {"sha1": rom_sha1, "game_code": "EVKP", "title": "EEVEE KEEP"},
            "variables": variables, "milestones": milestones, "hints": hints}


def main() -> None:
    """Build and install the ROM; write truth and profile."""
    from eevee.cartridges.build import build, install, write_profile
    from eevee.cartridges.registry import get

    cart = get("keep")
    result = build(cart)
    install(result)
    write_profile(cart, profile(hashlib.sha1(result.rom).hexdigest()))
    print(f"keep: {len(result.rom)} bytes, sha1 {hashlib.sha1(result.rom).hexdigest()}")


if __name__ == "__main__":
    main()
