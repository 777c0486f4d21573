"""The quest cartridge: boots to its title, the solver finishes it, RAM agrees with the
screen, and it is deterministic. One stable-retro emulator (in a child process) is
shared by the module; each test starts from the power-on state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from eevee.cartridges.gen import quest
from eevee.cartridges.gen.gba_assets import parse_art
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


# ---- Far Fields: the large optional area east of the Shrine Path ----

MOVES = {Buttons.RIGHT: (1, 0), Buttons.LEFT: (-1, 0), Buttons.DOWN: (0, 1), Buttons.UP: (0, -1)}


def _truth() -> dict[str, Any]:
    return dict(json.loads(CART.truth_path.read_text(encoding="utf-8")))


def _area(truth: dict[str, Any], key: str) -> dict[str, Any]:
    return dict(next(a for a in truth["areas"] if a["key"] == key))


def test_far_fields_is_a_large_optional_area_off_the_shrine_path() -> None:
    truth = _truth()
    fields, path = _area(truth, "FIELDS"), _area(truth, "SHRINE_PATH")
    assert len(fields["reachable"]) >= 1800
    assert fields["width"] > 32 and fields["height"] > 32  # larger than the BG map: streamed
    ways_in = {w["from"]["area"] for w in truth["warps"] if w["to"]["area"] == fields["id"]}
    assert ways_in == {path["id"]}, "only the Shrine Path (behind the gate) leads there"
    assert any(w["from"]["area"] == fields["id"] and w["to"]["area"] == path["id"]
               for w in truth["warps"])
    assert sum(1 for row in fields["grid"] for ch in row if truth["legend"][ch]["grass"]) < 80
    assert load_profile(CART.profile_path).hints["areas"][fields["id"]] == "Far Fields"
    map_hints = truth["map_hints"]  # walkthrough data: truth.json, never the profile
    assert map_hints["area_sizes"][fields["id"]] == [fields["width"], fields["height"]]
    assert map_hints["npc_counts"][fields["id"]] == len(fields["npcs"])


def _expected_entries(truth: dict[str, Any]) -> dict[str, int]:
    """Map character -> BG1 screen entry of its metatile's top-left tile (as the generator
    lays out charblock 1: metatile i at tiles 4(i+1).., palette bank by art palette)."""
    text = (CART.source_dir / "assets" / "tiles.txt").read_text(encoding="utf-8")
    arts = parse_art(text, "tiles.txt")
    index = {a.name: i for i, a in enumerate(arts)}
    bank = {a.name: quest.BG_PALETTES.index(a.palette) for a in arts}
    out = {}
    for ch, e in truth["legend"].items():
        name = e["metatile"]
        out[ch] = ((index[name] + 1) * 4) | (bank[name] << 12)
    return out


def _check_map_on_screen(emu: Emulator, area: dict[str, Any], want: dict[str, int]) -> int:
    """Every cell on screen is drawn in BG1 (screenblocks 24-27, 64x64 tiles, wrapping
    every 32 cells) with its own metatile. Returns the number of cells checked."""
    vram = np.frombuffer(emu.read_region("vram"), dtype="<u2")
    io = np.frombuffer(emu.read_region("io")[:0x20], dtype="<u2")
    cx, cy = var(emu, "camera_x"), var(emu, "camera_y")
    assert (int(io[0x14 // 2]) & 0x1FF, int(io[0x16 // 2]) & 0x1FF) == (cx & 0x1FF, cy & 0x1FF)
    n = 0
    for y in range(max(0, cy // 16), min(area["height"], (cy + 159) // 16 + 1)):
        for x in range(max(0, cx // 16), min(area["width"], (cx + 239) // 16 + 1)):
            tx, ty = (2 * x) & 63, (2 * y) & 63
            entry = int(vram[0x6000 + ((ty >> 5) * 2 + (tx >> 5)) * 1024 + (ty & 31) * 32
                             + (tx & 31)])
            ch = area["grid"][y][x]
            assert entry == want[ch], f"cell {x},{y} ({ch!r}) drawn as {entry:#06x}"
            n += 1
    return n


def _settle(emu: Emulator) -> None:
    for _ in range(300):
        mode = var(emu, "game_mode")
        if mode == 1 and var(emu, "moving") == 0:
            return
        emu.step(Buttons.A if mode in (2, 4) and emu.frame % 2 else Buttons.NONE, 1)
    raise AssertionError("the game did not return to walking")


def _walk_to(emu: Emulator, truth: dict[str, Any], goal: tuple[int, int],
             each_step: Any = None) -> None:
    """Walk to ``goal`` in the current area along a shortest path over the truth grid that
    keeps off warps (but the goal), tall grass, thorns and the NPCs' wander boxes."""
    area = truth["areas"][var(emu, "area")]
    avoid = {(w["from"]["x"], w["from"]["y"]) for w in truth["warps"]
             if w["from"]["area"] == area["id"]}
    for n in area["npcs"]:
        r = n["wander"]
        avoid |= {(n["x"] + dx, n["y"] + dy) for dx in range(-r, r + 1) for dy in range(-r, r + 1)}
    legend = truth["legend"]
    open_ = {(x, y) for x, y in area["reachable"]
             if not (legend[area["grid"][y][x]]["grass"] or legend[area["grid"][y][x]]["hazard"])}
    open_ = (open_ - avoid) | {goal}
    start = (var(emu, "player_x"), var(emu, "player_y"))
    prev: dict[tuple[int, int], tuple[tuple[int, int], Buttons]] = {}
    todo, seen = [start], {start}
    while todo:
        cur = todo.pop(0)
        for b, (dx, dy) in MOVES.items():
            nxt = (cur[0] + dx, cur[1] + dy)
            if nxt in open_ and nxt not in seen:
                seen.add(nxt)
                prev[nxt] = (cur, b)
                todo.append(nxt)
    assert goal in seen, f"no path to {goal}"
    steps: list[Buttons] = []
    cell = goal
    while cell != start:
        cell, b = prev[cell]
        steps.append(b)
    for b in reversed(steps):
        _settle(emu)
        emu.step(b, quest.STEP_FRAMES)
        _settle(emu)
        emu.step(Buttons.NONE, 2)  # OAM and scroll are copied at the next vblank
        if each_step is not None and var(emu, "area") == area["id"]:
            each_step()
    assert (var(emu, "player_x"), var(emu, "player_y")) == goal or var(emu, "area") != area["id"]


