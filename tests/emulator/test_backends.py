"""Backend-specific behaviour: choosing backends, retro's one-per-process rule, the
subprocess wrapper, several PyBoys, and the HTTP clients' errors.

The HTTP tests use the stand-in servers in ``eevee.emulator.testing.servers`` (SkyEmu and
mGBA cannot be installed here) or tiny broken servers made on the spot.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import numpy as np
import pytest

from eevee.emulator import Buttons, open_emulator, pick_backend
from eevee.emulator.mgba_http import MgbaHttpEmulator, format_hex_array, parse_hex_array
from eevee.emulator.process import SubprocessEmulator
from eevee.emulator.registry import backend_class, canonical
from eevee.emulator.retro_backend import RetroEmulator, button_masks
from eevee.emulator.rom import load_rom
from eevee.emulator.skyemu import SkyEmuEmulator
from eevee.emulator.testing.tinyroms import tiny_gb_rom
from eevee.errors import ConfigError, EmulatorError, RemoteEmulatorError


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roms") / "tiny.gb"
    path.write_bytes(tiny_gb_rom())
    return path


def test_auto_picks_by_platform(tiny: Path, tmp_path: Path) -> None:
    assert pick_backend(load_rom(tiny)) == "pyboy"
    gba = tmp_path / "x.gba"
    gba.write_bytes(b"\0\0\0\xea" + bytes(0xC0))
    assert pick_backend(load_rom(gba)) == "retro"
    with pytest.raises(ConfigError, match="runs gb games, not gba"):
        pick_backend(load_rom(gba), "pyboy")
    with pytest.raises(ConfigError, match="choose one of: auto, retro, pyboy"):
        canonical("bizhawk")
    assert canonical("mGBA_http") == "mgba-http"
    assert backend_class("skyemu") is SkyEmuEmulator


def test_retro_refuses_a_second_instance_and_explains(tiny: Path) -> None:
    with RetroEmulator(tiny) as first:
        first.step(Buttons.NONE, 5)
        with pytest.raises(EmulatorError) as info:
            RetroEmulator(tiny)
        message = str(info.value)
        assert "one emulator per process" in message
        assert "subprocess=True" in message and "SubprocessEmulator" in message
        first.step(Buttons.NONE, 1)  # the first one still works
    with RetroEmulator(tiny) as again:  # closing frees the slot
        again.step(Buttons.NONE, 1)


def test_retro_slot_freed_when_forgotten(tiny: Path) -> None:
    import gc

    emu = RetroEmulator(tiny)
    del emu
    gc.collect()
    with RetroEmulator(tiny) as emu2:
        emu2.step(Buttons.NONE, 1)


def test_button_masks_cover_all_sets() -> None:
    masks = button_masks("gba")
    assert masks.shape == (1024, 12)
    assert masks[int(Buttons.A | Buttons.START)].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]
    assert button_masks("gb")[int(Buttons.L | Buttons.B)].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0]


def test_several_retro_emulators_in_subprocesses(tiny: Path) -> None:
    emus = [SubprocessEmulator(tiny, backend="retro") for _ in range(2)]
    try:
        emus[0].step(Buttons.RIGHT, 200)
        emus[1].step(Buttons.LEFT, 200)
        assert emus[0].read_u8(0xC006) != emus[1].read_u8(0xC006)
        assert emus[0].backend == "retro@subprocess"
        with pytest.raises(EmulatorError, match="outside the readable memory"):
            emus[0].read(0x0000, 1)
    finally:
        for emu in emus:
            emu.close()


def test_several_pyboys_in_one_process(tiny: Path) -> None:
    emus = [open_emulator(tiny, backend="pyboy") for _ in range(3)]
    try:
        for i, emu in enumerate(emus):
            emu.step(Buttons.RIGHT, 200 + 10 * i)
        xs = [emu.read_u8(0xC006) for emu in emus]
        assert len(set(xs)) == 3
        assert np.array_equal(emus[0].read_region("io")[:1], emus[0].read(0xFF00, 1))
    finally:
        for emu in emus:
            emu.close()


def test_a_game_named_like_one_pyboy_wraps_runs_without_the_wrapper(
        tiny: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # a homebrew game whose header title is "2048": PyBoy's own 2048 wrapper would look
    # up symbols the game has not got and print a traceback every frame
    data = bytearray(tiny.read_bytes())
    data[0x134:0x143] = b"2048".ljust(15, b"\0")
    data[0x14D] = 0
    for b in data[0x134:0x14D]:
        data[0x14D] = (data[0x14D] - b - 1) & 0xFF
    rom = tmp_path / "2048.gb"
    rom.write_bytes(bytes(data))
    with open_emulator(rom, backend="pyboy") as emu:
        emu.step(Buttons.RIGHT, 120)
        moved = emu.read_u8(0xC006)
    with open_emulator(tiny, backend="pyboy") as emu:
        emu.step(Buttons.RIGHT, 120)
        assert moved == emu.read_u8(0xC006)  # (the same game, played the same)
    assert capfd.readouterr().err == ""


# ---- HTTP client errors ---------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_skyemu_down_gives_one_clear_line() -> None:
    port = _free_port()
    with pytest.raises(RemoteEmulatorError) as info:
        SkyEmuEmulator(None, url=f"http://127.0.0.1:{port}", timeout=2)
    message = str(info.value)
    assert message.startswith(f"cannot reach SkyEmu at http://127.0.0.1:{port}: connection refused")
    assert "start SkyEmu with its HTTP control server enabled" in message
    assert "\n" not in message


def test_mgba_http_down_gives_one_clear_line() -> None:
    port = _free_port()
    with pytest.raises(RemoteEmulatorError) as info:
        MgbaHttpEmulator(None, url=f"http://127.0.0.1:{port}", timeout=2)
    message = str(info.value)
    assert message.startswith(f"cannot reach mGBA-http at http://127.0.0.1:{port}")
    assert "mGBASocketServer.lua" in message


@pytest.fixture
def garbage_server() -> Iterator[str]:
    """A server that answers everything with nonsense (or hangs on /slow)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/core/platform"):
                body = b"0"
            elif self.path.startswith("/core/getgametitle"):
                body = b"HELLO"
            else:
                body = b"<html>teapot</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_not_skyemu(garbage_server: str) -> None:
    with pytest.raises(RemoteEmulatorError, match="is not SkyEmu"):
        SkyEmuEmulator(None, url=garbage_server)


