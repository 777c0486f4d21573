"""A reactive dodge policy that reads the RAM, and the closed-loop search that turns it
into the open-loop ``data/dodge/solver.json``.

The policy predicts every hazard's straight-line path from the hazards array (position
and velocity in RAM) and, for each of the nine d-pad choices held for ``horizon``
frames, how soon the player would be hit and how close things come; it picks the safest
move. ``run_policy(..., decide_every=k)`` replays it deciding only every k-th frame (the
same decision held in between), which is how the cartridge shows what per-frame
reactions are worth. ``search`` adds savestate backtracking for the committed script.

Runs stable-retro (mGBA); call it in a process without another stable-retro emulator.
``python -m eevee.cartridges.gen.dodge_solver`` writes ``data/dodge/solver.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from eevee.cartridges.gen import dodge
from eevee.cartridges.solver import InputScript
from eevee.emulator.buttons import Buttons

EWRAM = 0x02000000
GBA_ORDER: list[Buttons | None] = [
    Buttons.B, None, Buttons.SELECT, Buttons.START, Buttons.UP, Buttons.DOWN,
    Buttons.LEFT, Buttons.RIGHT, Buttons.A, None, Buttons.L, Buttons.R,
]
ACTIONS: list[tuple[int, int]] = [(dx, dy) for dy in (0, -1, 1) for dx in (0, -1, 1)]
BOOT_WAIT = 30
START_HOLD = 4
_OFF = {name: addr - EWRAM for name, _t, _d, addr in dodge.state_layout()}


def buttons_for(dx: int, dy: int) -> Buttons:
    b = Buttons.NONE
    if dx < 0:
        b |= Buttons.LEFT
    elif dx > 0:
        b |= Buttons.RIGHT
    if dy < 0:
        b |= Buttons.UP
    elif dy > 0:
        b |= Buttons.DOWN
    return b


def mask_for(buttons: Buttons) -> np.ndarray:
    return np.array([1 if b is not None and buttons & b else 0 for b in GBA_ORDER], np.uint8)


@dataclass
class View:
    """What the policy reads from RAM."""

    mode: int
    score: int
    px: int
    py: int
    hazards: np.ndarray  # (n, 8) kind, x, y, vx, vy, fx, fy, size


def read_view(ram: bytes | np.ndarray) -> View:
    mem = bytes(ram[: _OFF["hazards"] + dodge.MAX_HAZARDS * dodge.HAZARD_STRIDE])
    mode = mem[_OFF["game_mode"]]
    score = int.from_bytes(mem[_OFF["score"] : _OFF["score"] + 4], "little")
    px = int.from_bytes(mem[_OFF["player_x"] : _OFF["player_x"] + 2], "little", signed=True)
    py = int.from_bytes(mem[_OFF["player_y"] : _OFF["player_y"] + 2], "little", signed=True)
    rec = np.dtype([("kind", "u1"), ("size", "u1"), ("x", "<i2"), ("y", "<i2"),
                    ("vx", "<i2"), ("vy", "<i2"), ("fx", "u1"), ("fy", "u1")])
    arr = np.frombuffer(mem[_OFF["hazards"] :], dtype=rec, count=dodge.MAX_HAZARDS)
    live = arr[arr["kind"] != 0]
    hz = np.stack([live["kind"], live["x"], live["y"], live["vx"], live["vy"], live["fx"],
                   live["fy"], live["size"]], axis=1).astype(np.int64) if len(live) else \
        np.zeros((0, 8), np.int64)
    return View(mode, score, px, py, hz)


def _boxes(hz: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Hazard hitboxes (x0, y0, x1, y1) at each future frame t (shape (T, n))."""
    x = ((hz[:, 1] << 8) + hz[:, 5])[None, :] + hz[:, 3][None, :] * t[:, None]
    y = ((hz[:, 2] << 8) + hz[:, 6])[None, :] + hz[:, 4][None, :] * t[:, None]
    x >>= 8
    y >>= 8
    rock = hz[:, 0] == 1
    bx = np.where(rock, dodge.ROCK_HITBOX[0], dodge.BOLT_HITBOX[0])
    by = np.where(rock, dodge.ROCK_HITBOX[1], dodge.BOLT_HITBOX[1])
    bw = np.where(rock, dodge.ROCK_HITBOX[2], dodge.BOLT_HITBOX[2])
    bh = np.where(rock, dodge.ROCK_HITBOX[3], dodge.BOLT_HITBOX[3])
    return x + bx, y + by, x + bx + bw, y + by + bh


