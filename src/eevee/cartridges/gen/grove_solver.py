"""Scripted solver for ``grove``: title → NEW GAME, the intro, the default name, then the
quest (elder → cat in the forest → elder) on the shortest walks.

Works on the ground truth (``generate``'s dict). Walks are found by a breadth-first
search over player positions on the 8-pixel grid (the collision map's), then played
through :class:`Walker`, a frame-exact model of the game's walking logic (1 pixel per
frame, feet-box collision, people, the walking villager, doors), so each hold lasts
exactly until the door or the person it aims at. The script is open-loop and tolerates
the boot difference between emulators: it waits well past the title's fade-in (PyBoy
runs its boot ROM first, gambatte does not) and everything after the first press
depends only on the game's own frames.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eevee.cartridges.solver import InputScript
from eevee.emulator.buttons import Buttons

BOOT_WAIT = 150  # PyBoy's title takes input from frame ~124, gambatte's from ~61
PRESS = 2  # frames a button is held
GAP = 4  # frames between presses
SETTLE = 6  # idle frames after a fade before walking
WALK_WAIT = 60  # frames a walking villager rests at each end (world.c)
TALK_REACH = 4
DIRS: dict[str, tuple[int, int, int]] = {  # name -> dx, dy, facing code
    "DOWN": (0, 1, 0), "UP": (0, -1, 1), "LEFT": (-1, 0, 2), "RIGHT": (1, 0, 3),
}
FACING_NAMES = {v[2]: k for k, v in DIRS.items()}

Pos = tuple[int, int]


@dataclass
class Person:
    npc: dict[str, Any]
    x: int
    y: int
    phase: int = 0
    timer: int = 0


def _overlap(ax: int, ay: int, ah: int, bx: int, by: int) -> bool:
    """A 16 x ah box at (ax, ay) against a 16x16 box at (bx, by)."""
    return ax < bx + 16 and bx < ax + 16 and ay < by + 16 and by < ay + ah


class Walker:
    """The game's walking logic (world.c ``update_play``), one frame at a time."""

    def __init__(self, truth: dict[str, Any]) -> None:
        self.truth = truth
        self.quest_step = 0
        self.area = 0
        self.x = self.y = self.facing = 0
        self.people: list[Person] = []

    def enter(self, area: int, x: int, y: int, facing: int) -> None:
        self.area, self.x, self.y, self.facing = area, x, y, facing
        self.spawn()

    def spawn(self) -> None:
        self.people = [Person(n, n["x"], n["y"]) for n in self.truth["npcs"]
                       if n["area"] == self.area and n["show"][0] <= self.quest_step
                       <= n["show"][1]]

    def tile(self, col: int, row: int) -> str:
        return str(self.truth["areas"][self.area]["collision"][row][col])

    def feet_free(self, x: int, y: int) -> bool:
        w, h = self.truth["areas"][self.area]["tiles"]
        if not (0 <= x <= w * 8 - 16 and 0 <= y <= h * 8 - 16):
            return False
        return all(self.tile(c, r) != "#" for r in range((y + 8) >> 3, ((y + 15) >> 3) + 1)
                   for c in range(x >> 3, ((x + 15) >> 3) + 1))

    def person_at(self, x: int, y: int) -> Person | None:
        return next((p for p in self.people if _overlap(x, y + 8, 8, p.x, p.y)), None)

    def door_at(self, x: int, y: int) -> int | None:
        """The door under the middle of the feet at (x, y), if any."""
        col, row = (x + 8) >> 3, (y + 12) >> 3
        if self.tile(col, row) != "D":
            return None
        cell = [col >> 1, row >> 1]
        return next(d["index"] for d in self.truth["doors"]
                    if d["from"]["area"] == self.area and d["from"]["cell"] == cell)

    def frame(self, direction: str = "", a_pressed: bool = False) -> tuple[str, Any] | None:
        """One frame of walking with ``direction`` held (and A newly pressed); returns
        ("talk", person) or ("door", index) when the frame ends the walking."""
        if a_pressed:
            dx, dy = next((d[0], d[1]) for d in DIRS.values() if d[2] == self.facing)
            p = self.person_at(self.x + dx * TALK_REACH, self.y + dy * TALK_REACH)
            if p is not None:
                return ("talk", p)
        if direction:
            dx, dy, self.facing = DIRS[direction]
            nx, ny = self.x + dx, self.y + dy
            if self.feet_free(nx, ny):
                p = self.person_at(nx, ny)
                if p is None:
                    self.x, self.y = nx, ny
                    door = self.door_at(nx, ny)
                    if door is not None:
                        return ("door", door)
                elif p.npc["touch"]:
                    return ("talk", p)
        self.move_people()
        return None

    def move_people(self) -> None:
        for p in self.people:
            walk = p.npc["walk"]
            if not walk:
                continue
            if p.phase & 1:
                p.timer += 1
                if p.timer == WALK_WAIT:
                    p.timer, p.phase = 0, (p.phase + 1) & 3
                continue
            nx = p.x - 1 if p.phase else p.x + 1
            if _overlap(self.x, self.y + 8, 8, nx, p.y):
                continue
            p.x = nx
            p.timer += 1
            if p.timer == walk:
                p.timer, p.phase = 0, p.phase + 1


