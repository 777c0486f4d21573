"""``eevee info ROM``: what a ROM file is, and which profile matches it."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("info", help="show a ROM's platform, header, size, SHA-1 and profile")
    p.add_argument("rom", help="ROM file or bundled cartridge name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from eevee.emulator.rom import load_rom
    from eevee.errors import printable
    from eevee.profiles import find_profile
    from eevee.runner.session import resolve_rom

    rom = load_rom(resolve_rom(args.rom))
    profile = find_profile(rom.sha1)
    rows = [
        ("file", str(rom.path)),
        ("platform", rom.platform.upper()),
        ("title", rom.title or "-"),
        ("game code", getattr(rom, "game_code", "") or "-"),
        ("size", f"{rom.size} bytes"),
        ("sha1", rom.sha1),
        ("header", "valid" if getattr(rom, "header_ok", True) else "checksum mismatch"),
        ("profile", f"{profile.name} ({profile.path})" if profile else "none (pixels only)"),
    ]
    for key, value in rows:
        print(f"{key:10} {printable(value)}")  # (a ROM's title may hold control bytes)
    if profile is None:
        from eevee.profiles.registry import near_miss

        like = near_miss(rom.title, rom.game_code)
        if like is not None:
            print(f"warning    the title and game code are those of the profile {like}, but "
                  "the SHA-1 is not: the ROM is likely cut short or patched "
                  f"({rom.size} bytes)")
    return 0
