"""The maze cartridge (Game Boy): boots to its title, the scripted solver finishes it on
both PyBoy and stable-retro's gambatte, the player's sprite agrees with the RAM, the
profile matches the ROM, and the game is deterministic."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import numpy as np
import pytest

from eevee.cartridges.gen import maze
from eevee.cartridges.registry import get
from eevee.cartridges.solver import load_script, play
from eevee.emulator import Buttons, Emulator, open_emulator
from eevee.profiles import VariableReader, load_profile

CART = get("maze")
OAM = 0xFE00
ADDR = {name: addr for name, _t, _d, addr in maze.state_layout()}
TYPES = {name: typ for name, typ, _d, _a in maze.state_layout()}

pytestmark = pytest.mark.skipif(not CART.built, reason="maze ROM not built")


def var(emu: Emulator, name: str) -> int:
    return emu.read_value(ADDR[name], TYPES[name])


@pytest.fixture(scope="module")
def retro() -> Iterator[Emulator]:
    emu = open_emulator(CART.rom_path, backend="retro", subprocess=True)
    try:
        yield emu
    finally:
        emu.close()


def _boot_frames(emu: Emulator) -> int:
    for frame in range(1, 121):
        emu.step(Buttons.NONE, 1)
        if var(emu, "frame_counter") >= 1 and var(emu, "game_mode") == 0:
            return frame
    raise AssertionError("no title within 120 frames")


def test_profile_and_truth_match_the_rom() -> None:
    profile = load_profile(CART.profile_path)
    assert profile.sha1 == hashlib.sha1(CART.rom_path.read_bytes()).hexdigest()
    for name in ("game_mode", "frame_counter", "area", "player_x", "player_y", "facing",
                 "inventory", "quest_flags", "quest_step", "rng_state"):
        assert name in profile.variables
    assert [m.name for m in profile.milestones][-1] == "quest_complete"
    truth = json.loads(CART.truth_path.read_text(encoding="utf-8"))
    assert len(truth["rooms"]) >= 4
    assert any(d["locked"] for d in truth["doors"])
    for d in truth["doors"]:  # every door leads to a reachable cell
        to = truth["rooms"][d["to"]["room"]]
        assert [d["to"]["x"], d["to"]["y"]] in to["reachable"], d


@pytest.mark.parametrize("backend", ["pyboy", "retro"])
def test_boots_to_title_and_waits_for_start(backend: str, retro: Emulator) -> None:
    emu = retro if backend == "retro" else open_emulator(CART.rom_path, backend="pyboy")
    try:
        if backend == "retro":
            emu.reset()
        assert _boot_frames(emu) < 120
        emu.step(Buttons.NONE, 60)
        assert var(emu, "game_mode") == 0, "the title must wait for START"
        assert emu.screen().std() > 10, "title screen is blank"
    finally:
        if backend == "pyboy":
            emu.close()


@pytest.mark.parametrize("backend", ["pyboy", "retro"])
def test_solver_escapes_on_both_emulators(backend: str, retro: Emulator) -> None:
    emu = retro if backend == "retro" else open_emulator(CART.rom_path, backend="pyboy")
    try:
        if backend == "retro":
            emu.reset()
        play(emu, load_script(CART.solver_path))
        profile = load_profile(CART.profile_path)
        values = VariableReader(profile).read(emu)
        reached = {m.name for m in profile.milestones if m.reached(values)}
        assert {m.name for m in profile.milestones} == reached
        assert var(emu, "game_mode") == 6 and var(emu, "quest_step") == 3
        assert var(emu, "falls") == 0
    finally:
        if backend == "pyboy":
            emu.close()


def test_solver_runs_identically_on_both_emulators(retro: Emulator) -> None:
    """Game logic depends only on the game's own frames: the same quest state results."""
    script = load_script(CART.solver_path)
    keep = ["area", "player_x", "player_y", "steps", "play_frames", "quest_flags"]
    results = []
    for emu in (open_emulator(CART.rom_path, backend="pyboy"), retro):
        if emu is retro:
            emu.reset()
        play(emu, script)
        results.append({k: var(emu, k) for k in keep})
        if emu is not retro:
            emu.close()
    assert results[0] == results[1]


def test_player_sprite_matches_ram() -> None:
    """While idle in a room, OAM entries 0/1 sit exactly on the RAM cell (16 px cells)."""
    checked = 0
    with open_emulator(CART.rom_path, backend="pyboy") as emu:
        idle = 0

        def check(e: Emulator) -> None:
            nonlocal idle, checked
            if var(e, "game_mode") != 1 or var(e, "move_timer") != 0:
                idle = 0
                return
            idle += 1
            if idle < 5:  # the screen shows OAM written at the previous vblank
                return
            y, x = e.read(OAM, 2)
            assert x - 8 == var(e, "player_x") * maze.CELL_PIXELS == var(e, "pixel_x")
            assert y - 16 == var(e, "player_y") * maze.CELL_PIXELS == var(e, "pixel_y")
            y2, x2 = e.read(OAM + 4, 2)
            assert (y2, x2) == (y, x + 8)
            # the sprite's dark outline is on screen where the RAM says
            px, py = var(e, "pixel_x"), var(e, "pixel_y")
            cell = e.screen()[py : py + 16, px : px + 16].astype(int).sum(axis=2)
            assert (cell < 100).sum() > 20
            checked += 1

        play(emu, load_script(CART.solver_path), on_frame=check)
    assert checked >= 10


def test_same_inputs_give_the_same_ram_after_10000_frames() -> None:
    rng = np.random.default_rng(7)
    choices = [Buttons.NONE, Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT,
               Buttons.START, Buttons.A]
    holds = [(choices[int(rng.integers(len(choices)))], int(rng.integers(1, 40)))
             for _ in range(600)]
    digests = []
    with open_emulator(CART.rom_path, backend="pyboy") as emu:
        emu.step(Buttons.NONE, 100)
        start = emu.save_state()
        for _ in range(2):
            emu.load_state(start)
            done = 0
            for b, n in holds:
                n = min(n, 10_000 - done)
                if n <= 0:
                    break
                emu.step(b, n)
                done += n
            assert done == 10_000
            digests.append(hashlib.sha256(emu.read(0xC000, 0x2000)).hexdigest())
    assert digests[0] == digests[1]
