"""The ``skyemu`` backend: a client for SkyEmu's HTTP control server.

Start SkyEmu with the server enabled (Settings → Advanced → "Enable HTTP Control Server",
or headless: ``./SkyEmu http_server 8080 game.gba``), then
``open_emulator("game.gba", backend="skyemu", url="http://127.0.0.1:8080")``.

Protocol (SkyEmu docs/HTTP_CONTROL_SERVER.md): ``/step?frames=N``; ``/input?A=1&Up=0``
(inputs stay until changed); ``/screen`` (PNG); ``/read_byte?addr=02000004&addr=...``
(hex addresses without 0x, one ``addr`` per byte, reply: two hex digits per byte);
``/write_byte?02000000=ff``; ``/save?path=`` and ``/load?path=`` (a file on the server's
machine); ``/load_rom?path=&pause=1``; ``/status``. Replies may end in a NUL byte.

Versions: SkyEmu v4 and later answer ``/status`` in JSON (``emulator``, ``run-mode``,
``rom-loaded``, ``rom-path``); v3 in ``Key: value`` lines. Both are read. Checked against
the real SkyEmu (built from its source, commit 36771a1, September 2025; the recorded
answers replay in the tests) and the v3 behaviour against the stand-in.

What the client does about SkyEmu's ways:

- **Exact load_state.** SkyEmu renders one frame when it restores a state, with the
  buttons then held, so a state is one frame on right after ``/load``. The client holds
  the load back until the next step and sends it as that step's first frame (buttons set
  first, then ``/load``, then the step's other frames): a replay from a loaded state is
  exact when that step starts with no button held: SkyEmu's restore frame runs with every
  button released, whatever the inputs hold, and nothing over HTTP changes that (so a
  step holding buttons right after a load gets one frame of none first). A read or
  screen between ``load_state`` and the next step sees the state one frame on.
- **Reads under the URL limit.** SkyEmu refuses URLs over 8,192 bytes; ``/read_byte``
  takes one ``addr`` a byte, so reads go in batches that fit (:data:`URL_LIMIT`). There is
  no range read; read what you need, not whole regions.
- **No save file beside your ROM.** Once a game saves, SkyEmu writes a ``.sav`` beside the
  ROM every few frames. The client loads a copy of the ROM from its own temporary folder,
  so that file lands there and goes when the emulator closes (attaching to a ROM already
  loaded, ``rom=None``, leaves SkyEmu's own ways alone).
- **A ROM that fails to load** is one clear error naming it (SkyEmu unloads the game it
  had, so the emulator is unusable until a ROM loads).

Because save states travel as files, :meth:`save_state`/:meth:`load_state` need SkyEmu on
this machine (or a shared ``state_dir``).

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
import json
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
URL_LIMIT = 8192  # bytes: SkyEmu answers 414 to a longer request line
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
        self._own_dir = state_dir is None
        self._state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp("-skyemu"))
        info = None
        if rom is not None:
            info = rom if isinstance(rom, RomInfo) else load_rom(rom)
        status = self.status()
        rom_path = str(status.get("rom-path") or "")
        if info is not None and load:
            # (a copy in our folder: the .sav SkyEmu writes lands there, not beside yours)
            copy = self._state_dir / f"rom{info.path.suffix.lower() or '.gba'}"
            shutil.copyfile(info.path, copy)
            self._load_rom(copy)
            rom_path = str(copy)
        elif info is None:
            if not status.get("rom-loaded") or not rom_path:
                raise RemoteEmulatorError(
                    f"SkyEmu at {self._http.base_url} has no ROM loaded; pass a ROM path "
                    "or load one in SkyEmu"
                )
            info = load_rom(rom_path)
        super().__init__(PLATFORMS[info.platform])
        self.rom = info
        self.version = str(status.get("emulator", "SkyEmu"))
        self._rom_path = Path(rom_path) if rom_path else info.path
        self._buttons = -1
        self._pending_load: Path | None = None
        base = len(self._http.url("/read_byte")) + 1
        self._read_chunk = max(1, (URL_LIMIT - 64 - base) // len("addr=00000000&"))

    # ---- SkyEmu-specific -------------------------------------------------------------
    def status(self) -> dict[str, object]:
        """``/status``: v4+ JSON as it is; v3's ``Key: value`` lines under the v4 names
        (``emulator``, ``run-mode``, ``rom-loaded``, ``rom-path``)."""
        text = self._http.text("/status")
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if isinstance(data, dict) and str(data.get("emulator", "")).startswith("SkyEmu"):
                return data
        elif text.startswith("SkyEmu"):
            lines: dict[str, str] = {}
            for line in text.splitlines()[1:]:
                key, sep, value = line.partition(":")
                if sep and not key.startswith("-"):
                    lines[key.strip()] = value.strip()
            return {"emulator": text.splitlines()[0].strip(), "run-mode": lines.get("MODE"),
                    "rom-loaded": lines.get("ROM Loaded", "false").lower() == "true",
                    "rom-path": lines.get("ROM Path", "")}
        raise RemoteEmulatorError(
            f"the server at {self._http.base_url} is not SkyEmu (/status said "
            f"{text[:60]!r}); check the url"
        )

    def ping(self) -> bool:
        return self._http.text("/ping") == "pong"

    def _ok(self, path: str, query: list[tuple[str, str]], what: str) -> None:
        reply = self._http.text(path, query)
        if reply not in ("ok", "okay"):
            raise RemoteEmulatorError(
                f"SkyEmu at {self._http.base_url} could not {what} (it said {reply[:80]!r})"
            )

    def _load_rom(self, path: Path) -> None:
        reply = self._http.text("/load_rom", [("path", str(path.resolve())), ("pause", "1")])
        if reply not in ("ok", "okay"):
            raise RemoteEmulatorError(
                f"SkyEmu at {self._http.base_url} could not load the ROM {path} (it said "
                f"{reply[:60]!r}; it has no game loaded now): check the file is a GB or "
                "GBA ROM SkyEmu can read"
            )

    # ---- primitives ----------------------------------------------------------------
    def _step(self, buttons: int, frames: int) -> None:
        if buttons != self._buttons:
            self._ok("/input", _input_query(buttons), "set the buttons")
            self._buttons = buttons
        if self._pending_load is not None:
            self._resolve_load()  # (restoring runs this step's first frame)
            frames -= 1
            if frames == 0:
                return
        self._ok("/step", [("frames", str(frames))], f"step {frames} frames")

    def _resolve_load(self) -> None:
        path, self._pending_load = self._pending_load, None
        assert path is not None
        self._ok("/load", [("path", str(path))], "load the save state")

    def _screen(self) -> np.ndarray:
        from PIL import Image

        self._settle()
        raw = self._http.request("/screen", [("format", "png")])
        try:
            image = Image.open(io.BytesIO(raw)).convert("RGB")
        except Exception as exc:
            raise RemoteEmulatorError(
                f"SkyEmu at {self._http.base_url} sent a /screen that is not an image ({exc})"
            ) from None
        return np.asarray(image, dtype=np.uint8)

    def _settle(self) -> None:
        """A load held back for the next step, done now (something reads the state)."""
        if self._pending_load is not None:
            if self._buttons != 0:
                self._ok("/input", _input_query(0), "set the buttons")
                self._buttons = 0
            self._resolve_load()

    def _read(self, address: int, size: int) -> bytes:
        self._settle()
        out = bytearray()
        chunk = self._read_chunk
        for start in range(address, address + size, chunk):
            count = min(chunk, address + size - start)
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
        self._settle()
        for offset in range(0, len(data), WRITE_CHUNK):
            chunk = data[offset : offset + WRITE_CHUNK]
            query = [(f"{address + offset + i:08x}", f"{b:02x}") for i, b in enumerate(chunk)]
            self._ok("/write_byte", query, f"write {len(chunk)} bytes")

    def _save_state(self) -> bytes:
        self._settle()
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
        self._pending_load = path  # (sent with the next step: see the module doc)

    def _reset(self) -> None:
        self._pending_load = None
        self._load_rom(self._rom_path)
        self._buttons = -1

    def _close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self._state_dir, ignore_errors=True)
