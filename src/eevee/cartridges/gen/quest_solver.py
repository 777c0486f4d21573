"""Generate the quest cartridge's scripted solver (``data/quest/solver.json``).

The generator plays closed-loop: it reads RAM every frame (via the profile's RAM map),
plans walks with a shortest-path search over the ground-truth maps (tall grass and thorns
cost extra, so it avoids them where it can), presses A through dialogue, answers YES,
fights any random battle, and records every frame's buttons. The record is a plain
open-loop input script: the game is deterministic, so replaying it from power-on gives
exactly the same run.

    python -m eevee.cartridges.gen.quest_solver            # rebuild ROM, profile, solver
    python -m eevee.cartridges.gen.quest_solver --no-build # solver + profile only

The solver file also carries the walkthrough (:data:`QUEST_STEPS`, :data:`HEALER_TARGET`):
where each milestone is won, which game profiles must never say.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
from pathlib import Path
from typing import Any

from eevee.cartridges.gen import quest
from eevee.cartridges.registry import get
from eevee.cartridges.solver import InputScript
from eevee.emulator.buttons import Buttons

EWRAM = 0x02000000
# stable-retro GBA button order: B, -, SELECT, START, UP, DOWN, LEFT, RIGHT, A, -, L, R
RETRO_ORDER = ["B", "", "SELECT", "START", "UP", "DOWN", "LEFT", "RIGHT", "A", "", "L", "R"]
DIRS = {"DOWN": (0, 1), "UP": (0, -1), "LEFT": (-1, 0), "RIGHT": (1, 0)}
FACING = {"DOWN": 0, "UP": 1, "LEFT": 2, "RIGHT": 3}
MODE_TITLE, MODE_OVERWORLD, MODE_DIALOGUE, MODE_MENU, MODE_BATTLE, MODE_TRANSITION = range(6)


# How to win, in cells (``solver.json``'s ``walkthrough``; tests and benchmarks only):
# for each milestone the places to go and what to do there, in order; a step with
# ``unless_flag`` / ``unless_item`` is skipped once that quest flag / item bit is set.
QUEST_STEPS: dict[str, list[dict[str, Any]]] = {
    "talked_to_elder": [
        {"area": 1, "cell": [5, 2], "action": "talk", "doc": "the elder, top of his house"}],
    "got_moon_flower": [
        {"area": 3, "cell": [18, 11], "action": "use", "unless_flag": 64,
         "doc": "the lever by the river raises the bridge"},
        {"area": 3, "cell": [27, 3], "action": "walk",
         "doc": "the Moon Flower, north-east across the river"}],
    "got_gate_key": [
        {"area": 4, "cell": [4, 2], "action": "talk", "doc": "the hermit in his hut"}],
    "opened_gate": [
        {"area": 0, "cell": [11, 1], "action": "use", "doc": "the gate north of town"}],
    "reached_shrine": [
        {"area": 6, "action": "enter", "doc": "the shrine at the north end of the path"}],
    "quest_complete": [
        {"area": 6, "cell": [5, 2], "action": "talk", "doc": "the spirit by the altar"}],
    "side_started": [
        {"area": 0, "npc": 0, "action": "talk", "doc": "the girl in town (wanders)"}],
    "side_complete": [
        {"area": 3, "cell": [8, 3], "action": "walk", "unless_item": 4,
         "doc": "the red ball in the tall grass"},
        {"area": 0, "npc": 0, "action": "talk", "doc": "give it back to the girl"}],
}
HEALER_TARGET: dict[str, Any] = {"area": 2, "cell": [5, 2], "action": "talk"}


def walkthrough() -> dict[str, Any]:
    """The ``walkthrough`` section of ``solver.json``."""
    return {"quest_steps": QUEST_STEPS, "healer_target": HEALER_TARGET}


class SolverError(RuntimeError):
    """The closed-loop run got stuck."""


class Runner:
    """A stable-retro emulator that records every frame's buttons."""

    def __init__(self, rom: Path, truth: dict[str, Any]) -> None:
        import stable_retro  # local import: only the generator needs it

        self.em = stable_retro.RetroEmulator(str(rom))
        self.data = stable_retro.data.GameData()
        self.em.configure_data(self.data)
        self.mem = self.data.memory
        self.truth = truth
        self.offsets = quest.variable_offsets()
        self.types = {name: rtype for name, _, rtype, _ in quest.VARIABLES}
        self.record: list[tuple[str, int]] = []
        self.frames = 0

    def var(self, name: str) -> int:
        return int(self.mem.extract(EWRAM + self.offsets[name], self.types[name]))

    def frame(self, buttons: str = "") -> None:
        names = [b for b in buttons.split("+") if b]
        mask = [1 if n and n in names else 0 for n in RETRO_ORDER]
        import numpy as np

        self.em.set_button_mask(np.array(mask, dtype=np.uint8), 0)
        self.em.step()
        self.frames += 1
        if self.record and self.record[-1][0] == buttons:
            self.record[-1] = (buttons, self.record[-1][1] + 1)
        else:
            self.record.append((buttons, 1))
        if self.frames > 60000:
            raise SolverError("solver ran past 60000 frames")

    def idle_until(self, cond: Any, limit: int = 2000) -> None:
        for _ in range(limit):
            if cond():
                return
            self.frame("")
        raise SolverError("timed out waiting")

    # ---- events ----
    def handle_events(self) -> None:
        """Finish dialogue, battles and fades until the player can walk again."""
        last_a = False
        for _ in range(20000):
            mode = self.var("game_mode")
            if mode == MODE_OVERWORLD:
                return
            if mode == MODE_DIALOGUE:
                self.frame("" if last_a else "A")
                last_a = not last_a
            elif mode == MODE_BATTLE:
                phase = self.var("battle")
                if phase == 3:  # menu
                    want = 1 if (self.var("hp") <= 4 and self.var("potions")) else 0
                    cur = self.var("menu_cursor")
                    if cur != want and not last_a:
                        self.frame("DOWN" if want > cur else "UP")
                        last_a = True
                    else:
                        self.frame("" if last_a else "A")
                        last_a = not last_a
                else:
                    self.frame("" if last_a else "A")
                    last_a = not last_a
            else:
                self.frame("")
                last_a = False
        raise SolverError("stuck in events")

    # ---- walking ----
    def _grid(self) -> dict[str, Any]:
        return dict(self.truth["areas"][self.var("area")])

    def _passable(self, area: dict[str, Any], x: int, y: int) -> bool:
        if not (0 <= x < area["width"] and 0 <= y < area["height"]):
            return False
        e = self.truth["legend"][area["grid"][y][x]]
        flags = self.var("quest_flags")
        if e["gate"]:
            return bool(flags & self.truth["flags"]["GATE_OPEN"])
        if e["bridge"]:
            return bool(flags & self.truth["flags"]["BRIDGE_UP"])
        if any(n["x"] == x and n["y"] == y and n["wander"] == 0 for n in area["npcs"]):
            return False
        return not e["solid"]

    def _cost(self, area: dict[str, Any], x: int, y: int) -> int:
        e = self.truth["legend"][area["grid"][y][x]]
        if e["hazard"]:
            return 40
        if e["grass"]:
            return 25
        return 1

    def plan(self, goal: tuple[int, int], blocked: set[tuple[int, int]]) -> list[str] | None:
        area = self._grid()
        warps = {(w["from"]["x"], w["from"]["y"]) for w in self.truth["warps"]
                 if w["from"]["area"] == area["id"]}
        start = (self.var("player_x"), self.var("player_y"))
        dist = {start: 0}
        prev: dict[tuple[int, int], tuple[tuple[int, int], str]] = {}
        heap = [(0, start)]
        while heap:
            d, cell = heapq.heappop(heap)
            if cell == goal:
                break
            if d > dist[cell] or (cell in warps and cell != start):
                continue
            for name, (dx, dy) in DIRS.items():
                nxt = (cell[0] + dx, cell[1] + dy)
                if nxt in blocked or not self._passable(area, *nxt):
                    continue
                nd = d + self._cost(area, *nxt)
                if nd < dist.get(nxt, 1 << 30):
                    dist[nxt] = nd
                    prev[nxt] = (cell, name)
                    heapq.heappush(heap, (nd, nxt))
        if goal not in dist:
            return None
        path: list[str] = []
        cell = goal
        while cell != start:
            cell, name = prev[cell]
            path.append(name)
        return path[::-1]

    def walk_to(self, area_id: int, x: int, y: int) -> None:
        """Walk to a cell of the current area (a warp cell: until the warp is done)."""
        if self.var("area") != area_id:
            raise SolverError(f"expected area {area_id}, in {self.var('area')}")
        blocked: set[tuple[int, int]] = set()
        for _attempt in range(200):
            self.handle_events()
            if self.var("area") != area_id:
                return  # went through a warp
            here = (self.var("player_x"), self.var("player_y"))
            if here == (x, y) and self.var("moving") == 0:
                return
            path = self.plan((x, y), blocked)
            if path is None:
                blocked.clear()
                for _ in range(8):
                    self.frame("")
                continue
            if self._follow(path):
                blocked.clear()
            else:
                px, py = self.var("player_x"), self.var("player_y")
                dx, dy = DIRS[path[0]] if path else (0, 0)
                blocked.add((px + dx, py + dy))
        raise SolverError(f"could not reach {x},{y} in area {area_id}")

    def _follow(self, path: list[str]) -> bool:
        """Follow ``path``; False when blocked (an NPC in the way) or interrupted."""
        i = 0
        stuck = 0
        while i < len(path):
            if self.var("game_mode") != MODE_OVERWORLD:
                self.handle_events()
                return True  # re-plan from wherever we are now
            moving = self.var("moving")
            if moving > 1:
                self.frame(path[i - 1] if i else path[0])
                continue
            if moving == 1:
                # the step ends this frame; the game reads the next direction now
                nxt = path[i] if i < len(path) else ""
                before = (self.var("player_x"), self.var("player_y"))
                self.frame(nxt)
                after = (self.var("player_x"), self.var("player_y"))
                if after != before and self.var("moving") == quest.STEP_FRAMES:
                    i += 1
                elif nxt and self.var("game_mode") == MODE_OVERWORLD:
                    stuck += 1
                continue
            before = (self.var("player_x"), self.var("player_y"))
            self.frame(path[i])
            after = (self.var("player_x"), self.var("player_y"))
            if after != before:
                i += 1
                stuck = 0
            elif self.var("game_mode") == MODE_OVERWORLD:
                stuck += 1
                if stuck > 2:
                    return False
        # let the last step finish
        while self.var("moving") and self.var("game_mode") == MODE_OVERWORLD:
            self.frame("")
        return True

    def npc(self, slot: int) -> tuple[int, int, int]:
        """(x, y, moving) of NPC ``slot`` in the current area (from the NPC table)."""
        base = EWRAM + quest.npc_table_offset() + slot * len(quest.NPC_FIELDS)
        x, y, _, moving = (int(self.mem.extract(base + i, "|u1")) for i in range(4))
        return x, y, moving

    def talk_to(self, slot: int) -> None:
        """Walk next to a (possibly wandering) NPC and talk to it."""
        for _ in range(30):
            nx, ny, _ = self.npc(slot)
            best: tuple[int, str, tuple[int, int]] | None = None
            for name, (dx, dy) in DIRS.items():
                cell = (nx - dx, ny - dy)
                path = self.plan(cell, {(nx, ny)})
                if path is not None and (best is None or len(path) < best[0]):
                    best = (len(path), name, cell)
            if best is None:
                self.frame("")
                continue
            self.walk_to(self.var("area"), *best[2])
            nx2, ny2, moving = self.npc(slot)
            if (nx2, ny2) == (nx, ny) and not moving:
                self.face(best[1])
                self.frame("A")
                if self.var("game_mode") == MODE_DIALOGUE:
                    self.handle_events()
                    return
                self.frame("")
        raise SolverError(f"could not talk to NPC {slot}")

    def face(self, direction: str) -> None:
        if self.var("facing") != FACING[direction]:
            self.frame(direction)
        if self.var("facing") != FACING[direction]:
            raise SolverError(f"could not face {direction}")

    def talk(self, direction: str) -> None:
        """Face ``direction``, press A and play the dialogue out (answering YES)."""
        self.face(direction)
        for _ in range(40):
            self.frame("A")
            if self.var("game_mode") != MODE_OVERWORLD:
                break
            self.frame("")  # e.g. the NPC is still stepping; try again
        else:
            raise SolverError("A did nothing")
        self.handle_events()


