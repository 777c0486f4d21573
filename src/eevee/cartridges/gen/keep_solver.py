"""Generate the keep cartridge's scripted solver (``data/keep/solver.json``).

The generator plays closed-loop on stable-retro (mGBA, in this process): for each leg
of the quest it plans a shortest pixel walk over the ground-truth collision map (the
feet box on 8x8 tiles, :mod:`eevee.cartridges.gen.keep_maps`; one pixel a frame makes
it exact), then follows it frame by frame. While a live slime is near (the RAM slime
table) it looks ahead on a saved state before each frame: walk on if the next
:data:`HORIZON` frames of the walk take no hit; else strike the slime down with the
sword (now, after walking up to it, or after waiting for it to come in reach) if that
clears the way; else wait, or step back, until the way is clear. Every
frame's buttons are recorded; the game is deterministic, so the record is a plain
open-loop script that replays the same run from power-on, which :func:`solve` checks.

    python -m eevee.cartridges.gen.keep_solver            # rebuild ROM, profile, solver
    python -m eevee.cartridges.gen.keep_solver --no-build # solver + profile only

The solver file also carries the walkthrough (:func:`walkthrough`): where each milestone
is won, which the game profile must never say.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eevee.cartridges.gen import keep
from eevee.cartridges.gen.keep_maps import (
    ATTR_BIT,
    DIRS,
    TILE,
    Collision,
    Legend,
    shortest_path,
)
from eevee.cartridges.registry import get
from eevee.cartridges.solver import InputScript, play
from eevee.emulator import Buttons, Emulator, open_emulator

EWRAM = 0x02000000
HORIZON = 48  # frames looked ahead near a slime
NEAR = 72  # pixels: a live slime this close makes the solver look ahead
MAX_FRAMES = 4000
MODE = keep.MODES
BACK = {"UP": "DOWN", "DOWN": "UP", "LEFT": "RIGHT", "RIGHT": "LEFT"}
FACE_NAME = {v: k.upper() for k, v in keep.FACING.items()}


class SolverError(RuntimeError):
    """The closed-loop run got stuck or was hurt where it must not be."""


def walkthrough(truth: dict[str, Any]) -> dict[str, Any]:
    """The ``walkthrough`` section of ``solver.json``: for each milestone, where to go
    (``cell``: 8x8 tile; ``pixel``: the player's top-left there) and what to do."""
    kx, ky = truth["key"]["x"], truth["key"]["y"]
    door, altar = truth["door"][0], truth["altar"][0]
    cave = next(w for w in truth["warps"] if w["from"]["area"] == 0)
    return {
        "quest_steps": {
            "got_key": [
                {"area": 0, "cell": cave["from"]["rect"][:2], "action": "enter",
                 "doc": "the cave mouth in the cliff north-west of the bridge"},
                {"area": truth["key"]["area"], "cell": [kx // TILE, ky // TILE],
                 "pixel": [kx, ky], "action": "walk",
                 "doc": "the key, in the far north-east chamber of Echo Cave"}],
            "opened_door": [
                {"area": door["area"], "cell": door["rect"][:2], "action": "use",
                 "doc": "walk up into the shrine's locked door (north of the bridge) "
                        "carrying the key"}],
            "quest_complete": [
                {"area": altar["area"], "cell": altar["rect"][:2], "action": "use",
                 "doc": "walk up into the treasure on the altar inside the shrine"}],
        },
    }


class Runner:
    """One in-process stable-retro emulator of the keep ROM that records its inputs."""

    def __init__(self, rom: Path, truth: dict[str, Any]) -> None:
        self.emu: Emulator = open_emulator(rom, backend="retro")
        self.truth = truth
        self.legend = {ch: Legend(ch, e["kind"], {a for a in ATTR_BIT if e[a]})
                       for ch, e in truth["legend"].items()}
        self.offsets = keep.variable_offsets()
        self.types = {name: rtype for name, _, rtype, _ in keep.VARIABLES}
        self.record: list[Buttons] = []

    def close(self) -> None:
        self.emu.close()

    def var(self, name: str) -> int:
        return self.emu.read_value(EWRAM + self.offsets[name], self.types[name])

    def frame(self, buttons: str = "") -> None:
        if len(self.record) >= MAX_FRAMES:
            raise SolverError(f"the run passed {MAX_FRAMES} frames")
        b = Buttons.parse(buttons)
        self.emu.step(b, 1)
        self.record.append(b)

    def wait_for(self, cond: Callable[[], bool], limit: int = 200) -> None:
        for _ in range(limit):
            if cond():
                return
            self.frame("")
        raise SolverError("timed out waiting")

    def pos(self) -> tuple[int, int]:
        return self.var("player_x"), self.var("player_y")

    def collision(self) -> Collision:
        area = self.truth["areas"][self.var("area")]
        opened = bool(self.var("quest_flags") & self.truth["flags"]["OPENED_DOOR"])
        return Collision(area["grid"], self.legend, opened)

    def slimes_near(self) -> bool:
        base = EWRAM + keep.slime_table_offset()
        px, py = self.pos()
        for i in range(keep.MAX_SLIMES):
            rec = self.emu.read(base + i * keep.SLIME_STRIDE, 6)
            if rec[0]:
                sx = int.from_bytes(rec[2:4], "little", signed=True)
                sy = int.from_bytes(rec[4:6], "little", signed=True)
                if abs(sx - px) <= NEAR and abs(sy - py) <= NEAR:
                    return True
        return False

    # ---- looking ahead ----
    def _safe(self, prefix: list[str], path: list[str], i: int) -> tuple[bool, bool]:
        """Would ``prefix`` and then the walk from step ``i`` take no hit for HORIZON
        frames (or until the walk ends)? And did ``prefix`` defeat a slime?"""
        snap = self.emu.save_state()
        hits, alive = self.var("hits_taken"), self.var("slimes_alive")
        try:
            for b in prefix:
                self.emu.step(Buttons.parse(b), 1)
                if self.var("hits_taken") != hits:
                    return False, False
            killed = self.var("slimes_alive") != alive
            for k in range(HORIZON):
                if i + k >= len(path) or self.var("game_mode") != MODE["playing"]:
                    break
                self.emu.step(Buttons.parse(path[i + k]), 1)
                if self.var("hits_taken") != hits:
                    return False, killed
            return True, killed
        finally:
            self.emu.load_state(snap)

    def _decide(self, path: list[str], i: int) -> list[str]:
        """The frames to play now: a step of the walk, a sword swing, a wait or a step
        back (the walk goes on from where it stands afterwards)."""
        if self._safe([], path, i)[0]:
            return [path[i]]
        swing = ["A"] + [""] * (keep.SWORD_FRAMES - 1)
        # face the way on (one step) if need be, wait for the slime to come in reach,
        # and strike it down
        turn = [] if FACE_NAME[self.var("facing")] == path[i] else [path[i]]
        if not turn and self._safe(swing, path, i) == (True, True):
            return swing
        for steps in (1, 2, 4, 8, 12, 16, 24, 32):  # walk on up to it, then strike
            if i + steps <= len(path) and self._safe(path[i:i + steps] + swing, path,
                                                     i + steps) == (True, True):
                return [path[i]]
        for wait in (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 80, 96, 128, 160):
            prefix = turn + [""] * wait + swing  # or wait for it to come in reach
            if self._safe(prefix, path, i + len(turn)) == (True, True):
                return prefix[:1]
        for wait in (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96):
            if self._safe([""] * wait, path, i)[0]:
                return [""]
        back = BACK[path[i]]
        if self._safe([back], [back] * HORIZON, 0)[0]:
            return [back]
        raise SolverError(f"no safe move at {self.pos()}")

    # ---- walking ----
    def walk(self, goal: Callable[[int, int], bool], what: str) -> None:
        """Walk to a position where ``goal`` holds (re-planning after any detour)."""
        for _attempt in range(50):
            if self.var("game_mode") != MODE["playing"]:
                raise SolverError(f"not playing on the way to {what}")
            start = self.pos()
            if goal(*start):
                return
            path = shortest_path(self.collision(), start, goal,
                                 FACE_NAME.get(self.var("facing")))
            if path is None:
                raise SolverError(f"no way to {what} from {start}")
            i = 0
            x, y = start
            while i < len(path):
                todo = self._decide(path, i) if self.slimes_near() else [path[i]]
                for b in todo:
                    self.frame(b)
                if self.var("game_mode") != MODE["playing"]:
                    return  # a warp (or the end) took over
                if todo == [path[i]]:
                    dx, dy = DIRS[path[i]]
                    x, y = x + dx, y + dy
                    i += 1
                if self.pos() != (x, y):
                    break  # stepped back or knocked back: plan again from here
            else:
                if goal(*self.pos()):
                    return
        raise SolverError(f"could not reach {what}")

    def wait_playing(self, area: int) -> None:
        self.wait_for(lambda: self.var("game_mode") == MODE["playing"])
        if self.var("area") != area:
            raise SolverError(f"expected area {area}, in {self.var('area')}")


def _touches(col: Collision, attr: str) -> Callable[[int, int], bool]:
    """Goal: standing where walking up is blocked by a tile with ``attr``."""
    bit = ATTR_BIT[attr]

    def goal(x: int, y: int) -> bool:
        return bool(col.feet(x, y - 1) & bit) and not col.free(x, y - 1)

    return goal


def solve(rom: Path, truth: dict[str, Any]) -> InputScript:
    """Play the quest closed-loop and return the recorded input script."""
    r = Runner(rom, truth)
    try:
        warp = ATTR_BIT["warp"]
        flags = truth["flags"]
        key = truth["key"]
        kb = key["box"]
        r.wait_for(lambda: r.var("frame_counter") >= 1)
        r.frame("START")
        r.wait_playing(0)
        col = r.collision()
        r.walk(lambda x, y: bool(col.feet(x, y) & warp), "the cave mouth")
        r.wait_playing(key["area"])
        r.walk(lambda x, y: (x < key["x"] + kb[0] + kb[2] and key["x"] + kb[0] < x + 16
                             and y < key["y"] + kb[1] + kb[3] and key["y"] + kb[1] < y + 16),
               "the key")
        if not r.var("quest_flags") & flags["GOT_KEY"]:
            raise SolverError("the key was not picked up")
        col = r.collision()
        r.walk(lambda x, y: bool(col.feet(x, y) & warp), "the cave exit")
        r.wait_playing(0)
        r.walk(_touches(r.collision(), "door"), "the shrine door")
        r.frame("UP")
        if not r.var("quest_flags") & flags["OPENED_DOOR"]:
            raise SolverError("the door did not open")
        r.walk(_touches(r.collision(), "altar"), "the altar")
        r.frame("UP")
        if not r.var("quest_flags") & flags["QUEST_DONE"]:
            raise SolverError("the quest is not complete")
        r.wait_for(lambda: r.var("game_mode") == MODE["end"])
        if r.var("hits_taken"):
            raise SolverError(f"the solver was hit {r.var('hits_taken')} times")
        record = r.record
    finally:
        r.close()
    runs: list[tuple[Buttons, int]] = []
    for b in record:
        if runs and runs[-1][0] == b:
            runs[-1] = (b, runs[-1][1] + 1)
        else:
            runs.append((b, 1))
    return InputScript(cartridge="keep", inputs=tuple(runs))


def verify(rom: Path, script: InputScript) -> dict[str, int]:
    """Replay ``script`` from power-on in a fresh emulator; the state variables at the end
    (raises :class:`SolverError` unless the quest is complete)."""
    offs = keep.variable_offsets()
    with open_emulator(rom, backend="retro") as emu:
        play(emu, script)
        values = {name: emu.read_value(EWRAM + offs[name], rtype)
                  for name, _, rtype, _ in keep.VARIABLES}
    if values["quest_step"] != len(keep.MAIN_QUEST) or values["game_mode"] != MODE["end"]:
        raise SolverError(f"the replayed script does not finish the quest: {values}")
    return values


def main(argv: list[str] | None = None) -> None:
    from eevee.cartridges.build import build, install, write_profile

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="use the installed ROM")
    args = parser.parse_args(argv)
    cart = get("keep")
    if not args.no_build:
        install(build(cart))
    rom = cart.rom_path
    sha1 = hashlib.sha1(rom.read_bytes()).hexdigest()
    truth = json.loads(cart.truth_path.read_text(encoding="utf-8"))
    write_profile(cart, keep.profile(sha1))
    script = solve(rom, truth)
    values = verify(rom, script)
    cart.solver_path.write_text(script.to_json(walkthrough(truth)), encoding="utf-8")
    print(f"rom sha1 {sha1}; solver: {script.frames} frames, {len(script.inputs)} inputs, "
          f"{values['slimes_defeated']} slimes defeated")


if __name__ == "__main__":
    main()
