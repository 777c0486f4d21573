"""The dodge cartridge (GBA): boots to its title, the scripted solver survives, the score
in RAM is the number of frames survived, hazards in RAM are what the screen shows,
reacting every frame is worth far more than deciding every 30th, and the game is
deterministic. One stable-retro emulator (in a child process) serves the module."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from eevee.cartridges.gen import dodge
from eevee.cartridges.gen.dodge_solver import read_view
from eevee.cartridges.registry import get
from eevee.cartridges.solver import InputScript, load_script, play
from eevee.emulator import Buttons, Emulator, open_emulator
from eevee.profiles import load_profile

CART = get("dodge")
OAM = 0x07000000
ADDR = {name: addr for name, _t, _d, addr in dodge.state_layout()}
TYPES = {name: typ for name, typ, _d, _a in dodge.state_layout()}
STATE_SIZE = ADDR["hazards"] - dodge.STATE_ADDRESS + dodge.MAX_HAZARDS * dodge.HAZARD_STRIDE
SOLVER_MIN_FRAMES = 30_000

pytestmark = pytest.mark.skipif(not CART.built, reason="dodge ROM not built")


def var(emu: Emulator, name: str) -> int:
    return emu.read_value(ADDR[name], TYPES[name])


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    em = open_emulator(CART.rom_path, backend="retro", subprocess=True)
    try:
        yield em
    finally:
        em.close()


def test_profile_matches_the_rom() -> None:
    profile = load_profile(CART.profile_path)
    assert profile.sha1 == hashlib.sha1(CART.rom_path.read_bytes()).hexdigest()
    for name in ("game_mode", "frame_counter", "player_x", "player_y", "score", "best_score",
                 "rng_state", "hazards"):
        assert name in profile.variables
    hz = profile.hint("hazards")
    assert hz["count"] == dodge.MAX_HAZARDS and hz["stride"] == dodge.HAZARD_STRIDE
    assert int(hz["address"], 16) == ADDR["hazards"]
    assert profile.milestones[-1].name == "quest_complete"
    truth = json.loads(CART.truth_path.read_text(encoding="utf-8"))
    assert len(truth["levels"]) == len(dodge.LEVELS)


def test_boots_to_title_and_waits_for_start(emu: Emulator) -> None:
    emu.reset()
    for frame in range(1, 121):  # noqa: B007 - checked after the loop
        emu.step(Buttons.NONE, 1)
        if var(emu, "frame_counter") >= 1 and var(emu, "game_mode") == 0:
            break
    assert frame < 120, "no title within 120 frames"
    emu.step(Buttons.NONE, 60)
    assert var(emu, "game_mode") == 0
    assert emu.screen().std() > 10
    emu.step(Buttons.START, 1)
    assert var(emu, "game_mode") == 1 and var(emu, "score") == 0
    emu.step(Buttons.NONE, 10)
    assert var(emu, "score") == 10


def test_solver_survives_and_score_counts_frames(emu: Emulator) -> None:
    emu.reset()
    script = load_script(CART.solver_path)
    assert script.frames >= SOLVER_MIN_FRAMES
    # play the opening frame by frame to see when the run starts, then the rest at once
    started = None
    rest: list[tuple[Buttons, int]] = []
    frame = 0
    for buttons, n in script:
        if started is not None:
            rest.append((buttons, n))
            continue
        for i in range(n):
            emu.step(buttons, 1)
            frame += 1
            if started is None and var(emu, "game_mode") == 1:
                started = frame
                if n - i - 1:
                    rest.append((buttons, n - i - 1))
                break
    assert started is not None and started < 120
    play(emu, InputScript(cartridge="dodge", inputs=tuple(rest)))
    assert var(emu, "game_mode") == 1, "the solver was hit"
    survived = script.frames - started  # the START frame itself is not scored
    assert var(emu, "score") == survived >= SOLVER_MIN_FRAMES - 100
    assert var(emu, "best_score") == survived
    assert var(emu, "level") == len(dodge.LEVELS) - 1


def test_hazards_in_ram_are_on_screen(emu: Emulator) -> None:
    """OAM is written at the start of vblank from the previous frame's state, so the
    sprites after frame N show the RAM after frame N-1."""
    emu.reset()
    emu.step(Buttons.NONE, 30)
    emu.step(Buttons.START, 1)
    seen = 0
    prev: tuple[tuple[int, int], bytes] | None = None
    for f in range(400):
        emu.step(Buttons.LEFT if (f // 40) % 2 else Buttons.RIGHT, 1)
        if var(emu, "game_mode") != 1:
            break
        oam = np.frombuffer(emu.read(OAM, 17 * 8), dtype="<u2").reshape(17, 4)
        if prev is not None:
            (px, py), raw = prev
            assert oam[0, 1] & 0x1FF == px and oam[0, 0] & 0xFF == py
            for i in range(dodge.MAX_HAZARDS):
                rec = raw[i * dodge.HAZARD_STRIDE : (i + 1) * dodge.HAZARD_STRIDE]
                if rec[0] == 0:
                    assert oam[1 + i, 0] & 0x0200, "an empty slot must be hidden"
                    continue
                x = int.from_bytes(rec[2:4], "little", signed=True)
                y = int.from_bytes(rec[4:6], "little", signed=True)
                assert oam[1 + i, 1] & 0x1FF == x & 0x1FF and oam[1 + i, 0] & 0xFF == y & 0xFF
                seen += 1
        view = read_view(emu.read(dodge.STATE_ADDRESS, STATE_SIZE))
        prev = ((view.px, view.py),
                emu.read(ADDR["hazards"], dodge.MAX_HAZARDS * dodge.HAZARD_STRIDE))
    assert seen > 100


def test_same_inputs_give_the_same_ram_after_10000_frames(emu: Emulator) -> None:
    emu.reset()
    emu.step(Buttons.NONE, 40)
    start = emu.save_state()
    rng = np.random.default_rng(3)
    choices = [Buttons.NONE, Buttons.LEFT, Buttons.RIGHT, Buttons.UP, Buttons.DOWN,
               Buttons.START, Buttons.LEFT | Buttons.UP, Buttons.RIGHT | Buttons.DOWN]
    holds = [(choices[int(rng.integers(len(choices)))], 10) for _ in range(1000)]
    digests = []
    for _ in range(2):
        emu.load_state(start)
        play(emu, InputScript(cartridge="dodge", inputs=tuple(holds)))
        digests.append(hashlib.sha256(emu.read(dodge.STATE_ADDRESS, STATE_SIZE)).hexdigest())
        assert var(emu, "runs") > 1
    assert digests[0] == digests[1]


@pytest.mark.slow
def test_reacting_every_frame_beats_deciding_every_30th() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "eevee.cartridges.gen.dodge_solver", "compare", "3", "9000"],
        capture_output=True, text=True, check=True, timeout=120,
    )
    scores = json.loads(proc.stdout.strip().splitlines()[-1])
    fast, slow = np.mean(scores["1"]), np.mean(scores["30"])
    assert fast >= 3 * slow, scores