def bfs(walker: Walker, goal: Callable[[Pos], bool]) -> list[str]:
    """Directions (8 pixels each) from the walker's position to the nearest position
    ``goal`` accepts, on the 8-pixel grid. People are obstacles (a walking villager over
    its whole track); positions on a door end a path and are only taken as the goal."""
    def blocked(x: int, y: int) -> bool:
        for p in walker.people:
            span = p.npc["walk"]
            if x < p.x + span + 16 and p.x < x + 16 and y + 8 < p.y + 16 and p.y < y + 16:
                return True
        return False

    start = (walker.x, walker.y)
    prev: dict[Pos, tuple[Pos, str] | None] = {start: None}
    todo = deque([start])
    found: Pos | None = None
    while todo:
        cur = todo.popleft()
        if goal(cur):
            found = cur
            break
        if cur != start and walker.door_at(*cur) is not None:
            continue
        for name, (dx, dy, _f) in DIRS.items():
            nxt = (cur[0] + 8 * dx, cur[1] + 8 * dy)
            if nxt in prev or not walker.feet_free(*nxt) or blocked(*nxt):
                continue
            prev[nxt] = (cur, name)
            todo.append(nxt)
    if found is None:
        raise ValueError(f"no path in area {walker.area} from {start}")
    moves: list[str] = []
    node = found
    while (back := prev[node]) is not None:
        moves.append(back[1])
        node = back[0]
    return moves[::-1]


def talk_spots(npc: dict[str, Any]) -> dict[Pos, str]:
    """Where the player can stand to reach ``npc``, and the way to face."""
    x, y = npc["x"], npc["y"]
    return {(x, y + 8): "UP", (x, y - 16): "DOWN", (x - 16, y): "RIGHT", (x + 16, y): "LEFT"}


class Script:
    """The input rows, built alongside the walker that mirrors the game."""

    def __init__(self, truth: dict[str, Any]) -> None:
        self.truth = truth
        self.rows: list[tuple[Buttons, int]] = []
        self.walker = Walker(truth)
        self.spots: dict[str, dict[str, Any]] = {}

    def hold(self, buttons: str, frames: int) -> None:
        if frames <= 0:
            return
        if self.rows and self.rows[-1][0] == Buttons.parse(buttons):
            self.rows[-1] = (self.rows[-1][0], self.rows[-1][1] + frames)
        else:
            self.rows.append((Buttons.parse(buttons), frames))

    def press(self, button: str) -> None:
        self.hold(button, PRESS)
        self.hold("", GAP)

    def fade(self, played: int) -> None:
        """Wait out a fade whose first ``played`` frames (from the one that started it)
        are in the script: the next frame is the first of the new screen."""
        self.hold("", int(self.truth["transition_frames"]) - played + 1)

    def idle(self, frames: int) -> None:
        for _ in range(frames):
            assert self.walker.frame() is None
        self.hold("", frames)

    def walk(self, moves: list[str]) -> tuple[str, Any] | None:
        """Hold each run of moves for 8 pixels a move; stop at a door or a person."""
        runs: list[tuple[str, int]] = []
        for m in moves:
            if runs and runs[-1][0] == m:
                runs[-1] = (m, runs[-1][1] + 8)
            else:
                runs.append((m, 8))
        for d, pixels in runs:
            for n in range(1, pixels + 1):
                before = (self.walker.x, self.walker.y)
                event = self.walker.frame(d)
                if event is not None:
                    self.hold(d, n)
                    return event
                if (self.walker.x, self.walker.y) == before:
                    raise ValueError(f"blocked at {before} going {d}")
            self.hold(d, pixels)
        return None

    def through_door(self, to_area: int) -> None:
        w = self.walker
        event = self.walk(bfs(w, lambda p: (d := w.door_at(*p)) is not None
                              and self.truth["doors"][d]["to"]["area"] == to_area))
        if event is None or event[0] != "door":
            raise ValueError(f"walk to area {to_area} ended with {event}")
        to = self.truth["doors"][event[1]]["to"]
        self.fade(1)
        w.enter(to["area"], to["x"], to["y"], to["facing"])
        self.idle(SETTLE)

    def talk(self, name: str, milestone: str) -> None:
        """Walk to ``name``, talk (A, or walking into a person who talks when touched)
        and read every page; the last A runs the dialogue's effect."""
        w = self.walker
        person = next(p for p in w.people if p.npc["name"] == name)
        spots = talk_spots(person.npc)
        self.walk(bfs(w, lambda p: p in spots))
        way = spots[(w.x, w.y)]
        self.spots[milestone] = {"area": w.area, "cell": [w.x, w.y],
                                 "facing": way.lower(), "npc": name}
        if person.npc["touch"]:
            event = self.walk([way])  # walk into it
        else:
            if w.facing != DIRS[way][2]:
                assert w.frame(way) is None  # turn to face (blocked by the person)
                self.hold(way, 1)
            event = w.frame("", a_pressed=True)
            self.hold("A", PRESS)  # (the frames after the first are the dialogue's)
        if event is None or event[0] != "talk" or event[1] is not person:
            raise ValueError(f"talking to {name} gave {event}")
        talk = person.npc["talk"]
        dialogue = self.truth["dialogues"][talk[min(w.quest_step, len(talk) - 1)]]
        self.read(dialogue)

    def read(self, dialogue: dict[str, Any]) -> None:
        name_len = len(self.truth["default_name"])
        for page in dialogue["pages"]:
            chars = sum(len(line) + line.count("@") * (name_len - 1) for line in page)
            assert chars > GAP // 2 + 1, "the first A must find the page still typing"
            self.hold("", GAP)
            self.press("A")  # the whole page
            self.hold("A", PRESS)  # the next page, or close
        effect = dialogue["effect"]
        w = self.walker
        if effect == 3:  # thanks: the game fades to THE END
            w.quest_step = 3
            self.fade(PRESS)
            self.hold("", SETTLE)
            return
        if effect in (1, 2):
            w.quest_step = effect
            if effect == 2:
                w.spawn()  # the cat goes home
        # the rest of the closing press is walking time (nothing held but A)
        for _ in range(PRESS - 1):
            assert w.frame() is None
        self.idle(GAP)


