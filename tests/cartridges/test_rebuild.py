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
