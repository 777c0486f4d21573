"""The Game Boy build (sdcc -msm83): reproducible, equal to the bundled ROM, valid header."""

from __future__ import annotations

import pytest

from eevee.cartridges.build import build
from eevee.cartridges.header import gb_global_checksum, gb_header_checksum
from eevee.cartridges.registry import get
from eevee.cartridges.toolchain import missing_packages

CART = get("maze")


@pytest.mark.toolchain
def test_two_builds_are_identical_and_equal_the_bundled_rom() -> None:
    missing = missing_packages("gb")
    if missing:
        pytest.skip(f"the GB toolchain is missing: apt-get install {' '.join(missing)}")
    first = build(CART)
    second = build(CART)
    assert first.rom == second.rom, "two builds of the same source differ"
    assert CART.built, "roms/maze.gb is missing"
    assert first.rom == CART.rom_path.read_bytes(), (
        "roms/maze.gb is stale: rebuild with python -m eevee.cartridges.gen.maze"
    )
    assert first.truth is not None and first.truth["cartridge"] == "maze"


def test_bundled_rom_header_is_valid() -> None:
    rom = CART.rom_path.read_bytes()
    assert len(rom) == 32 * 1024
    assert rom[0x100:0x104] == b"\x00\xc3\x50\x01"  # nop; jp 0x0150
    assert rom[0x134:0x13E] == b"EEVEE MAZE"
    assert rom[0x147] == 0 and rom[0x148] == 0  # ROM only, 32 KiB
    assert rom[0x14D] == gb_header_checksum(rom)
    assert int.from_bytes(rom[0x14E:0x150], "big") == gb_global_checksum(rom)
    assert rom[0x40] == 0xC3, "vblank vector jumps to the handler"
