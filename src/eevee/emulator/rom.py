"""Check a ROM file before an emulator sees it, and describe it.

Every problem is an :class:`eevee.errors.RomError` whose one-line message names the
file, the problem and the fix. Header layouts follow GBATEK (GBA) and the Pan Docs (GB).

>>> from eevee.cartridges import get
>>> info = load_rom(get("quest").rom_path)
>>> info.platform, info.title, info.game_code, info.header_ok
('gba', 'EEVEE QUEST', 'EVQT', True)
>>> load_rom("missing.gba")
Traceback (most recent call last):
  ...
eevee.errors.RomError: missing.gba: no such file; check the path (use an absolute path, \
or `eevee cartridges list` for the bundled games)
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from eevee.errors import RomError

#: extensions we accept, and the platform each means
EXTENSIONS: dict[str, str] = {".gba": "gba", ".agb": "gba", ".gb": "gb", ".gbc": "gb", ".sgb": "gb"}

GBA_HEADER_SIZE = 0xC0
GB_HEADER_END = 0x150
GBA_MAX_SIZE = 32 * 1024 * 1024
GB_MIN_SIZE = 32 * 1024
GB_MAX_SIZE = 8 * 1024 * 1024

_ARCHIVE_MAGIC: dict[bytes, str] = {
    b"PK\x03\x04": "a ZIP archive",
    b"PK\x05\x06": "an empty ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}


@dataclass(frozen=True)
class RomInfo:
    """What we know about a ROM image: platform, header fields, size, SHA-1, the bytes."""

    path: Path
    platform: str  # "gba" or "gb"
    title: str
    size: int
    sha1: str
    #: GBA: 4-character game code (e.g. ``"EVQT"``); GB: empty
    game_code: str = ""
    #: GBA: 2-character maker code; GB: old licensee code as 2 hex digits
    maker: str = ""
    #: True when the header's own check byte is right (GBA complement, GB header checksum)
    header_ok: bool = True
    #: GB: True when the header flags Game Boy Color support (0x143 is 0x80 or 0xC0)
    cgb: bool = False
    data: bytes = field(default=b"", repr=False)


def _fail(path: Path, problem: str, fix: str) -> RomError:
    return RomError(f"{path}: {problem}; {fix}")


def gba_complement(rom: bytes) -> int:
    """The GBA header complement check byte: -(sum of 0xA0..0xBC) - 0x19."""
    return (-(sum(rom[0xA0:0xBD]) + 0x19)) & 0xFF


def gb_header_checksum(rom: bytes) -> int:
    """The GB header checksum over 0x134..0x14C."""
    x = 0
    for b in rom[0x134:0x14D]:
        x = (x - b - 1) & 0xFF
    return x


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("ascii", "replace").strip()


def _platform_from_extension(path: Path) -> str:
    ext = path.suffix.lower()
    if ext == ".zip" or ext in (".7z", ".rar", ".gz"):
        raise _fail(path, f"is a compressed archive ({ext})",
                    "unpack it and pass the .gba or .gb file inside")
    if ext not in EXTENSIONS:
        shown = ext or "no extension"
        raise _fail(path, f"has {shown}, not a Game Boy (Advance) ROM extension",
                    "pass a .gba, .gb or .gbc file (rename it if it really is one)")
    return EXTENSIONS[ext]


def parse_gba_header(path: Path, data: bytes) -> tuple[str, str, str, bool]:
    """Title, game code, maker and whether the complement check holds; RomError if broken."""
    if len(data) < GBA_HEADER_SIZE:
        raise _fail(path, f"is truncated ({len(data)} bytes, a GBA header needs "
                    f"{GBA_HEADER_SIZE})", "copy the complete ROM again")
    if data[3] != 0xEA:
        raise _fail(path, f"has no ARM branch at byte 3 (0x{data[3]:02X}, expected 0xEA), "
                    "so it is not a GBA ROM", "check that the file is a real .gba image")
    title = _text(data[0xA0:0xAC])
    code = _text(data[0xAC:0xB0])
    maker = _text(data[0xB0:0xB2])
    return title, code, maker, data[0xBD] == gba_complement(data)


def parse_gb_header(path: Path, data: bytes) -> tuple[str, str, bool, bool]:
    """Title, licensee, header checksum ok, CGB flag; RomError if the header is cut off."""
    if len(data) < GB_HEADER_END:
        raise _fail(path, f"is truncated ({len(data)} bytes, a GB header needs "
                    f"{GB_HEADER_END})", "copy the complete ROM again")
    cgb = data[0x143] in (0x80, 0xC0)
    title_end = 0x143 if cgb else 0x144
    title = _text(data[0x134:title_end])
    maker = f"{data[0x14B]:02X}"
    return title, maker, data[0x14D] == gb_header_checksum(data), cgb


def _read_checked(p: Path) -> bytes:
    """The file's bytes, after checking (without reading) that it is a regular file of
    a size a cartridge can have: a FIFO, a device or a huge sparse file is refused before
    a byte is read, and every OS error is one line."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise _fail(p, "no such file", "check the path (use an absolute path, or `eevee "
                    "cartridges list` for the bundled games)") from None
    except OSError as exc:
        raise _fail(p, f"cannot be opened ({exc.strerror or exc})",
                    "check the path and its permissions") from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail(p, "is a directory, not a ROM file", "pass the .gba or .gb file inside it")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device"
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a socket"
                if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise _fail(p, f"is {kind}, not a ROM file", "pass a .gba or .gb file")
    if st.st_size > GBA_MAX_SIZE:
        raise _fail(p, f"is {st.st_size} bytes, larger than any cartridge (32 MiB at most)",
                    "check that it is a GBA or GB ROM")
    try:
        with p.open("rb") as f:
            data = f.read(GBA_MAX_SIZE + 1)
    except OSError as exc:
        raise _fail(p, f"cannot be read ({exc.strerror or exc})",
                    "check its permissions") from None
    if len(data) > GBA_MAX_SIZE:  # (it grew while being read)
        raise _fail(p, "is larger than any cartridge (32 MiB at most)",
                    "check that it is a GBA or GB ROM")
    return data


