"""Every bundled ROM is exactly what its source builds to, and builds are reproducible."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from eevee.cartridges import list_cartridges
from eevee.cartridges.build import build
from eevee.cartridges.toolchain import missing_packages

CARTS = list_cartridges()


def test_the_cartridges_are_bundled() -> None:
    names = {c.name for c in CARTS}
    assert {"quest", "dodge", "maze", "grove", "keep"} <= names
    for cart in CARTS:
        assert cart.built, f"{cart.name}: ROM missing at {cart.rom_path}"


@pytest.mark.toolchain
@pytest.mark.parametrize("cart", CARTS, ids=lambda c: c.name)
def test_rebuild_is_byte_identical_to_bundled_rom(cart) -> None:  # type: ignore[no-untyped-def]
    missing = missing_packages(cart.platform)
    if missing:
        pytest.skip(f"needs Debian packages {' '.join(missing)}")
    first = build(cart)
    second = build(cart)
    assert first.rom == second.rom, "two builds of the same source differ"
    assert first.rom == cart.rom_path.read_bytes(), (
        f"{cart.name}: source and bundled ROM disagree; run `eevee cartridges build {cart.name}`"
    )
    if first.truth is not None:
        assert json.loads(cart.truth_path.read_text()) == json.loads(
            json.dumps(first.truth, sort_keys=True)
        ), f"{cart.name}: truth.json is stale"


def test_profiles_match_bundled_roms() -> None:
    from eevee.profiles import load_profile

    for cart in CARTS:
        profile = load_profile(cart.profile_path)
        assert profile.sha1 == hashlib.sha1(cart.rom_path.read_bytes()).hexdigest(), cart.name
        assert profile.platform == cart.platform


def _generated_profiles() -> dict[str, dict[str, Any]]:
    from eevee.cartridges.gen import dodge, grove, keep, maze, quest

    roms = {c.name: c.rom_path.read_bytes() for c in CARTS}
    return {
        "quest": quest.profile(hashlib.sha1(roms["quest"]).hexdigest()),
        "maze": maze.profile(roms["maze"]),
        "dodge": dodge.profile(roms["dodge"]),
        "grove": grove.profile(roms["grove"]),
        "keep": keep.profile(hashlib.sha1(roms["keep"]).hexdigest()),
    }


def test_profiles_are_exactly_what_the_generators_emit() -> None:
    """Each profile.json (RAM map, milestones and every hint) is exactly what the
    cartridge's generator emits: the generators are the one source of the files."""
    for name, generated in _generated_profiles().items():
        cart = next(c for c in CARTS if c.name == name)
        on_disk = json.loads(cart.profile_path.read_text(encoding="utf-8"))
        for key in generated:
            if key == "hints":
                for hint, value in generated["hints"].items():
                    assert on_disk["hints"].get(hint) == value, f"{name}: hint {hint} is stale"
            else:
                assert on_disk[key] == generated[key], f"{name}: {key} differs from the generator"
        extra = sorted(set(on_disk["hints"]) - set(generated["hints"]))
        assert not extra, f"{name}: hints {extra} are not in gen/{name}.py; add them there"
        text = cart.profile_path.read_text(encoding="utf-8")
        assert text == json.dumps(generated, indent=1) + "\n", f"{name}: profile.json layout"


def test_walkthroughs_are_in_solver_and_truth_files_as_the_generators_emit() -> None:
    """Quest steps and the healer are in solver.json (walkthrough), doors, area sizes and
    NPC counts in truth.json (map_hints); none of them is in a profile."""
    from eevee.cartridges.gen import maze, maze_solver, quest, quest_solver
    from eevee.cartridges.solver import walkthrough

    carts = {c.name: c for c in CARTS}
    truth = {n: json.loads(carts[n].truth_path.read_text(encoding="utf-8")) for n in carts}
    maps = (carts["quest"].source_dir / "assets" / "maps.txt").read_text(encoding="utf-8")
    assert truth["quest"]["map_hints"] == quest.map_hints(quest.parse_maps(maps))
    assert truth["maze"]["map_hints"] == maze.map_hints(maze.load(carts["maze"].source_dir)[2])
    solver = json.loads(carts["quest"].solver_path.read_text(encoding="utf-8"))
    assert solver["walkthrough"] == quest_solver.walkthrough(), "quest: solver.json is stale"
    script = maze_solver.solve(truth["maze"])
    assert carts["maze"].solver_path.read_text(encoding="utf-8") == script.to_json(
        maze_solver.walkthrough(truth["maze"])
    ), "maze: solver.json is stale; run python -m eevee.cartridges.gen.maze"
    assert set(walkthrough(carts["quest"])) == {
        "quest_steps", "healer_target", "doors", "area_sizes", "npc_counts"}
    assert set(walkthrough(carts["maze"])) == {"quest_steps", "doors", "area_sizes"}
    assert walkthrough(carts["dodge"]) == {}


def test_the_new_cartridges_walkthroughs_are_as_their_generators_emit() -> None:
    """grove and keep: map hints in truth.json, the walkthrough and script in
    solver.json, as their generators and solvers emit them."""
    from eevee.cartridges.gen import grove, grove_solver, keep, keep_maps, keep_solver
    from eevee.cartridges.solver import walkthrough

    carts = {c.name: c for c in CARTS}
    truth = {n: json.loads(carts[n].truth_path.read_text(encoding="utf-8"))
             for n in ("grove", "keep")}
    assert truth["grove"]["map_hints"] == grove.map_hints(
        grove.load(carts["grove"].source_dir)[2])
    script = grove_solver.solve(truth["grove"])
    assert carts["grove"].solver_path.read_text(encoding="utf-8") == script.to_json(
        grove_solver.walkthrough(truth["grove"])), "grove: solver.json is stale"
    maps = (carts["keep"].source_dir / "assets" / "maps.txt").read_text(encoding="utf-8")
    assert truth["keep"]["map_hints"] == keep.map_hints(
        keep_maps.parse_maps(maps)[1], truth["keep"]["warps"])
    assert json.loads(carts["keep"].solver_path.read_text(encoding="utf-8"))["walkthrough"] \
        == keep_solver.walkthrough(truth["keep"]), "keep: solver.json is stale"
    assert set(walkthrough(carts["grove"])) == {"quest_steps", "doors", "area_sizes",
                                                "npc_counts"}
    assert set(walkthrough(carts["keep"])) == {"quest_steps", "doors", "area_sizes"}


def test_write_profile_keeps_hand_written_hints_and_rejects_walkthrough_keys(
    tmp_path: Path,
) -> None:
    from eevee.cartridges.build import write_profile
    from eevee.errors import ProfileError
    from eevee.profiles import load_profile

    generated = _generated_profiles()["maze"]
    cart = SimpleNamespace(profile_path=tmp_path / "profile.json")
    old = json.loads(json.dumps(generated))
    old["hints"].update(screen_kinds={"6": "end"}, rooms=99)
    cart.profile_path.write_text(json.dumps(old), encoding="utf-8")
    write_profile(cart, generated)  # type: ignore[arg-type]
    hints = load_profile(cart.profile_path).hints
    assert hints["screen_kinds"] == {"6": "end"}  # added by hand: kept
    assert hints["rooms"] == 5  # the generator's value wins
    assert list(hints)[: len(generated["hints"])] == list(generated["hints"])
    old["hints"]["doors"] = []
    cart.profile_path.write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(ProfileError, match=r"hints\.doors: .*truth\.json"):
        write_profile(cart, generated)  # type: ignore[arg-type]
    assert json.loads(cart.profile_path.read_text(encoding="utf-8")) == old  # not written
