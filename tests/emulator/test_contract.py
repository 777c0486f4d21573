"""The emulator contract: one set of tests run on every backend that works here.

Backends: retro (mGBA / gambatte, in process and in a subprocess), PyBoy, and the SkyEmu
and mGBA-http clients. SkyEmu: against the real SkyEmu's recorded answers
(``skyemu-recorded``: transcripts recorded from SkyEmu built from its source, replayed
strictly), against the real program when ``$EEVEE_SKYEMU`` names it (``skyemu-real``),
and against a stand-in (``skyemu``) that also speaks v3's status. mGBA-http: against a
stand-in (``eevee.emulator.testing.servers``) with a real emulator behind it. mGBA-http
runs in real time and cannot step, so exact-frame and exact-replay checks become "at
least" / "went back" checks there.

Each game's RAM map comes from its cartridge profile (``data/<name>/profile.json``).
"""

from __future__ import annotations

import numpy as np
import pytest

from eevee.emulator import Buttons, Emulator
from eevee.errors import EmulatorError, UnsupportedOperationError
from emulator.games import CASES, Game

WARMUP = 240  # frames: PyBoy's boot ROM and the games' own start-up

Case = tuple[Game, Emulator]


def start_play(game: Game, emu: Emulator) -> None:
    """From power-on into play: warm up, and press START when the game has a title."""
    emu.step(Buttons.NONE, WARMUP)
    if "game_mode" in game.variables:
        emu.step(Buttons.START, 6)
        emu.step(Buttons.NONE, 60)


def snapshot(game: Game, emu: Emulator) -> bytes:
    """Work RAM to compare runs: whole regions in process, the profile's span over HTTP."""
    if emu.backend in ("retro", "pyboy", "retro@subprocess"):
        names = ("ewram", "iwram") if emu.platform.name == "gba" else ("wram",)
        return b"".join(emu.read_region(n) for n in names)
    addresses = [addr for addr, _ in game.variables.values()]
    low = min(addresses)
    high = max(addresses) + 8
    return emu.read(low, high - low)


SCRIPT = [
    (Buttons.RIGHT, 45), (Buttons.NONE, 15), (Buttons.DOWN, 40), (Buttons.A, 5),
    (Buttons.NONE, 35), (Buttons.LEFT, 60), (Buttons.UP | Buttons.B, 50), (Buttons.NONE, 50),
    (Buttons.RIGHT, 100), (Buttons.START, 3), (Buttons.NONE, 30), (Buttons.DOWN, 90),
    (Buttons.A, 4), (Buttons.NONE, 73),
]
assert sum(frames for _, frames in SCRIPT) == 600