def test_far_fields_reached_by_walking_and_its_map_streams(emu: Emulator) -> None:
    truth = _truth()
    fields, path = _area(truth, "FIELDS"), _area(truth, "SHRINE_PATH")
    into = next(w for w in truth["warps"]
                if w["from"]["area"] == path["id"] and w["to"]["area"] == fields["id"])
    back = next(w for w in truth["warps"]
                if w["from"]["area"] == fields["id"] and w["to"]["area"] == path["id"])
    visited: set[int] = set()
    play(emu, load_script(CART.solver_path), on_frame=lambda e: visited.add(var(e, "area")))
    assert fields["id"] not in visited, "the main quest route must not pass the fields"
    _settle(emu)  # in the Moon Shrine, the quest complete
    here = var(emu, "area")
    shrine_exit = next(w for w in truth["warps"] if w["from"]["area"] == here)
    _walk_to(emu, truth, (shrine_exit["from"]["x"], shrine_exit["from"]["y"]))
    assert var(emu, "area") == path["id"]
    _walk_to(emu, truth, (into["from"]["x"], into["from"]["y"]))
    _settle(emu)
    assert var(emu, "area") == fields["id"]
    assert (var(emu, "player_x"), var(emu, "player_y")) == (into["to"]["x"], into["to"]["y"])
    want = _expected_entries(truth)
    emu.step(Buttons.NONE, 2)
    cams: set[tuple[int, int]] = set()

    def check() -> None:
        _check_map_on_screen(emu, fields, want)
        cams.add((var(emu, "camera_x"), var(emu, "camera_y")))

    check()
    # to the far south-east corner, up to the north-east, and back to the entrance: the
    # camera scrolls every way and the streamed map must always show the right cells
    cells = [tuple(c) for c in fields["reachable"]]
    south_east = max(cells, key=lambda c: c[0] + c[1])
    north_east = max(cells, key=lambda c: c[0] - c[1])
    for goal in (south_east, north_east, (into["to"]["x"], into["to"]["y"])):
        _walk_to(emu, truth, goal, check)
    xs, ys = {c[0] for c in cams}, {c[1] for c in cams}
    assert min(xs) == 0 and max(xs) == fields["width"] * 16 - 240
    assert min(ys) == 0 and max(ys) == fields["height"] * 16 - 160
    _walk_to(emu, truth, (back["from"]["x"], back["from"]["y"]))
    _settle(emu)
    assert var(emu, "area") == path["id"]
    assert (var(emu, "player_x"), var(emu, "player_y")) == (back["to"]["x"], back["to"]["y"])
