"""The *keep* cartridge's maps: parsing ``maps.txt``, choosing each tile's art, and the
collision rules the game uses (shared by the generator, the solver and the tests).

A map is one character per 8x8 tile. The legend gives each character a *kind* (which
art, see :data:`TILE_RULES`) and attributes: ``solid``, ``warp`` (walking onto it
changes area), ``door`` (the locked shrine door) and ``altar`` (the treasure). The
player is a 16x16 sprite whose collision box is its feet: the lower 16x8 pixels
(:data:`FEET_BOX`). A position is free when every tile under the feet box is walkable
(an opened door is walkable) and the box is inside the area.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eevee.cartridges.gen.gba_assets import AssetError

TILE = 8
PLAYER = 16
FEET_BOX = (0, 8, 16, 8)  # x, y, w, h inside the player's 16x16 sprite
ATTRS = ["solid", "warp", "door", "altar"]
ATTR_BIT = {name: 1 << i for i, name in enumerate(ATTRS)}

# kind -> how its art is chosen:
#   ("one", art)                      always that art
#   ("hash", [art, ...], [weight...]) a fixed per-tile choice (a hash of x, y)
#   ("block", art[, alt])             a piece of a bigger picture: the part under this
#                                     tile, counted from where the run of this
#                                     character starts (left and up); alt: when open
#   ("edge", top_art, art)            top_art when the tile above is another character
#   ("rails", art, left, right)       the bridge: rails at its left and right edges
#   ("cliff", art, rim, face, like)   face when the tile below is none of ``like``,
#                                     rim when the tile above is none of them
#   ("checker", a, b)                 16x16 checkerboard
TILE_RULES: dict[str, tuple[Any, ...]] = {
    "grass": ("hash", ["grass0", "grass1", "grass2"], [9, 3, 1]),
    "path": ("hash", ["path0", "path1"], [1, 1]),
    "flowers": ("one", "flowers"),
    "tree": ("block", "tree"),
    "water": ("edge", "water_top", "water"),
    "bridge": ("rails", "bridge", "bridge_l", "bridge_r"),
    "cliff": ("cliff", "cliff", "cliff_rim", "cliff_face", "RC"),
    "boulder": ("block", "boulder"),
    "cave_mouth": ("block", "cave_mouth"),
    "wall": ("cliff", "wall_top", "wall_top", "wall_face", "WD"),
    "floor": ("checker", "floor_a", "floor_b"),
    "pillar": ("block", "pillar"),
    "door": ("block", "door", "door_open"),
    "altar": ("block", "altar"),
    "cwall": ("cliff", "cwall", "cwall", "cwall_face", "#"),
    "cfloor": ("hash", ["cfloor0", "cfloor1"], [3, 1]),
    "cwater": ("edge", "cwater_top", "cwater"),
    "stalagmite": ("block", "stalagmite"),
    "cave_exit": ("block", "cave_exit"),
}


def rule_arts(kind: str) -> list[str]:
    """Every art the tile rule of ``kind`` may draw."""
    rule = TILE_RULES[kind]
    if rule[0] == "hash":
        return list(rule[1])
    if rule[0] == "cliff":
        return list(rule[1:4])
    return [str(a) for a in rule[1:]]


@dataclass
class Legend:
    char: str
    kind: str
    attrs: set[str]

    @property
    def bits(self) -> int:
        return sum(ATTR_BIT[a] for a in self.attrs)


@dataclass
class Slime:
    area: int
    x: int  # pixels: the patrol's first end (sprite top-left)
    y: int
    axis: str  # "h" or "v"
    length: int  # pixels from one end to the other
    phase: int  # half-pixels into the patrol at frame 0

    def position(self, frame: int) -> tuple[int, int]:
        """Sprite top-left after the game's frame ``frame`` (its ``frame_counter``)."""
        t = (frame >> 1) + self.phase
        p = t % (2 * self.length)
        off = p if p < self.length else 2 * self.length - p
        return (self.x + off, self.y) if self.axis == "h" else (self.x, self.y + off)


@dataclass
class Area:
    key: str
    name: str
    rows: list[str] = field(default_factory=list)
    start: tuple[int, int] | None = None
    warps: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    slimes: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    key_at: tuple[int, int] | None = None

    @property
    def width(self) -> int:
        return len(self.rows[0])

    @property
    def height(self) -> int:
        return len(self.rows)


