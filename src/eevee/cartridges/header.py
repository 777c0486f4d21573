"""Cartridge headers: write them when building, parse them when validating.

GBA header (GBATEK): 0x00 ARM branch to the entry point, 0x04 logo (156 bytes),
0xA0 title (12), 0xAC game code (4), 0xB0 maker (2), 0xB2 fixed 0x96, 0xBD complement
check = -(sum of 0xA0..0xBC) - 0x19.  GB header (Pan Docs): 0x134 title, 0x147 cartridge
type, 0x148 ROM size, 0x14D header checksum, 0x14E global checksum (big endian).
"""

from __future__ import annotations

GBA_HEADER_SIZE = 0xC0
GB_HEADER_END = 0x150


def gba_complement(rom: bytes | bytearray) -> int:
    """The GBA header complement check byte for ``rom``."""
    return (-(sum(rom[0xA0:0xBD]) + 0x19)) & 0xFF


def write_gba_header(rom: bytearray, title: str, game_code: str, maker: str = "EV") -> None:
    """Fill in title, game code, maker, fixed byte and complement check in place."""
    if len(title) > 12 or len(game_code) != 4 or len(maker) != 2:
        raise ValueError("GBA title is at most 12 chars, game code 4, maker 2")
    rom[0xA0:0xAC] = title.upper().encode("ascii").ljust(12, b"\0")
    rom[0xAC:0xB0] = game_code.encode("ascii")
    rom[0xB0:0xB2] = maker.encode("ascii")
    rom[0xB2] = 0x96
    rom[0xBD] = gba_complement(rom)


def gb_header_checksum(rom: bytes | bytearray) -> int:
    """The GB header checksum over 0x134..0x14C."""
    x = 0
    for b in rom[0x134:0x14D]:
        x = (x - b - 1) & 0xFF
    return x


def gb_global_checksum(rom: bytes | bytearray) -> int:
    """The GB global checksum: sum of every byte but the two checksum bytes."""
    return (sum(rom) - rom[0x14E] - rom[0x14F]) & 0xFFFF


def write_gb_header(rom: bytearray, title: str) -> None:
    """Fill in title, sizes and both checksums of a 32 KiB no-MBC GB ROM in place."""
    if len(title) > 11:
        raise ValueError("GB title is at most 11 characters")
    rom[0x134:0x13F] = title.upper().encode("ascii").ljust(11, b"\0")
    rom[0x147] = 0x00  # ROM only
    size_code = {32768: 0, 65536: 1, 131072: 2}.get(len(rom))
    if size_code is None:
        raise ValueError(f"GB ROM size {len(rom)} is not 32, 64 or 128 KiB")
    rom[0x148] = size_code
    rom[0x149] = 0x00  # no RAM
    rom[0x14D] = gb_header_checksum(rom)
    total = gb_global_checksum(rom)
    rom[0x14E] = total >> 8
    rom[0x14F] = total & 0xFF