def load_rom(path: str | os.PathLike[str], *, strict: bool = False) -> RomInfo:
    """Read and check the ROM at ``path``; :class:`RomError` says what is wrong and how to fix it.

    A wrong header check byte is reported in :attr:`RomInfo.header_ok` (homebrew often
    leaves it unset); pass ``strict=True`` to make it an error instead.
    """
    text = os.fspath(path)
    if not str(text).strip():
        raise RomError("no ROM given (an empty path); pass a .gba or .gb file, or a bundled "
                       "cartridge name (eevee cartridges list)")
    p = Path(text).expanduser()
    data = _read_checked(p)
    for magic, what in _ARCHIVE_MAGIC.items():
        if data.startswith(magic):
            raise _fail(p, f"is {what}, not a ROM", "unpack it and pass the ROM inside")
    platform = _platform_from_extension(p)
    if not data:
        raise _fail(p, "is empty (0 bytes)", "copy or build the ROM again")
    if platform == "gba":
        if len(data) > GBA_MAX_SIZE:
            raise _fail(p, f"is {len(data)} bytes, larger than a GBA cartridge (32 MiB)",
                        "check that it is a GBA ROM")
        title, code, maker, ok = parse_gba_header(p, data)
        cgb = False
        check = "complement check byte at 0xBD"
    else:
        if len(data) > GB_MAX_SIZE:
            raise _fail(p, f"is {len(data)} bytes, larger than a GB cartridge (8 MiB)",
                        "check that it is a GB ROM")
        title, maker, ok, cgb = parse_gb_header(p, data)
        if len(data) < GB_MIN_SIZE:
            raise _fail(p, f"is truncated ({len(data)} bytes, the smallest GB ROM is "
                        f"{GB_MIN_SIZE})", "copy the complete ROM again")
        code_byte = data[0x148]
        if code_byte <= 8 and len(data) != GB_MIN_SIZE << code_byte:
            raise _fail(p, f"is {len(data)} bytes but its header (0x148 = {code_byte}) says "
                        f"{GB_MIN_SIZE << code_byte}", "copy the complete ROM again (it "
                        "was cut short or padded)")
        code = ""
        check = "header checksum at 0x14D"
    if strict and not ok:
        raise _fail(p, f"has a wrong {check}", "fix the header (e.g. with a header fixer) "
                    "or load it without strict checking")
    return RomInfo(
        path=p,
        platform=platform,
        title=title,
        size=len(data),
        sha1=hashlib.sha1(data).hexdigest(),
        game_code=code,
        maker=maker,
        header_ok=ok,
        cgb=cgb,
        data=data,
    )


def detect_platform(path: str | os.PathLike[str]) -> str:
    """``"gba"`` or ``"gb"`` for the ROM at ``path`` (checked with :func:`load_rom`)."""
    return load_rom(path).platform
