"""Maps and text of the ``grove`` Game Boy cartridge: ``assets/maps.txt`` (areas drawn
with one character per 16x16 cell, their doors, people and the start) and
``assets/text.txt`` (the intro pages and every dialogue), parsed and checked.

Positions in the parsed data are in pixels, like the game's ``player_x``/``player_y``
(the top-left corner of the 16x16 sprite); the collision map is in 8x8 tiles.
"""

from __future__ import annotations

from dataclasses import dataclass

CELL = 16  # pixels per map cell
TILE = 8  # pixels per collision tile
FACINGS = {"down": 0, "up": 1, "left": 2, "right": 3}
EFFECTS = {"": 0, "talk": 1, "cat": 2, "thanks": 3}
LINE_CHARS = 18
NAME_CHARS = 6
INTRO_LINES = 5
DIALOGUE_LINES = 2


@dataclass(frozen=True)
class Door:
    area: int
    cell: tuple[int, int]
    to_area: int
    to_cell: tuple[int, int]
    facing: int

    @property
    def to_pixel(self) -> tuple[int, int]:
        return self.to_cell[0] * CELL, self.to_cell[1] * CELL


@dataclass(frozen=True)
class Npc:
    name: str
    area: int
    sprite: str  # "none": nothing drawn
    cell: tuple[int, int]
    talk: tuple[str, ...]
    show: tuple[int, int] = (0, 255)
    walk: int = 0  # pixels to the right and back
    touch: bool = False

    @property
    def pixel(self) -> tuple[int, int]:
        return self.cell[0] * CELL, self.cell[1] * CELL


@dataclass(frozen=True)
class Area:
    index: int
    name: str
    rows: list[str]  # one character per cell

    @property
    def cells(self) -> tuple[int, int]:
        return len(self.rows[0]), len(self.rows)

    @property
    def tiles(self) -> tuple[int, int]:
        return 2 * len(self.rows[0]), 2 * len(self.rows)


@dataclass(frozen=True)
class World:
    areas: list[Area]
    doors: list[Door]
    npcs: list[Npc]
    start: tuple[int, int, int, int]  # area, x pixel, y pixel, facing


@dataclass(frozen=True)
class Dialogue:
    name: str
    effect: int
    pages: list[list[str]]


def parse_maps(text: str) -> World:
    areas: list[Area] = []
    doors: list[Door] = []
    npcs: list[Npc] = []
    start: tuple[int, int, int, int] | None = None
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("# ")]
    current: Area | None = None
    for line in lines:
        words = line.split()
        if words[0] == "area":
            current = Area(int(words[1]), line.split(maxsplit=2)[2], [])
            if current.index != len(areas):
                raise ValueError("maps.txt: areas must be numbered 0, 1, 2, ... in order")
            areas.append(current)
        elif current is None:
            raise ValueError(f"maps.txt: {line!r} before the first area")
        elif words[0] == "door":
            x, y, _arrow, to, tx, ty, facing = words[1:8]
            doors.append(Door(current.index, (int(x), int(y)), int(to), (int(tx), int(ty)),
                              FACINGS[facing]))
        elif words[0] == "npc":
            opts = dict(w.split("=", 1) for w in words[5:] if "=" in w)
            lo, _, hi = opts.get("show", "0-255").partition("-")
            npcs.append(Npc(words[1], current.index, words[2], (int(words[3]), int(words[4])),
                            tuple(opts["talk"].split(",")), (int(lo), int(hi)),
                            int(opts.get("walk", 0)), "touch" in words[5:]))
        elif words[0] == "start":
            start = (current.index, int(words[1]) * CELL, int(words[2]) * CELL,
                     FACINGS[words[3]])
        elif len(words) == 1:
            current.rows.append(line)
        else:
            raise ValueError(f"maps.txt: cannot read {line!r}")
    for area in areas:
        if len({len(r) for r in area.rows}) != 1:
            raise ValueError(f"area {area.name}: rows differ in length")
        w, h = area.tiles
        if w * TILE < 160 or h * TILE < 144 or h > 32:
            raise ValueError(f"area {area.name}: {w}x{h} tiles; at least a screen, 32 tall")
    if start is None:
        raise ValueError("maps.txt: no start")
    return World(areas, doors, npcs, start)


def parse_text(text: str) -> tuple[list[list[str]], list[Dialogue]]:
    """(intro pages, dialogues) from ``text.txt``; every line checked for length."""
    intro: list[list[str]] = []
    dialogues: list[Dialogue] = []
    pages: list[list[str]] | None = None
    limit = INTRO_LINES
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("# "):
            continue
        words = line.split()
        if line == "intro":
            pages, limit = intro, INTRO_LINES
            pages.append([])
        elif words[0] == "dialogue" and len(words) in (2, 3):
            effect = EFFECTS[words[2] if len(words) == 3 else ""]
            dialogues.append(Dialogue(words[1], effect, [[]]))
            pages, limit = dialogues[-1].pages, DIALOGUE_LINES
        elif pages is None:
            raise ValueError(f"text.txt: {line!r} outside a block")
        elif line == "---":
            pages.append([])
        else:
            width = len(line) + line.count("@") * (NAME_CHARS - 1)
            if width > LINE_CHARS or any(not 32 <= ord(c) < 0x7B for c in line):
                raise ValueError(f"text.txt: {line!r} is longer than {LINE_CHARS} or unprintable")
            pages[-1].append(line)
            if len(pages[-1]) > limit:
                raise ValueError(f"text.txt: a page of more than {limit} lines at {line!r}")
    return intro, dialogues


def cell_grid(area: Area, walkable: dict[str, bool], doors: list[Door]) -> list[list[int]]:
    """The 8x8 collision map: 0 free, 1 solid, 0x80 + n on door n's cell."""
    w, h = area.tiles
    grid = [[0] * w for _ in range(h)]
    door_at = {d.cell: n for n, d in enumerate(doors) if d.area == area.index}
    for cy, row in enumerate(area.rows):
        for cx, ch in enumerate(row):
            if ch not in walkable:
                raise ValueError(f"area {area.name}: no cell for character {ch!r}")
            value = 0 if walkable[ch] else 1
            if (cx, cy) in door_at:
                if not walkable[ch]:
                    raise ValueError(f"area {area.name}: door at solid cell {(cx, cy)}")
                value = 0x80 | door_at[(cx, cy)]
            for dy in range(2):
                for dx in range(2):
                    grid[2 * cy + dy][2 * cx + dx] = value
    return grid