def play(emu: Emulator) -> None:
    for buttons, frames in SCRIPT:
        emu.step(buttons, frames)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_platform_and_screen(case: Case) -> None:
    game, emu = case
    assert emu.platform.name == game.platform
    assert emu.platform.fps == pytest.approx(59.7275)
    start_play(game, emu)
    emu.step(Buttons.NONE, 2)
    screen = emu.screen()
    assert screen.shape == (emu.platform.height, emu.platform.width, 3)
    assert screen.dtype == np.uint8
    colours = np.unique(screen.reshape(-1, 3), axis=0)
    assert len(colours) >= 2, "the screen is blank (one colour)"


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_step_advances_frame_counter(case: Case) -> None:
    game, emu = case
    emu.step(Buttons.NONE, WARMUP)
    assert emu.frame >= WARMUP
    for n in (1, 2, 7, 30):
        before_frame = emu.frame
        before = game.var(emu, "frame_counter")
        emu.step(Buttons.NONE, n)
        delta = game.frame_delta(before, game.var(emu, "frame_counter"))
        if emu.realtime_only:
            assert delta >= n
            assert emu.frame - before_frame >= n
        else:
            assert delta == n
            assert emu.frame - before_frame == n
    with pytest.raises(ValueError, match="at least 1"):
        emu.step(Buttons.NONE, 0)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_input_takes_effect(case: Case) -> None:
    game, emu = case
    emu.step(Buttons.NONE, WARMUP)
    if "game_mode" in game.variables:
        assert game.var(emu, "game_mode") == 0, "expected the title (game_mode 0) after boot"
        emu.step(Buttons.START, 6)
        emu.step(Buttons.NONE, 60)
        assert game.var(emu, "game_mode") != 0, "START on the title did not change game_mode"
    names = [n for n in ("player_x", "player_y") if n in game.variables]
    assert names, "the profile has no player_x/player_y"

    def position() -> tuple[int, ...]:
        return tuple(game.var(emu, n) for n in names)

    # Judged on the position read after each direction, never on a fresh read at the end:
    # in real time a step can still be under way when it is read, and maze's second step
    # right leads into water, which puts the player back on the start cell.
    start = now = position()
    for direction in (Buttons.RIGHT, Buttons.LEFT, Buttons.DOWN, Buttons.UP):
        for _ in range(4):
            emu.step(direction, 10)
            emu.step(Buttons.NONE, 6)
        now = position()
        if now != start:
            break
    assert now != start, f"holding each direction never moved the player from {start}"


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_memory_matches_profile(case: Case) -> None:
    game, emu = case
    start_play(game, emu)
    for name, (address, type_code) in game.variables.items():
        value = emu.read_value(address, type_code)
        info = np.iinfo(np.dtype(type_code))
        assert info.min <= value <= info.max, name
        if emu.realtime_only:
            continue  # the game runs on between two reads
        raw = emu.read(address, np.dtype(type_code).itemsize)
        assert int.from_bytes(raw, "little" if type_code[0] != ">" else "big",
                              signed=type_code[1] == "i") == value
    assert game.var(emu, "frame_counter") != 0, "frame_counter never counted"
    if "magic" in game.variables:
        assert game.var(emu, "magic") == 0xEEFEE123
    # whole regions (small ones only over HTTP), or a clear refusal
    limit = None if emu.backend in ("retro", "pyboy", "retro@subprocess") else 1024
    for region in emu.platform.regions.values():
        if emu.readable_regions is not None and region.name not in emu.readable_regions:
            with pytest.raises(UnsupportedOperationError, match=region.name):
                emu.read_region(region.name)
            continue
        if limit is None or region.size <= limit:
            assert len(emu.read_region(region.name)) == region.size
    # write then read back (then restore) a player variable
    name = "player_x" if "player_x" in game.variables else "frame_counter"
    address, type_code = game.variables[name]
    old = emu.read_value(address, type_code)
    emu.write_value(address, type_code, old ^ 1)
    assert emu.read_value(address, type_code) == old ^ 1
    emu.write_value(address, type_code, old)
    assert emu.read_value(address, type_code) == old
    with pytest.raises(EmulatorError, match="outside the readable memory"):
        emu.read(0x10000000 if emu.platform.name == "gba" else 0x0000, 4)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_save_and_load_state_restore_exactly(case: Case) -> None:
    game, emu = case
    start_play(game, emu)
    saved = game.var(emu, "frame_counter")
    state = emu.save_state()
    assert isinstance(state, bytes) and state
    if emu.realtime_only:
        emu.step(Buttons.NONE, 120)
        assert game.frame_delta(saved, game.var(emu, "frame_counter")) >= 120
        emu.load_state(state)
        went_on = game.frame_delta(saved, game.var(emu, "frame_counter"))
        assert went_on < 100, "load_state did not go back to the saved frame"
        return
    # (each replay starts with a frame of no buttons: SkyEmu runs the first frame after a
    # load with every button released, whatever is held — see eevee.emulator.skyemu)
    emu.step(Buttons.NONE, 1)
    play(emu)
    ram, screen = snapshot(game, emu), emu.screen().copy()
    counter = game.var(emu, "frame_counter")
    emu.load_state(state)
    emu.step(Buttons.NONE, 1)
    play(emu)
    assert game.var(emu, "frame_counter") == counter
    assert snapshot(game, emu) == ram
    assert np.array_equal(emu.screen(), screen)
    with pytest.raises(EmulatorError):
        emu.load_state(b"")


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_reset_returns_to_power_on(case: Case) -> None:
    game, emu = case
    if emu.realtime_only:
        emu.step(Buttons.NONE, 200)
        before = game.var(emu, "frame_counter")
        emu.reset()
        assert game.var(emu, "frame_counter") < before
        assert emu.frame == 0
        return
    emu.step(Buttons.NONE, WARMUP)
    ram, screen = snapshot(game, emu), emu.screen().copy()
    emu.step(Buttons.START, 5)
    emu.step(Buttons.RIGHT | Buttons.A, 100)
    emu.reset()
    assert emu.frame == 0
    emu.step(Buttons.NONE, WARMUP)
    assert snapshot(game, emu) == ram
    assert np.array_equal(emu.screen(), screen)


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_close_is_final(case: Case) -> None:
    _, emu = case
    emu.step(Buttons.NONE, 1)
    emu.close()
    emu.close()  # twice is fine
    with pytest.raises(EmulatorError, match="closed"):
        emu.step(Buttons.NONE, 1)
