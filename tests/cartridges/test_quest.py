"""The quest cartridge: boots to its title, the solver finishes it, RAM agrees with the
screen, and it is deterministic. One stable-retro emulator (in a child process) is
shared by the module; each test starts from the power-on state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import numpy as np
import pytest

from eevee.cartridges.gen import quest
from eevee.cartridges.registry import get
from eevee.cartridges.solver import load_script, play
from eevee.emulator import Buttons, Emulator, open_emulator
from eevee.profiles import VariableReader, load_profile

CART = get("quest")
EWRAM = 0x02000000
OAM = 0x07000000
TYPES = {name: rtype for name, _, rtype, _ in quest.VARIABLES}
OFFSETS = quest.variable_offsets()
HERO_CAP = (224, 56, 56)  # hero palette "r" (e03838) as the emulator renders it

pytestmark = pytest.mark.skipif(not CART.built, reason="quest ROM not built")


@pytest.fixture(scope="module")
def emu_and_boot() -> Iterator[tuple[Emulator, bytes]]:
    emu = open_emulator(CART.rom_path, backend="retro", subprocess=True)
    try:
        yield emu, emu.save_state()
    finally:
        emu.close()


@pytest.fixture
def emu(emu_and_boot: tuple[Emulator, bytes]) -> Emulator:
    em, boot = emu_and_boot
    em.load_state(boot)
    return em


def var(emu: Emulator, name: str) -> int:
    return emu.read_value(EWRAM + OFFSETS[name], TYPES[name])


def start_game(emu: Emulator) -> None:
    for _ in range(120):
        emu.step(Buttons.NONE, 1)
        if var(emu, "frame_counter") >= 1:
            break
    emu.step(Buttons.START, 1)
    for _ in range(60):
        emu.step(Buttons.NONE, 1)
        if var(emu, "game_mode") == 1:
            return
    raise AssertionError("START did not enter the overworld")


def test_profile_matches_generator() -> None:
    profile = load_profile(CART.profile_path)
    assert profile.sha1 == hashlib.sha1(CART.rom_path.read_bytes()).hexdigest()
    required = {"game_mode", "frame_counter", "area", "player_x", "player_y", "facing", "hp",
                "max_hp", "inventory", "quest_flags", "quest_step", "battle", "enemy_hp",
                "dialogue_open", "menu_open", "camera_x", "camera_y", "rng_state", "deaths",
                "steps_taken"}
    assert required <= set(profile.variables)
    names = {m.name for m in profile.milestones}
    assert {"talked_to_elder", "quest_complete", "side_complete"} <= names
    truth = json.loads(CART.truth_path.read_text(encoding="utf-8"))
    assert len(truth["areas"]) >= 6
    forest = next(a for a in truth["areas"] if a["key"] == "FOREST")
    assert forest["width"] > 15 and forest["height"] > 10  # larger than the screen
    for w in truth["warps"]:
        to = truth["areas"][w["to"]["area"]]
        assert [w["to"]["x"], w["to"]["y"]] in to["reachable"], w


def test_boots_to_title_then_start_enters_overworld(emu: Emulator) -> None:
    for frame in range(1, 120):  # noqa: B007 - checked after the loop
        emu.step(Buttons.NONE, 1)
        if var(emu, "frame_counter") >= 1 and var(emu, "game_mode") == 0:
            break
    else:
        raise AssertionError("no title within 120 frames")
    assert frame < 120
    emu.step(Buttons.NONE, 30)
    assert var(emu, "game_mode") == 0, "the title must wait for START"
    assert emu.screen().std() > 10, "title screen is blank"
    emu.step(Buttons.START, 1)
    for _ in range(60):
        emu.step(Buttons.NONE, 1)
        if var(emu, "game_mode") == 1:
            break
    assert var(emu, "game_mode") == 1
    assert var(emu, "hp") == var(emu, "max_hp") == 20


def test_solver_completes_the_main_quest(emu: Emulator) -> None:
    script = load_script(CART.solver_path)
    play(emu, script)
    profile = load_profile(CART.profile_path)
    values = VariableReader(profile).read(emu)
    reached = {m.name for m in profile.milestones if m.reached(values)}
    main = [m.name for m in profile.milestones if m.quest == "main"]
    assert set(main) <= reached, f"missing {set(main) - reached}"
    assert "quest_complete" in reached
    assert var(emu, "quest_step") == len(quest.MAIN_QUEST)


def _step_and_settle(emu: Emulator, button: Buttons) -> None:
    emu.step(button, quest.STEP_FRAMES)
    emu.step(Buttons.NONE, 2)  # OAM and scroll are copied at the next vblank


def test_player_sprite_matches_ram_while_forest_scrolls(emu: Emulator) -> None:
    start_game(emu)
    # town (11,8) -> east exit (23,7) along row 7, then into the forest
    _step_and_settle(emu, Buttons.UP)
    for _ in range(12):
        _step_and_settle(emu, Buttons.RIGHT)
    for _ in range(40):
        emu.step(Buttons.NONE, 1)
        if var(emu, "game_mode") == 1 and var(emu, "area") == 3:
            break
    assert var(emu, "area") == 3
    emu.step(Buttons.NONE, 4)
    cams = set()
    for _ in range(17):  # east along the forest path (row 12): the camera scrolls
        _step_and_settle(emu, Buttons.RIGHT)
        assert var(emu, "moving") == 0 and var(emu, "game_mode") == 1
        attr0 = emu.read_u16(OAM)
        attr1 = emu.read_u16(OAM + 2)
        oam_y = attr0 & 0xFF
        oam_x = attr1 & 0x1FF
        cx, cy = var(emu, "camera_x"), var(emu, "camera_y")
        cams.add(cx)
        assert oam_x == (var(emu, "player_x") * 16 - cx) & 0x1FF
        assert oam_y == (var(emu, "player_y") * 16 - cy) & 0xFF
        box = emu.screen()[oam_y : oam_y + 8, oam_x : oam_x + 16]
        assert (box == np.array(HERO_CAP, dtype=box.dtype)).all(axis=-1).any(), (
            "the hero's cap is not on screen where RAM says the player is"
        )
    assert len(cams) > 5, "the forest did not scroll"


def _run_inputs(emu: Emulator, seed: int) -> bytes:
    start_game(emu)
    x = seed
    choices = [Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT, Buttons.A,
               Buttons.NONE, Buttons.RIGHT, Buttons.DOWN]
    frames = 0
    while frames < 10_000:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        button = choices[(x >> 16) % len(choices)]
        n = 4 + (x >> 8) % 20
        emu.step(button, n)
        frames += n
    return emu.read_region("ewram") + emu.read_region("iwram")


def test_same_inputs_same_ram_after_10000_frames(emu_and_boot: tuple[Emulator, bytes]) -> None:
    em, boot = emu_and_boot
    em.load_state(boot)
    first = hashlib.sha256(_run_inputs(em, 7)).hexdigest()
    steps = var(em, "steps_taken")
    em.load_state(boot)
    second = hashlib.sha256(_run_inputs(em, 7)).hexdigest()
    assert first == second
    assert steps > 10, "the random walk should have moved the player"
