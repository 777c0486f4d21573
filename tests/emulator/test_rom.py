"""ROM checks: every bad file gets one clear RomError line naming file, problem and fix."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from eevee.emulator.rom import gb_header_checksum, gba_complement, load_rom
from eevee.emulator.testing.tinyroms import tiny_gb_rom
from eevee.errors import RomError


def gba_image(title: str = "TESTGAME", code: str = "ETST", size: int = 1024) -> bytes:
    rom = bytearray(size)
    rom[0:4] = bytes([0x2E, 0x00, 0x00, 0xEA])  # b 0x080000C0
    rom[0xA0:0xAC] = title.encode().ljust(12, b"\0")
    rom[0xAC:0xB0] = code.encode()
    rom[0xB0:0xB2] = b"EV"
    rom[0xB2] = 0x96
    rom[0xBD] = gba_complement(bytes(rom))
    return bytes(rom)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def expect(path: Path, *fragments: str) -> str:
    with pytest.raises(RomError) as info:
        load_rom(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_good_gba_header(tmp_path: Path) -> None:
    data = gba_image()
    info = load_rom(write(tmp_path, "game.gba", data))
    assert (info.platform, info.title, info.game_code, info.maker) == ("gba", "TESTGAME",
                                                                        "ETST", "EV")
    assert info.header_ok and info.size == 1024 and info.data == data
    assert info.sha1 == hashlib.sha1(data).hexdigest()


def test_good_gb_header(tmp_path: Path) -> None:
    data = tiny_gb_rom()
    info = load_rom(write(tmp_path, "tiny.gb", data))
    assert (info.platform, info.title, info.header_ok, info.cgb) == ("gb", "TINYGB", True, False)
    assert data[0x14D] == gb_header_checksum(data)


def test_bad_check_bytes_are_reported_or_refused(tmp_path: Path) -> None:
    data = bytearray(gba_image())
    data[0xBD] ^= 0xFF
    path = write(tmp_path, "bad.gba", bytes(data))
    assert load_rom(path).header_ok is False
    with pytest.raises(RomError, match="complement check"):
        load_rom(path, strict=True)
    gb = bytearray(tiny_gb_rom())
    gb[0x14D] ^= 0xFF
    gb_path = write(tmp_path, "bad.gb", bytes(gb))
    assert load_rom(gb_path).header_ok is False
    with pytest.raises(RomError, match="header checksum"):
        load_rom(gb_path, strict=True)


def test_missing_file(tmp_path: Path) -> None:
    expect(tmp_path / "nope.gba", "no such file", "check the path")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "roms.gba"
    folder.mkdir()
    expect(folder, "is a directory", "pass the .gba or .gb file inside")


def test_empty_file(tmp_path: Path) -> None:
    expect(write(tmp_path, "empty.gba", b""), "is empty", "build the ROM again")


def test_truncated_gba(tmp_path: Path) -> None:
    expect(write(tmp_path, "cut.gba", gba_image()[:100]), "truncated", "100 bytes",
           "copy the complete ROM")


def test_truncated_gb(tmp_path: Path) -> None:
    expect(write(tmp_path, "cut.gb", tiny_gb_rom()[:0x140]), "truncated", "copy the complete")
    expect(write(tmp_path, "short.gb", tiny_gb_rom()[:0x4000]), "truncated", "smallest GB ROM")


def test_zip_archive_named_gba(tmp_path: Path) -> None:
    path = tmp_path / "game.gba"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("game.gba", gba_image())
    expect(path, "ZIP archive", "unpack it")


def test_zip_extension(tmp_path: Path) -> None:
    path = tmp_path / "game.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("game.gba", gba_image())
    expect(path, "ZIP archive", "unpack it")
    expect(write(tmp_path, "game.7z", b"not really"), "compressed archive", "unpack it")


def test_gba_without_branch(tmp_path: Path) -> None:
    data = bytearray(gba_image())
    data[3] = 0x00
    expect(write(tmp_path, "nobranch.gba", bytes(data)), "byte 3", "0xEA", "not a GBA ROM")


def test_wrong_extension(tmp_path: Path) -> None:
    expect(write(tmp_path, "game.txt", gba_image()), ".txt", "pass a .gba, .gb or .gbc file")
    expect(write(tmp_path, "game", gba_image()), "no extension")


def test_gb_extension_variants(tmp_path: Path) -> None:
    assert load_rom(write(tmp_path, "tiny.gbc", tiny_gb_rom())).platform == "gb"
    assert load_rom(write(tmp_path, "game.agb", gba_image())).platform == "gba"