def choose(view: View, horizon: int = 24, prefer: tuple[int, int] | None = None) -> int:
    """Index into ACTIONS of the safest move held for ``horizon`` frames."""
    t = np.arange(1, horizon + 1)
    best, best_key = 0, None
    if len(view.hazards):
        hx0, hy0, hx1, hy1 = _boxes(view.hazards, t)
    pbx, pby, pbw, pbh = dodge.PLAYER_HITBOX
    for i, (dx, dy) in enumerate(ACTIONS):
        px = np.clip(view.px + dx * dodge.PLAYER_SPEED * t, 0, 224)
        py = np.clip(view.py + dy * dodge.PLAYER_SPEED * t, dodge.PLAY_TOP, dodge.PLAY_BOTTOM)
        if len(view.hazards):
            x0 = (px + pbx)[:, None]
            y0 = (py + pby)[:, None]
            gap_x = np.maximum(hx0 - (x0 + pbw), x0 - hx1)
            gap_y = np.maximum(hy0 - (y0 + pbh), y0 - hy1)
            gap = np.maximum(gap_x, gap_y).min(axis=1)  # per frame, closest hazard
            hit = np.nonzero(gap < 0)[0]
            first = int(hit[0]) if len(hit) else horizon + 1
            clear = int(min(gap[: min(first, 12)].min(), 24)) if first > 0 else -1
        else:
            first, clear = horizon + 1, 24
        # stay low and central when nothing threatens: room to dodge either way
        home = -abs(int(px[-1]) - 112) // 16 - abs(int(py[-1]) - 112) // 16
        key = (first, clear, home, prefer == (dx, dy))
        if best_key is None or key > best_key:
            best, best_key = i, key
    return best


class Game:
    """A stable-retro session of the dodge ROM that records its inputs."""

    def __init__(self, rom: Path) -> None:
        import stable_retro

        self.emu = stable_retro.RetroEmulator(str(rom))
        self.data = stable_retro.data.GameData()
        self.emu.configure_data(self.data)
        self.inputs: list[Buttons] = []

    def step(self, buttons: Buttons) -> None:
        self.emu.set_button_mask(mask_for(buttons), 0)
        self.emu.step()
        self.inputs.append(buttons)

    def view(self) -> View:
        return read_view(self.data.memory.blocks[EWRAM])

    def save(self) -> tuple[bytes, int]:
        return self.emu.get_state(), len(self.inputs)

    def load(self, snap: tuple[bytes, int]) -> None:
        self.emu.set_state(snap[0])
        del self.inputs[snap[1] :]


def start(game: Game) -> None:
    for _ in range(BOOT_WAIT):
        game.step(Buttons.NONE)
    for _ in range(START_HOLD):
        game.step(Buttons.START)


def run_policy(game: Game, decide_every: int, runs: int, cap: int = 6000) -> list[int]:
    """Scores of ``runs`` runs with the policy deciding every ``decide_every`` frames."""
    start(game)
    scores: list[int] = []
    horizon = max(24, decide_every)
    while len(scores) < runs:
        v = game.view()
        if v.mode == 6 or v.score >= cap:
            scores.append(v.score)
            if v.mode == 1:  # reached the cap: run into the next hazard
                while game.view().mode == 1:
                    game.step(Buttons.NONE)
            for _ in range(dodge.GAME_OVER_LOCK + 2):
                game.step(Buttons.NONE)
            game.step(Buttons.START)
            continue
        act = ACTIONS[choose(v, horizon)]
        for _ in range(decide_every):
            game.step(buttons_for(*act))
            if game.view().mode != 1:
                break
    return scores


