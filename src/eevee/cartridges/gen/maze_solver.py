"""Scripted solver for ``maze``: shortest walk start -> key -> locked door -> exit.

Works on the ground truth (``generate``'s dict) with a breadth-first search over
(room, x, y), then turns the walk into an open-loop input script that tolerates boot
timing differences between emulators: it waits well past the title's appearance,
holds START a few frames, and walks by holding a direction for exactly
``n * step_frames`` frames from idle, resting through every room transition.
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from typing import Any

from eevee.cartridges.solver import InputScript
from eevee.emulator.buttons import Buttons

BOOT_WAIT = 110  # PyBoy runs its boot ROM for ~70 frames, gambatte does not
START_HOLD = 6
SETTLE = 6  # extra idle frames after each transition

Cell = tuple[int, int, int]  # room, x, y
_DIRS: dict[str, tuple[int, int]] = {
    "DOWN": (0, 1), "UP": (0, -1), "LEFT": (-1, 0), "RIGHT": (1, 0),
}


def walkthrough(truth: dict[str, Any]) -> dict[str, Any]:
    """The ``walkthrough`` section of ``solver.json`` (tests and benchmarks only): for each
    milestone, the cell to walk to and what is there."""
    key, lock, exit_ = truth["items"][0], truth["locked_doors"][0], truth["exits"][0]

    def step(where: dict[str, Any], doc: str) -> list[dict[str, Any]]:
        return [{"area": where["room"], "cell": [where["x"], where["y"]], "action": "walk",
                 "doc": doc}]

    return {"quest_steps": {
        "got_key": step(key, "the key in the vault, ringed by water (enter from below)"),
        "opened_door": step(
            lock, "the locked door, bottom of the crypt: walk into it with the key"),
        "escaped": step(exit_, "the exit stairs in the gate room, inside the water ring"),
    }}


def _grid(truth: dict[str, Any]) -> list[list[str]]:
    return [list(r["cells"]) for r in truth["rooms"]]


def _links(truth: dict[str, Any]) -> dict[Cell, Cell]:
    out: dict[Cell, Cell] = {}
    for d in truth["doors"]:
        f, t = d["from"], d["to"]
        out[(f["room"], f["x"], f["y"])] = (t["room"], t["x"], t["y"])
    return out


def _path(
    truth: dict[str, Any], start: Cell, goal: Cell, door_open: bool
) -> list[tuple[str, Cell, bool]]:
    """Moves (direction, cell reached, went through a door) from start to goal."""
    rooms = _grid(truth)
    links = _links(truth)
    w, h = truth["room_size"]
    prev: dict[Cell, tuple[Cell, str, bool] | None] = {start: None}
    todo = deque([start])
    while todo:
        cur = todo.popleft()
        if cur == goal:
            break
        r, x, y = cur
        for name, (dx, dy) in _DIRS.items():
            nx, ny = x + dx, y + dy
            if not (0 <= nx < w and 0 <= ny < h):
                continue
            c = rooms[r][ny][nx]
            if c in "#o~" or (c == "L" and not door_open):
                continue
            nxt: Cell = (r, nx, ny)
            through = False
            if c in "DL":
                nxt = links[(r, nx, ny)]
                through = True
            if nxt == goal and c in "DL":
                pass
            if nxt not in prev:
                prev[nxt] = (cur, name, through)
                todo.append(nxt)
    if goal not in prev:
        raise ValueError(f"no path from {start} to {goal}")
    moves: list[tuple[str, Cell, bool]] = []
    node = goal
    while prev[node] is not None:
        back = prev[node]
        assert back is not None
        moves.append((back[1], node, back[2]))
        node = back[0]
    return moves[::-1]


def solve(truth: dict[str, Any], *, step_frames: int | None = None) -> InputScript:
    """The input script that finishes the maze from power-on."""
    step = int(step_frames or truth["step_frames"])
    trans = int(truth["transition_frames"])
    s = truth["start"]
    pos: Cell = (s["room"], s["x"], s["y"])
    key = truth["items"][0]
    lock = truth["locked_doors"][0]
    exit_ = truth["exits"][0]
    rooms = _grid(truth)
    # the cell next to the locked door, inside its room, and the push direction
    lr, lx, ly = lock["room"], lock["x"], lock["y"]
    stand: Cell | None = None
    push = ""
    for name, (dx, dy) in _DIRS.items():
        sx, sy = lx - dx, ly - dy
        w, h = truth["room_size"]
        if 0 <= sx < w and 0 <= sy < h and rooms[lr][sy][sx] in ".,":
            stand, push = (lr, sx, sy), name
            break
    if stand is None:
        raise ValueError("locked door has no floor cell next to it")
    # moves: (direction, ends with a room transition)
    moves: list[tuple[str, bool]] = []
    for goal, door_open in (((key["room"], key["x"], key["y"]), False), (stand, False)):
        for d, cell, through in _path(truth, pos, goal, door_open):
            moves.append((d, through))
            pos = cell
    moves.append((push, False))  # unlock: one step's worth of pushing
    for d, cell, through in _path(truth, pos, (exit_["room"], exit_["x"], exit_["y"]), True):
        moves.append((d, through))
        pos = cell
    rows: list[tuple[Buttons, int]] = [
        (Buttons.NONE, BOOT_WAIT),
        (Buttons.START, START_HOLD),
        (Buttons.NONE, trans + SETTLE),
    ]
    run_dir, run_len = "", 0
    for i, (d, through) in enumerate(moves):
        if d == run_dir:
            run_len += 1
        else:
            if run_len:
                rows.append((Buttons.parse(run_dir), run_len * step))
            run_dir, run_len = d, 1
        last = i == len(moves) - 1
        if through or last:
            rows.append((Buttons.parse(run_dir), run_len * step))
            rows.append((Buttons.NONE, trans + SETTLE))
            run_dir, run_len = "", 0
    return InputScript(cartridge="maze", inputs=tuple(rows))


def screenshots(out_dir: Path, scale: int = 2) -> list[Path]:
    """Play the solver on PyBoy and save the title, every room and the end screen."""
    from PIL import Image

    from eevee.cartridges.gen.maze import state_layout
    from eevee.cartridges.registry import get
    from eevee.cartridges.solver import load_script
    from eevee.emulator import Emulator, open_emulator

    cart = get("maze")
    addr = {name: a for name, _t, _d, a in state_layout()}
    truth = json.loads(cart.truth_path.read_text(encoding="utf-8"))
    names = {r["id"]: r["name"].lower().replace(" ", "_") for r in truth["rooms"]}
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    pending: dict[str, int] = {}

    def save(emu: Emulator, name: str) -> None:
        img = Image.fromarray(emu.screen().copy())
        img = img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)
        path = out_dir / f"{name}.png"
        img.save(path)
        saved.append(path)

    def on_frame(emu: Emulator) -> None:
        mode = emu.read_u8(addr["game_mode"])
        if emu.frame == BOOT_WAIT - 10:
            save(emu, "title")
        if mode == 1:
            name = f"room{emu.read_u8(addr['area'])}_{names[emu.read_u8(addr['area'])]}"
            if name not in pending:
                pending[name] = emu.frame + 14
            if pending[name] == emu.frame:
                save(emu, name)
        if mode == 6 and "escaped" not in pending:
            pending["escaped"] = emu.frame
            emu.step(Buttons.NONE, 10)
            save(emu, "escaped")

    with open_emulator(cart.rom_path, backend="pyboy") as emu:
        from eevee.cartridges.solver import play

        play(emu, load_script(cart.solver_path), on_frame=on_frame)
    return saved