def _xy(text: str) -> tuple[int, int]:
    x, y = text.split(",")
    return int(x), int(y)


def parse_maps(text: str) -> tuple[dict[str, Legend], list[Area]]:
    """The legend and the areas of ``maps.txt``."""
    legend: dict[str, Legend] = {}
    areas: list[Area] = []
    cur: Area | None = None
    in_map = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("#") and not in_map:
            continue
        if not line:
            in_map = False
            continue
        if in_map and cur is not None:
            if cur.rows and len(line) != len(cur.rows[0]):
                raise AssetError(f"maps:{n}: row is {len(line)} wide, not {len(cur.rows[0])}")
            cur.rows.append(line)
            continue
        parts = line.split()
        kw = parts[0]
        if kw == "legend":
            if parts[2] not in TILE_RULES or parts[3] not in ("walk", "solid"):
                raise AssetError(f"maps:{n}: legend needs a known kind and walk|solid")
            attrs = {p for p in parts[4:]} | ({"solid"} if parts[3] == "solid" else set())
            if attrs - set(ATTRS):
                raise AssetError(f"maps:{n}: unknown attributes {attrs - set(ATTRS)}")
            legend[parts[1]] = Legend(parts[1], parts[2], attrs)
        elif kw == "area":
            cur = Area(parts[1], line.split('"')[1])
            areas.append(cur)
        elif cur is None:
            raise AssetError(f"maps:{n}: {kw!r} before any area")
        elif kw == "map":
            in_map = True
        elif kw == "start":
            cur.start = _xy(parts[1])
        elif kw == "warp":
            x, y = _xy(parts[1])
            tx, ty = _xy(parts[4])
            cur.warps.append((x, y, parts[3], tx, ty))
        elif kw == "slime":
            x, y = _xy(parts[1])
            cur.slimes.append((x, y, parts[2], int(parts[3]), int(parts[4])))
        elif kw == "key":
            cur.key_at = _xy(parts[1])
        else:
            raise AssetError(f"maps:{n}: unknown keyword {kw!r}")
    for a in areas:
        for row in a.rows:
            for ch in row:
                if ch not in legend:
                    raise AssetError(f"area {a.key}: unknown map char {ch!r}")
    return legend, areas


def _hash(x: int, y: int) -> int:
    v = (x * 374761393 + y * 668265263) & 0xFFFFFFFF
    v = ((v ^ (v >> 13)) * 1274126177) & 0xFFFFFFFF
    return v ^ (v >> 16)


def tile_art(area: Area, legend: dict[str, Legend], x: int, y: int,
             sizes: dict[str, tuple[int, int]], opened: bool = False) -> tuple[str, int]:
    """(art name, 8x8 part of it) that draws tile ``x, y`` of ``area``."""
    rows = area.rows
    ch = rows[y][x]

    def at(xx: int, yy: int) -> str:
        if 0 <= xx < area.width and 0 <= yy < area.height:
            return rows[yy][xx]
        return ch

    rule = TILE_RULES[legend[ch].kind]
    how = rule[0]
    if how == "one":
        return rule[1], 0
    if how == "hash":
        arts, weights = rule[1], rule[2]
        v = _hash(x, y) % sum(weights)
        for art, w in zip(arts, weights):
            if v < w:
                return art, 0
            v -= w
        return arts[-1], 0
    if how == "block":
        art = rule[2] if opened and len(rule) > 2 else rule[1]
        x0 = x
        while x0 > 0 and rows[y][x0 - 1] == ch:
            x0 -= 1
        y0 = y
        while y0 > 0 and rows[y0 - 1][x] == ch:
            y0 -= 1
        tw, th = sizes[art][0] // TILE, sizes[art][1] // TILE
        return art, ((y - y0) % th) * tw + (x - x0) % tw
    if how == "edge":
        return (rule[1] if at(x, y - 1) != ch else rule[2]), 0
    if how == "rails":
        if at(x - 1, y) != ch:
            return rule[2], 0
        return (rule[3] if at(x + 1, y) != ch else rule[1]), 0
    if how == "cliff":
        like = rule[4]
        if at(x, y + 1) not in like:
            return rule[3], 0
        return (rule[2] if at(x, y - 1) not in like else rule[1]), 0
    # checker
    return (rule[1] if ((x >> 1) + (y >> 1)) % 2 == 0 else rule[2]), 0


