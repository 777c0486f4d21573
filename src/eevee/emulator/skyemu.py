"""The ``skyemu`` backend: a client for SkyEmu's HTTP control server.

Start SkyEmu with the server enabled (Settings → Advanced → "Enable HTTP Control Server",
or headless: ``./SkyEmu http_server 8080 game.gba``), then
``open_emulator("game.gba", backend="skyemu", url="http://127.0.0.1:8080")``.

Protocol (SkyEmu docs/HTTP_CONTROL_SERVER.md): ``/step?frames=N``; ``/input?A=1&Up=0``
(inputs stay until changed); ``/screen`` (PNG); ``/read_byte?addr=02000004&addr=...``
(hex addresses without 0x, one ``addr`` per byte, reply: two hex digits per byte);
``/write_byte?02000000=ff``; ``/save?path=`` and ``/load?path=`` (a file on the server's
machine); ``/load_rom?path=&pause=1``; ``/status``. Replies may end in a NUL byte.

Because save states travel as files, :meth:`save_state`/:meth:`load_state` need SkyEmu on
this machine (or a shared ``state_dir``). There are no range reads, so large reads are
split into requests of :data:`READ_CHUNK` addresses; read what you need, not whole regions.

Here against the stand-in server (:mod:`eevee.emulator.testing.servers`):

>>> from eevee.cartridges import get
>>> from eevee.emulator.buttons import Buttons
>>> from eevee.emulator.testing.servers import start_server
>>> with start_server("skyemu", get("maze").rom_path, "pyboy") as url:
...     emu = SkyEmuEmulator(None, url=url)   # attach: /status names the loaded ROM
...     emu.step(Buttons.START, frames=2)
...     emu.rom.title, emu.frame, emu.screen().shape
...     emu.close()
('EEVEE MAZE', 2, (144, 160, 3))
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from eevee.emulator._http import HttpClient
from eevee.emulator.base import Emulator
from eevee.emulator.buttons import WIRE_NAMES
from eevee.emulator.platform import PLATFORMS
from eevee.emulator.rom import RomInfo, load_rom
from eevee.errors import RemoteEmulatorError

DEFAULT_URL = "http://127.0.0.1:8080"
READ_CHUNK = 512
WRITE_CHUNK = 256
HINT = (
    "start SkyEmu with its HTTP control server enabled (Settings > Advanced > "
    "'Enable HTTP Control Server', or `SkyEmu http_server PORT ROM`) and pass its url="
)

# our button bit -> SkyEmu input name
_INPUT_NAMES = WIRE_NAMES


def _input_query(buttons: int) -> list[tuple[str, str]]:
    return [(name, "1" if buttons & bit else "0") for bit, name in _INPUT_NAMES.items()]


class SkyEmuEmulator(Emulator):
    """A game running in SkyEmu, driven over its HTTP control server."""

    backend = "skyemu"

    def __init__(
        self,
        rom: str | os.PathLike[str] | RomInfo | None = None,
        *,
        url: str = DEFAULT_URL,
        timeout: float = 5.0,
        load: bool = True,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """Connect to SkyEmu at ``url``; with a ``rom`` and ``load=True`` load it (paused)."""
        self._http = HttpClient(url, "SkyEmu", HINT, timeout)
        info = None
        if rom is not None:
            info = rom if isinstance(rom, RomInfo) else load_rom(rom)
        status = self.status()
        if info is not None and load:
            self._load_rom(info.path)
            status = self.status()
        rom_path = status.get("ROM Path", "")
        if info is None:
            if status.get("ROM Loaded", "false").lower() != "true" or not rom_path:
                raise RemoteEmulatorError(
                    f"SkyEmu at {self._http.base_url} has no ROM loaded; pass a ROM path "
                    "or load one in SkyEmu"
                )
            info = load_rom(rom_path)
        super().__init__(PLATFORMS[info.platform])
        self.rom = info
        self._rom_path = Path(rom_path) if rom_path else info.path
        self._own_dir = state_dir is None
        self._state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp("-skyemu"))
        self._buttons = -1
        self._step_path_cache: dict[int, list[tuple[str, str]]] = {}

    # ---- SkyEmu-specific -------------------------------------------------------------
    def status(self) -> dict[str, str]:
        """``/status`` as a dict of its ``Key: value`` lines (``MODE``, ``ROM Path`` ...)."""
        text = self._http.text("/status")
        if not text.startswith("SkyEmu"):
            raise RemoteEmulatorError(
                f"the server at {self._http.base_url} is not SkyEmu (/status said "
                f"{text[:60]!r}); check the url"
            )
        fields: dict[str, str] = {}
        for line in text.splitlines()[1:]:
            key, sep, value = line.partition(":")
            if sep and not key.startswith("-"):
                fields[key.strip()] = value.strip()
        return fields

    def ping(self) -> bool:
        return self._http.text("/ping") == "pong"

    def _ok(self, path: str, query: list[tuple[str, str]], what: str) -> None:
        reply = self._http.text(path, query)
        if reply not in ("ok", "okay"):
            raise RemoteEmulatorError(
                f"SkyEmu at {self._http.base_url} could not {what} (it said {reply[:80]!r})"
            )

    def _load_rom(self, path: Path) -> None:
        self._ok("/load_rom", [("path", str(path.resolve())), ("pause", "1")],
                 f"load the ROM {path}")

    # ---- primitives ----------------------------------------------------------------
    def _step(self, buttons: int, frames: int) -> None:
        if buttons != self._buttons:
            self._ok("/input", _input_query(buttons), "set the buttons")
            self._buttons = buttons
        query = self._step_path_cache.get(frames)
        if query is None:
            query = self._step_path_cache[frames] = [("frames", str(frames))]
        self._ok("/step", query, f"step {frames} frames")

    def _screen(self) -> np.ndarray:
        from PIL import Image

        raw = self._http.request("/screen", [("format", "png")])
        try:
            image = Image.open(io.BytesIO(raw)).convert("RGB")
        except Exception as exc:
            raise RemoteEmulatorError(
                f"SkyEmu at {self._http.base_url} sent a /screen that is not an image ({exc})"
            ) from None
        return np.asarray(image, dtype=np.uint8)

    def _read(self, address: int, size: int) -> bytes:
        out = bytearray()
        for start in range(address, address + size, READ_CHUNK):
            count = min(READ_CHUNK, address + size - start)
            query = [("addr", f"{a:08x}") for a in range(start, start + count)]
            text = self._http.text("/read_byte", query)
            if len(text) != 2 * count or not re.fullmatch(r"[0-9a-fA-F]*", text):
                raise RemoteEmulatorError(
                    f"SkyEmu at {self._http.base_url} answered /read_byte for {count} bytes "
                    f"at 0x{start:08X} with {text[:40]!r}; expected {2 * count} hex digits"
                )
            out += bytes.fromhex(text)
        return bytes(out)

    def _write(self, address: int, data: bytes) -> None:
        for offset in range(0, len(data), WRITE_CHUNK):
            chunk = data[offset : offset + WRITE_CHUNK]
            query = [(f"{address + offset + i:08x}", f"{b:02x}") for i, b in enumerate(chunk)]
            self._ok("/write_byte", query, f"write {len(chunk)} bytes")

    def _save_state(self) -> bytes:
        path = self._state_dir / "eevee-save.state"
        path.unlink(missing_ok=True)
        self._ok("/save", [("path", str(path))], f"save a state to {path}")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise RemoteEmulatorError(
                f"SkyEmu saved its state to {path} but this process cannot read it "
                f"({exc.strerror}); run SkyEmu on this machine or pass a shared state_dir="
            ) from None

    def _load_state(self, state: bytes) -> None:
        path = self._state_dir / "eevee-load.state"
        path.write_bytes(state)
        self._ok("/load", [("path", str(path))], "load the save state")
        self._buttons = -1

    def _reset(self) -> None:
        self._load_rom(self._rom_path)
        self._buttons = -1

    def _close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self._state_dir, ignore_errors=True)