def search(game: Game, target: int, *, horizon: int = 28, back: int = 40,
           budget: int = 400) -> int:
    """Play one run with the per-frame policy, backtracking ``back`` frames (and trying
    other moves) after a hit; stop at ``target`` frames or when ``budget`` retries are
    spent. Returns the score reached (the inputs are in ``game.inputs``)."""
    start(game)
    snaps: dict[int, tuple[bytes, int]] = {}
    rng = np.random.default_rng(1)
    retries = 0
    forced: dict[int, int] = {}
    best = 0
    while True:
        v = game.view()
        if v.mode == 1 and v.score >= target:
            return v.score
        if v.mode == 6:
            best = max(best, v.score)
            if retries >= budget:
                return best
            retries += 1
            to = max(0, v.score - back - int(rng.integers(0, 20)))
            while to not in snaps and to > 0:
                to -= 1
            if to not in snaps:
                return best
            game.load(snaps[to])
            for s in [k for k in snaps if k > to]:
                del snaps[s]
            for f in range(to, to + back):
                forced[f] = int(rng.integers(0, len(ACTIONS)))
            continue
        if v.score % 4 == 0:
            snaps[v.score] = game.save()
        a = forced.pop(v.score, None)
        if a is not None and v.score % 8 < 4:
            pass
        else:
            a = choose(v, horizon)
        game.step(buttons_for(*ACTIONS[a]))


def script_from(inputs: list[Buttons]) -> InputScript:
    rows: list[tuple[Buttons, int]] = []
    for b in inputs:
        if rows and rows[-1][0] == b:
            rows[-1] = (b, rows[-1][1] + 1)
        else:
            rows.append((b, 1))
    return InputScript(cartridge="dodge", inputs=tuple(rows))


def main(argv: list[str]) -> None:
    from eevee.cartridges.registry import get

    cart = get("dodge")
    what = argv[0] if argv else "solve"
    if what == "compare":
        runs = int(argv[1]) if len(argv) > 1 else 5
        cap = int(argv[2]) if len(argv) > 2 else 6000
        out: dict[str, Any] = {}
        for k in (1, 30):  # one emulator per process: run each in a fresh child
            proc = subprocess.run(
                [sys.executable, "-m", "eevee.cartridges.gen.dodge_solver", "policy", str(k),
                 str(runs), str(cap)], capture_output=True, text=True, check=True)
            out[str(k)] = json.loads(proc.stdout)
        print(json.dumps(out))
        return
    if what == "policy":
        k, runs, cap = (int(a) for a in argv[1:4])
        print(json.dumps(run_policy(Game(cart.rom_path), k, runs, cap)))
        return
    target = int(argv[1]) if len(argv) > 1 else 6000
    game = Game(cart.rom_path)
    score = search(game, target)
    script = script_from(game.inputs)
    cart.solver_path.write_text(script.to_json(), encoding="utf-8")
    print(json.dumps({"survived": score, "frames": script.frames}))


if __name__ == "__main__":
    main(sys.argv[1:])


def screenshots(out_dir: Path, scale: int = 2) -> list[Path]:
    """Save the title, early and late play (from the solver) and a game-over screen."""
    from PIL import Image

    from eevee.cartridges.registry import get
    from eevee.cartridges.solver import load_script
    from eevee.emulator import open_emulator

    cart = get("dodge")
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = {40: "title", 900: "play_level2", 3100: "play_level6", 6400: "play_level8"}
    saved: list[Path] = []
    with open_emulator(cart.rom_path, backend="retro") as emu:

        def save(name: str) -> None:
            img = Image.fromarray(emu.screen().copy())
            img = img.resize((img.width * scale, img.height * scale), Image.Resampling.NEAREST)
            saved.append(out_dir / f"{name}.png")
            img.save(saved[-1])

        frame = 0
        for buttons, n in load_script(cart.solver_path):
            for _ in range(n):
                emu.step(buttons, 1)
                frame += 1
                if frame in shots:
                    save(shots[frame])
            if frame > max(shots):
                break
        for _ in range(600):  # stop dodging: the next hazard ends the run
            emu.step(Buttons.NONE, 1)
            if emu.read_u8(dodge.STATE_ADDRESS + _OFF["game_mode"]) == 6:
                break
        emu.step(Buttons.NONE, 20)
        save("game_over")
    return saved
