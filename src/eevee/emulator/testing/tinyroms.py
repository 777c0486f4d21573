"""Tiny hand-assembled test ROMs, for when the bundled cartridges are not built yet.

``tiny_gb_rom()`` is a 32 KiB Game Boy program (LR35902 machine code assembled here):
each vertical blank it counts frames and reads the joypad. RAM map (see :data:`TINY_GB_PROFILE`):
``0xC000`` u32 frame counter, ``0xC004`` keys (low nibble Right/Left/Up/Down, high nibble
A/B/Select/Start), ``0xC005`` game mode (0 title, START makes it 1), ``0xC006`` x
(RIGHT +1, LEFT -1 per frame), ``0xC007`` y (DOWN +1, UP -1). The background is vertical
stripes scrolled by x and y, so the screen moves with the player.

>>> rom = tiny_gb_rom()
>>> len(rom), rom[0x134:0x13A]
(32768, b'TINYGB')
"""

from __future__ import annotations

from typing import Any

NINTENDO_LOGO = bytes.fromhex(
    "CEED6666CC0D000B03730083000C000D0008111F8889000EDCCC6EE6DDDDD999BBBB67636E0EECCCDDDC999FBBB9333E"
)

# The same RAM map in the profile format (`profile.json` "variables").
TINY_GB_PROFILE: dict[str, Any] = {
    "variables": {
        "frame_counter": {"address": "0xC000", "type": "<u4"},
        "keys": {"address": "0xC004", "type": "|u1"},
        "game_mode": {"address": "0xC005", "type": "|u1"},
        "player_x": {"address": "0xC006", "type": "|u1"},
        "player_y": {"address": "0xC007", "type": "|u1"},
    }
}

Item = bytes | tuple[str, ...]


def _assemble(origin: int, items: list[Item]) -> tuple[bytes, dict[str, int]]:
    """Two-pass assembly of byte strings, ``("label", name)`` and ``("jr", opcode, name)``."""
    labels: dict[str, int] = {}
    pc = origin
    for item in items:
        if isinstance(item, bytes):
            pc += len(item)
        elif item[0] == "label":
            labels[item[1]] = pc
        else:
            pc += 2
    out = bytearray()
    pc = origin
    for item in items:
        if isinstance(item, bytes):
            out += item
            pc += len(item)
        elif item[0] == "jr":
            offset = labels[item[2]] - (pc + 2)
            if not -128 <= offset <= 127:
                raise ValueError(f"jr to {item[2]} out of range")
            out += bytes([int(item[1], 16), offset & 0xFF])
            pc += 2
    return bytes(out), labels


def _h(text: str) -> bytes:
    return bytes.fromhex(text)


def _main() -> list[Item]:
    return [
        _h("F3 31FEFF"),  # di; ld sp,$FFFE
        ("label", "wait"),
        _h("F044 FE90"),  # ldh a,(LY); cp 144
        ("jr", "38", "wait"),  # jr c,wait
        _h("AF E040"),  # xor a; ldh (LCDC),a  -- LCD off
        _h("2100C0 0610"),  # ld hl,$C000; ld b,16
        ("label", "clr"),
        _h("22 05"),  # ld (hl+),a; dec b
        ("jr", "20", "clr"),
        _h("210080 AF 0610"),  # ld hl,$8000; xor a; ld b,16  (tile 0 blank)
        ("label", "t0"),
        _h("22 05"),
        ("jr", "20", "t0"),
        _h("3EFF 0610"),  # ld a,$FF; ld b,16  (tile 1 solid, at $8010)
        ("label", "t1"),
        _h("22 05"),
        ("jr", "20", "t1"),
        _h("210098 010004"),  # ld hl,$9800; ld bc,$0400
        ("label", "map"),
        _h("7D E601 22 0B 78 B1"),  # ld a,l; and 1; ld (hl+),a; dec bc; ld a,b; or c
        ("jr", "20", "map"),
        _h("3EE4 E047"),  # ld a,$E4; ldh (BGP),a
        _h("AF E042 E043"),  # xor a; ldh (SCY),a; ldh (SCX),a
        _h("3E91 E040"),  # ld a,$91; ldh (LCDC),a  -- LCD on, BG on
        _h("3E01 E0FF AF E00F FB"),  # IE=vblank; IF=0; ei
        ("label", "loop"),
        _h("76 00"),  # halt; nop
        ("jr", "18", "loop"),
    ]


def _vblank() -> list[Item]:
    return [
        _h("F5 C5 E5"),  # push af, bc, hl
        _h("2100C0 34"),  # ld hl,$C000; inc (hl)
        ("jr", "20", "keys"),
        _h("23 34"),
        ("jr", "20", "keys"),
        _h("23 34"),
        ("jr", "20", "keys"),
        _h("23 34"),
        ("label", "keys"),
        _h("3E20 E000 F000 F000 2F E60F 47"),  # directions -> b
        _h("3E10 E000 F000 F000 2F E60F CB37 B0"),  # buttons in high nibble | b
        _h("EA04C0 4F 3E30 E000"),  # ld ($C004),a; ld c,a; deselect
        _h("CB79"),  # bit 7,c (Start)
        ("jr", "28", "nostart"),
        _h("3E01 EA05C0"),  # game_mode = 1
        ("label", "nostart"),
        _h("CB41"),  # bit 0,c (Right)
        ("jr", "28", "noright"),
        _h("2106C0 34"),
        ("label", "noright"),
        _h("CB49"),  # bit 1,c (Left)
        ("jr", "28", "noleft"),
        _h("2106C0 35"),
        ("label", "noleft"),
        _h("CB51"),  # bit 2,c (Up)
        ("jr", "28", "noup"),
        _h("2107C0 35"),
        ("label", "noup"),
        _h("CB59"),  # bit 3,c (Down)
        ("jr", "28", "nodown"),
        _h("2107C0 34"),
        ("label", "nodown"),
        _h("FA06C0 E043 FA07C0 E042"),  # SCX = x; SCY = y
        _h("E1 C1 F1 D9"),  # pop hl, bc, af; reti
    ]


def tiny_gb_rom() -> bytes:
    """The 32 KiB tiny GB test ROM described in the module docstring."""
    rom = bytearray(32 * 1024)
    rom[0x40:0x43] = _h("C30002")  # VBlank vector: jp $0200
    rom[0x100:0x104] = _h("00C35001")  # entry: nop; jp $0150
    rom[0x104:0x134] = NINTENDO_LOGO
    main, _ = _assemble(0x150, _main())
    handler, _ = _assemble(0x200, _vblank())
    if 0x150 + len(main) > 0x200:
        raise AssertionError("main code overlaps the VBlank handler")
    rom[0x150 : 0x150 + len(main)] = main
    rom[0x200 : 0x200 + len(handler)] = handler
    rom[0x134:0x13F] = b"TINYGB".ljust(11, b"\0")
    rom[0x147] = 0x00
    rom[0x148] = 0x00
    rom[0x149] = 0x00
    x = 0
    for b in rom[0x134:0x14D]:
        x = (x - b - 1) & 0xFF
    rom[0x14D] = x
    total = (sum(rom) - rom[0x14E] - rom[0x14F]) & 0xFFFF
    rom[0x14E] = total >> 8
    rom[0x14F] = total & 0xFF
    return bytes(rom)