def test_mgba_http_garbage_replies(garbage_server: str) -> None:
    emu = MgbaHttpEmulator(None, url=garbage_server)
    assert emu.platform.name == "gba" and emu.realtime_only
    with pytest.raises(RemoteEmulatorError, match="malformed"):
        emu.read(0x02000000, 4)
    with pytest.raises(RemoteEmulatorError, match="not a number"):
        emu.step(Buttons.NONE, 1)


def test_hex_arrays_round_trip() -> None:
    data = bytes(range(256))
    assert parse_hex_array(format_hex_array(data)) == data
    assert parse_hex_array("[d3, 00,\n ea]") == b"\xd3\x00\xea"
    assert parse_hex_array("[]") == b""
    assert parse_hex_array("d3,00,ea") == b"\xd3\x00\xea"  # (mGBA-http 0.8 and later)
    for bad in ("[d3,00", "d3,00]", "d3,,00", "xyz"):
        with pytest.raises(RemoteEmulatorError, match="malformed"):
            parse_hex_array(bad)


def test_skyemu_against_stand_in_with_attach(tiny: Path) -> None:
    """Attach without a ROM (the server's /status names it), step, read and reset."""
    from eevee.emulator.testing.servers import start_server

    with start_server("skyemu", tiny, "pyboy") as url:
        emu = open_emulator(None, backend="skyemu", url=url)
        assert emu.rom.title == "TINYGB"  # type: ignore[attr-defined]
        emu.step(Buttons.RIGHT, 300)
        assert emu.read_u8(0xC006) > 0
        assert emu.status()["run-mode"] == "PAUSE"  # type: ignore[attr-defined]
        emu.reset()
        emu.step(Buttons.NONE, 1)
        assert emu.frame == 1
        emu.close()


def test_mgba_http_refuses_a_different_game(tiny: Path, tmp_path: Path) -> None:
    from eevee.emulator.testing.servers import start_server

    other = tmp_path / "other.gb"
    data = bytearray(tiny_gb_rom())
    data[0x134:0x13A] = b"OTHERG"
    other.write_bytes(bytes(data))
    with start_server("mgba-http", tiny, "pyboy") as url:
        with pytest.raises(RemoteEmulatorError, match="load that game in mGBA or pass load=True"):
            MgbaHttpEmulator(other, url=url)
        emu = MgbaHttpEmulator(tiny, url=url)
        emu.step(Buttons.NONE, 120)  # PyBoy's boot ROM
        emu.hold(Buttons.RIGHT, 30)
        emu.step(Buttons.NONE, 40)
        assert emu.read_u8(0xC006) > 0
        emu.close()


def test_the_recorded_skyemu_answers_are_replayed_strictly(tmp_path: Path) -> None:
    """The replay server answers only the request recorded next (else HTTP 500 naming
    both), so the recorded contract tests fail if the client asks anything else."""
    import urllib.error
    import urllib.request

    from eevee.emulator.testing.transcripts import ReplayServer

    folder = Path(__file__).with_name("transcripts") / "skyemu" / "quest"
    server = ReplayServer(folder)
    try:
        assert not server.begin("no_such_test")
        assert server.begin("test_platform_and_screen")
        with urllib.request.urlopen(server.url + "/status") as r:  # recorded first
            assert json.loads(r.read().strip(b"\0"))["emulator"].startswith("SkyEmu")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url + "/step?frames=3")
        assert err.value.code == 500 and b"recorded" in err.value.read()
    finally:
        server.close()


def test_skyemu_says_which_rom_failed_to_load(tiny: Path, tmp_path: Path) -> None:
    """SkyEmu answers "Failed to load ROM" (and unloads its game): one clear error."""
    from eevee.emulator.testing.servers import start_server

    with start_server("skyemu", tiny, "pyboy") as url:
        emu = SkyEmuEmulator(None, url=url)
        with pytest.raises(RemoteEmulatorError, match=r"could not load the ROM .*gone\.gb"):
            emu._load_rom(tmp_path / "gone.gb")
        emu.close()