def plan(truth: dict[str, Any]) -> Script:
    """The whole run, from power-on to THE END."""
    s = Script(truth)
    s.hold("", BOOT_WAIT)
    s.hold("A", PRESS)  # NEW GAME (the cursor starts on it)
    s.fade(PRESS)
    s.hold("", GAP)
    for _ in truth["intro"]:
        s.press("A")  # the whole page
        s.press("A")  # the next page (after the last: fade to the naming screen)
    s.fade(PRESS + GAP)
    s.press("START")  # the cursor jumps to END
    s.hold("A", PRESS)  # END: accept the default name
    s.fade(PRESS)
    start = truth["start"]
    s.walker.enter(start["area"], start["x"], start["y"], start["facing"])
    s.idle(SETTLE)
    village, house, forest = 0, 1, 2
    s.through_door(house)
    s.talk("elder", "talked_to_elder")
    s.through_door(village)
    s.through_door(forest)
    s.talk("cat", "found_cat")
    s.through_door(village)
    s.through_door(house)
    s.talk("elder", "quest_complete")
    return s


def solve(truth: dict[str, Any]) -> InputScript:
    """The input script that finishes the quest from power-on."""
    return InputScript(cartridge="grove", inputs=tuple(plan(truth).rows))


def walkthrough(truth: dict[str, Any]) -> dict[str, Any]:
    """The ``walkthrough`` section of ``solver.json`` (tests and benchmarks only): for each
    milestone, where to stand (pixels, as player_x/player_y), which way to face, whom."""
    docs = {
        "talked_to_elder": "the elder, in the house at the top left of the village: he "
                           "asks you to find his cat",
        "found_cat": "the cat, in a clearing at the far north-east of the forest (east "
                     "along the village path): walk into it or press A",
        "quest_complete": "back to the elder with the cat: he thanks you, THE END",
    }
    return {"quest_steps": {
        name: [{**spot, "action": "talk", "doc": docs[name]}]
        for name, spot in plan(truth).spots.items()
    }}


def screenshots(out_dir: Path, scale: int = 2) -> list[Path]:
    """Play the solver on PyBoy and save every screen kind: title, intro, naming, each
    area, a dialogue and THE END."""
    from PIL import Image

    from eevee.cartridges.gen.grove import state_layout
    from eevee.cartridges.registry import get
    from eevee.cartridges.solver import load_script, play
    from eevee.emulator import Emulator, open_emulator

    cart = get("grove")
    addr = {name: a for name, _t, _d, a in state_layout()}
    truth = json.loads(cart.truth_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    seen: dict[str, int] = {}

    def save(emu: Emulator, name: str) -> None:
        img = Image.fromarray(emu.screen().copy())
        img = img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)
        path = out_dir / f"{name}.png"
        img.save(path)
        saved.append(path)

    def on_frame(emu: Emulator) -> None:
        mode = emu.read_u8(addr["game_mode"])
        if emu.frame == BOOT_WAIT - 2:
            save(emu, "title")
        names = {1: f"area{emu.read_u8(addr['area'])}", 2: "dialogue", 3: "intro",
                 4: "naming", 6: "the_end"}
        if mode in names:
            name = names[mode]
            if mode == 1:
                name += "_" + truth["areas"][emu.read_u8(addr["area"])]["name"].split()[-1]
            first = seen.setdefault(name, emu.frame)
            if emu.frame == first + 12:
                save(emu, name.lower().replace("'", ""))

    with open_emulator(cart.rom_path, backend="pyboy") as emu:
        play(emu, load_script(cart.solver_path), on_frame=on_frame)
        emu.step(Buttons.NONE, 12)
        save(emu, "the_end")
    return saved