def solve(rom: Path, truth: dict[str, Any]) -> InputScript:
    """Play the main quest closed-loop and return the recorded input script."""
    r = Runner(rom, truth)
    ids = {a["key"]: a["id"] for a in truth["areas"]}
    town, elder, forest, hut = ids["TOWN"], ids["ELDER_HOUSE"], ids["FOREST"], ids["HUT"]
    path, shrine = ids["SHRINE_PATH"], ids["SHRINE"]
    r.idle_until(lambda: r.var("frame_counter") >= 1)
    r.frame("START")
    r.idle_until(lambda: r.var("game_mode") == MODE_OVERWORLD)
    r.walk_to(town, 5, 5)
    r.walk_to(elder, 5, 3)
    r.talk("UP")
    r.walk_to(elder, 4, 7)
    r.walk_to(town, 23, 7)
    r.walk_to(forest, 18, 12)
    r.talk("UP")  # the lever
    r.walk_to(forest, 27, 3)  # the Moon Flower
    r.handle_events()
    r.walk_to(forest, 14, 10)
    r.walk_to(hut, 4, 3)
    r.talk("UP")
    r.walk_to(hut, 3, 6)
    r.walk_to(forest, 0, 12)
    r.walk_to(town, 11, 2)
    r.talk("UP")  # the gate
    r.walk_to(town, 11, 0)
    r.walk_to(path, 7, 3)
    r.walk_to(shrine, 5, 3)
    r.talk("UP")
    done = truth["flags"]["QUEST_DONE"]
    if not r.var("quest_flags") & done:
        raise SolverError("quest not complete at the end of the solver run")
    inputs = tuple((Buttons.parse(b), n) for b, n in r.record)
    return InputScript(cartridge="quest", inputs=inputs)


def main(argv: list[str] | None = None) -> None:
    from eevee.cartridges.build import build, install, write_profile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="use the installed ROM")
    args = parser.parse_args(argv)
    cart = get("quest")
    if not args.no_build:
        install(build(cart))
    rom = cart.rom_path
    sha1 = hashlib.sha1(rom.read_bytes()).hexdigest()
    truth = json.loads(cart.truth_path.read_text(encoding="utf-8"))
    write_profile(cart, quest.profile(sha1))
    script = solve(rom, truth)
    cart.solver_path.write_text(script.to_json(walkthrough()), encoding="utf-8")
    print(f"rom sha1 {sha1}; solver: {script.frames} frames, {len(script.inputs)} inputs")


if __name__ == "__main__":
    main()
