"""Games (cartridges + profiles) × backends for the emulator contract tests.

Games come from the cartridge registry (``quest``, ``dodge``, ``maze``) with their
``profile.json`` RAM maps; a cartridge whose ROM or profile is missing is skipped with the
reason. One stand-in always runs: ``tinygb`` (a hand-assembled GB ROM), so the GB contract
is exercised on a second, independent program too.

stable-retro allows one emulator per process, so every fixture closes its emulator before
the next test opens one; the HTTP stand-in servers run in child processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from eevee.emulator import Emulator, open_emulator
from eevee.emulator.testing.servers import start_server
from eevee.emulator.testing.tinyroms import TINY_GB_PROFILE, tiny_gb_rom
from eevee.emulator.testing.transcripts import RecordingProxy, ReplayServer

REAL_CARTRIDGES = ("quest", "dodge", "maze")


@dataclass
class Game:
    name: str
    platform: str
    rom: Path | None
    variables: dict[str, tuple[int, str]] = field(default_factory=dict)
    skip: str = ""

    def var(self, emu: Emulator, name: str) -> int:
        address, type_code = self.variables[name]
        return emu.read_value(address, type_code)

    def frame_delta(self, before: int, after: int) -> int:
        """Frames between two frame_counter values, allowing for wrap-around."""
        size = int(self.variables["frame_counter"][1][2])
        return (after - before) % (1 << (8 * size))


def _variables(profile: dict[str, Any]) -> dict[str, tuple[int, str]]:
    out = {}
    for name, spec in profile.get("variables", {}).items():
        address = spec["address"]
        out[name] = (int(address, 0) if isinstance(address, str) else int(address), spec["type"])
    return out


def _real_game(name: str) -> Game:
    from eevee.cartridges import get

    try:
        cart = get(name)
    except Exception as exc:
        return Game(name, "?", None, skip=f"cartridge {name!r} is not registered yet ({exc})")
    if not cart.rom_path.is_file():
        return Game(name, cart.platform, None,
                    skip=f"{cart.rom_path.name} is not built yet (eevee cartridges build)")
    if not cart.profile_path.is_file():
        return Game(name, cart.platform, cart.rom_path,
                    skip=f"{name} has no profile.json yet")
    profile = json.loads(cart.profile_path.read_text(encoding="utf-8"))
    variables = _variables(profile)
    if "frame_counter" not in variables:
        return Game(name, cart.platform, cart.rom_path,
                    skip=f"{name}'s profile has no frame_counter variable")
    return Game(name, cart.platform, cart.rom_path, variables)


_GAME_CACHE: dict[str, Game] = {}


def load_game(name: str, tmp_root: Path) -> Game:
    if name in _GAME_CACHE:
        return _GAME_CACHE[name]
    if name == "tinygb":
        path = tmp_root / "tinygb.gb"
        path.write_bytes(tiny_gb_rom())
        game = Game(name, "gb", path, _variables(TINY_GB_PROFILE))
    else:
        game = _real_game(name)
    _GAME_CACHE[name] = game
    return game


# (game, backend) pairs: every backend that runs here, for each platform
# skyemu: the stand-in server; skyemu-recorded: the real SkyEmu's recorded answers
# (transcripts/skyemu); skyemu-real: the real SkyEmu, when $EEVEE_SKYEMU names its program
# ($EEVEE_SKYEMU_RECORD: a folder to record its answers into, as transcripts)
REAL_SKYEMU = os.environ.get("EEVEE_SKYEMU")
SKYEMU_KINDS = ("skyemu", "skyemu-recorded") + (("skyemu-real",) if REAL_SKYEMU else ())
GBA_BACKENDS = ("retro", "retro-subprocess", *SKYEMU_KINDS, "mgba-http")
GB_BACKENDS = ("pyboy", "retro", *SKYEMU_KINDS, "mgba-http")
TRANSCRIPTS = Path(__file__).with_name("transcripts") / "skyemu"
GAME_PLATFORMS = {"quest": "gba", "dodge": "gba", "maze": "gb", "tinygb": "gb"}
CASES = [
    pytest.param((game, backend), id=f"{game}-{backend}")
    for game, platform in GAME_PLATFORMS.items()
    for backend in (GBA_BACKENDS if platform == "gba" else GB_BACKENDS)
]
#: the backend each stand-in server runs its game on
SERVER_BACKEND = {"gba": "retro", "gb": "pyboy"}
MGBA_SPEED = 4.0  # the mGBA-http stand-in runs at 4x real time to keep tests short


class ServerPool:
    """Starts each (kind, rom) stand-in server once per test module."""

    def __init__(self) -> None:
        self._contexts: dict[tuple[str, str], Any] = {}
        self.urls: dict[tuple[str, str], str] = {}
        self.servers: dict[tuple[str, str], Any] = {}  # recording proxies, replay servers

    def url(self, kind: str, game: Game) -> str:
        assert game.rom is not None
        key = (kind, str(game.rom))
        if key not in self.urls and kind == "skyemu-recorded":
            server = ReplayServer(TRANSCRIPTS / game.name)
            self.urls[key], self.servers[key] = server.url, server
        elif key not in self.urls and kind == "skyemu-real":
            ctx = real_skyemu(game.rom)
            url = ctx.__enter__()
            self._contexts[key] = ctx
            record = os.environ.get("EEVEE_SKYEMU_RECORD")
            if record:
                proxy = RecordingProxy(url, Path(record) / game.name)
                self.servers[key], url = proxy, proxy.url
            self.urls[key] = url
        if key not in self.urls:
            speed = MGBA_SPEED if kind == "mgba-http" else 1.0
            ctx = start_server(kind, game.rom, SERVER_BACKEND[game.platform], speed=speed)
            self.urls[key] = ctx.__enter__()
            self._contexts[key] = ctx
        return self.urls[key]

    def begin(self, kind: str, game: Game, test: str) -> bool:
        """Start the transcript of ``test`` (recording or replaying); False: none."""
        server = self.servers.get((kind, str(game.rom)))
        if server is None:
            return True
        return server.begin(test) is not False

    def close(self) -> None:
        for server in self.servers.values():
            server.close()
        for ctx in self._contexts.values():
            ctx.__exit__(None, None, None)
        self._contexts.clear()
        self.servers.clear()
        self.urls.clear()


@contextlib.contextmanager
def real_skyemu(rom: Path) -> Iterator[str]:
    """The real SkyEmu (``$EEVEE_SKYEMU http_server PORT ROM``) until the block ends."""
    assert REAL_SKYEMU
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="skyemu-", suffix=".log", delete=False)  # noqa: SIM115
    home = Path(tempfile.mkdtemp(prefix="skyemu-home-"))
    first = home / rom.name  # (a copy: SkyEmu writes a .sav beside the ROM it runs)
    first.write_bytes(rom.read_bytes())
    proc = subprocess.Popen([REAL_SKYEMU, "http_server", str(port), str(first)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=home)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/ping", timeout=1) as r:
                    if r.read().strip(b"\0") == b"pong":
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"SkyEmu exited; see {log.name}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def open_case(game: Game, backend: str, pool: ServerPool) -> Emulator:
    """Open ``game`` on ``backend`` at power-on (HTTP backends: reset first)."""
    assert game.rom is not None
    if backend == "retro-subprocess":
        return open_emulator(game.rom, backend="retro", subprocess=True)
    if backend.startswith("skyemu"):
        return open_emulator(game.rom, backend="skyemu", url=pool.url(backend, game))
    if backend == "mgba-http":
        emu = open_emulator(game.rom, backend="mgba-http", url=pool.url("mgba-http", game),
                            fps=59.7275 * MGBA_SPEED)
        emu.reset()
        return emu
    return open_emulator(game.rom, backend=backend)