def blocks(area: Area, chars: str) -> list[tuple[int, int, int, int]]:
    """Rectangles (x0, y0, x1, y1, inclusive, tiles) of the 4-connected groups of tiles
    whose character is in ``chars`` (each group must be a filled rectangle)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for y, row in enumerate(area.rows):
        for x, ch in enumerate(row):
            if ch not in chars or (x, y) in seen:
                continue
            todo, group = [(x, y)], []
            seen.add((x, y))
            while todo:
                cx, cy = todo.pop()
                group.append((cx, cy))
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if (0 <= nx < area.width and 0 <= ny < area.height
                            and (nx, ny) not in seen and area.rows[ny][nx] in chars):
                        seen.add((nx, ny))
                        todo.append((nx, ny))
            xs, ys = [p[0] for p in group], [p[1] for p in group]
            rect = (min(xs), min(ys), max(xs), max(ys))
            if len(group) != (rect[2] - rect[0] + 1) * (rect[3] - rect[1] + 1):
                raise AssetError(f"area {area.key}: block at {x},{y} is not a rectangle")
            out.append(rect)
    return out


class Collision:
    """The game's collision rules for one area (``door_open``: the door is walkable)."""

    def __init__(self, rows: list[str], legend: dict[str, Legend], door_open: bool) -> None:
        self.w, self.h = len(rows[0]), len(rows)
        self.bits = [[legend[ch].bits for ch in row] for row in rows]
        if door_open:
            for row in self.bits:
                for i, b in enumerate(row):
                    if b & ATTR_BIT["door"]:
                        row[i] = b & ~ATTR_BIT["solid"]

    def feet(self, x: int, y: int) -> int:
        """OR of the attribute bits under the feet box at sprite top-left ``x, y``; the
        solid bit when the box leaves the area."""
        fx, fy, fw, fh = FEET_BOX
        if x < 0 or y < 0 or x + PLAYER > self.w * TILE or y + PLAYER > self.h * TILE:
            return ATTR_BIT["solid"]
        out = 0
        for ty in range((y + fy) // TILE, (y + fy + fh - 1) // TILE + 1):
            for tx in range((x + fx) // TILE, (x + fx + fw - 1) // TILE + 1):
                out |= self.bits[ty][tx]
        return out

    def free(self, x: int, y: int) -> bool:
        return not self.feet(x, y) & ATTR_BIT["solid"]


DIRS: dict[str, tuple[int, int]] = {"UP": (0, -1), "DOWN": (0, 1), "LEFT": (-1, 0),
                                    "RIGHT": (1, 0)}


def shortest_path(col: Collision, start: tuple[int, int], goal: Callable[[int, int], bool],
                  facing: str | None = None) -> list[str] | None:
    """A shortest walk (one direction per pixel) from ``start`` to a position where
    ``goal`` holds, never stepping on a warp tile on the way (the goal may be one), that
    turns as little as it can: it goes on the way it faces while that still gets
    closer. None if the goal cannot be reached."""
    w, h = col.w * TILE - PLAYER + 1, col.h * TILE - PLAYER + 1
    warp = ATTR_BIT["warp"]
    dist = [[-1] * w for _ in range(h)]
    todo: deque[tuple[int, int]] = deque()
    for y in range(h):
        for x in range(w):
            if col.free(x, y) and goal(x, y):
                dist[y][x] = 0
                todo.append((x, y))
    while todo:
        x, y = todo.popleft()
        for dx, dy in DIRS.values():
            nx, ny = x + dx, y + dy
            # a warp ends the walk: never walk on through one
            if (0 <= nx < w and 0 <= ny < h and dist[ny][nx] < 0 and col.free(nx, ny)
                    and not col.feet(nx, ny) & warp):
                dist[ny][nx] = dist[y][x] + 1
                todo.append((nx, ny))
    x, y = start
    if not (0 <= x < w and 0 <= y < h) or dist[y][x] < 0:
        return None
    path: list[str] = []
    way = facing
    while dist[y][x]:
        order = ([way] if way else []) + [d for d in DIRS if d != way]
        for name in order:
            dx, dy = DIRS[name]
            nx, ny = x + dx, y + dy
            if 0 <= nx < w and 0 <= ny < h and dist[ny][nx] == dist[y][x] - 1:
                path.append(name)
                x, y, way = nx, ny, name
                break
    return path
