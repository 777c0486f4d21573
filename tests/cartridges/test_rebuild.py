"""Every bundled ROM is exactly what its source builds to, and builds are reproducible."""

from __future__ import annotations

import pytest

from eevee.cartridges import list_cartridges
from eevee.cartridges.build import build
from eevee.cartridges.toolchain import missing_packages

CARTS = list_cartridges()


def test_three_cartridges_are_bundled() -> None:
    names = {c.name for c in CARTS}
    assert {"quest", "dodge", "maze"} <= names
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
        import json

        assert json.loads(cart.truth_path.read_text()) == json.loads(
            json.dumps(first.truth, sort_keys=True)
        ), f"{cart.name}: truth.json is stale"


def test_profiles_match_bundled_roms() -> None:
    import hashlib

    from eevee.profiles import load_profile

    for cart in CARTS:
        profile = load_profile(cart.profile_path)
        assert profile.sha1 == hashlib.sha1(cart.rom_path.read_bytes()).hexdigest(), cart.name
        assert profile.platform == cart.platform


def test_profile_ram_maps_are_what_the_generators_emit() -> None:
    """The RAM map and milestones in each profile.json are exactly what the cartridge's
    generator derives from its C state struct; only hand-written hints may be added."""
    import hashlib
    import json

    from eevee.cartridges.gen import dodge, maze, quest

    emitters = {
        "quest": lambda rom: quest.profile(hashlib.sha1(rom).hexdigest()),
        "maze": maze.profile,
        "dodge": dodge.profile,
    }
    for name, emit in emitters.items():
        cart = next(c for c in CARTS if c.name == name)
        generated = emit(cart.rom_path.read_bytes())
        on_disk = json.loads(cart.profile_path.read_text(encoding="utf-8"))
        for key in generated:
            if key == "hints":
                for hint, value in generated["hints"].items():
                    assert on_disk["hints"].get(hint) == value, f"{name}: hint {hint} is stale"
            else:
                assert on_disk[key] == generated[key], f"{name}: {key} differs from the generator"
