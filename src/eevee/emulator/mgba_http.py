"""The ``mgba-http`` backend: a client for mGBA-http (nikouu/mGBA-http).

mGBA-http is a small web server that talks to a Lua script running inside the mGBA
emulator. Start mGBA, load the game, run ``mGBASocketServer.lua`` from Tools → Scripting,
start ``mGBA-http`` (default port 5000), then
``open_emulator("game.gba", backend="mgba-http", url="http://127.0.0.1:5000")``.

For mGBA-http 0.8 and later (its routes as in its source at 0.9.0 and after, commit
873c411, August 2026; the routes of earlier releases are read too where they differ):

- mGBA runs the game in real time and mGBA-http cannot pause it (its ``/core/step`` runs
  one CPU instruction, not a frame), so this backend is ``realtime_only``:
  ``step(buttons, frames)`` sets the held buttons (``/core/setkeys``) and waits until
  mGBA's frame counter (``/core/currentFrame``) has advanced by at least ``frames``;
  every call costs about a frame of mGBA's time, so a step overshoots by a frame or two,
  and :attr:`frame` counts the frames that really passed. Runs are not reproducible.
- ``/core/readrange`` and ``/core/savestatebuffer`` answer bytes as ``d3,00,ea`` (older
  releases: ``[d3,00,ea]``; both are read); ``/core/loadstatebuffer`` takes them in
  brackets. ``/mgba-http/button/tapmany`` and ``holdmany`` take ``buttons``.
- A game is loaded with ``/mgba-http/extension/loadfile`` (load, then reset; the core's
  own ``/core/loadfile`` swaps the ROM under the running game).
- A failed call can answer 200 with an empty body: where an answer is expected, an empty
  one is an error naming the call.
- ``/core/screenshot?path=`` writes a file on mGBA's machine, so ``screen()`` needs mGBA on
  this machine. Also used: ``/core/write8``/``write16``, ``/coreadapter/reset``,
  ``/core/platform``, ``/core/getgametitle``.

Only the stand-in answers in the tests: mGBA-http is a .NET program, and neither it nor
a .NET runtime installs here (the client follows its source, read route by route).

Here against the stand-in server (:mod:`eevee.emulator.testing.servers`), which runs the
game in real time (4× here) as mGBA would:

>>> from eevee.cartridges import get
>>> from eevee.emulator.testing.servers import start_server
>>> with start_server("mgba-http", get("quest").rom_path, "retro", speed=4.0) as url:
...     emu = MgbaHttpEmulator(None, url=url)   # attach to the game mGBA has loaded
...     emu.step(Buttons.A, frames=3)           # returns once 3 frames or more have passed
...     before = emu.read_u32(0x02000000)       # the game's own frame counter
...     emu.step(0, frames=3)
...     emu.title, emu.frame >= 6, emu.read_u32(0x02000000) >= before + 3
...     emu.close()
('EEVEE QUEST', True, True)
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from eevee.emulator._http import HttpClient
from eevee.emulator.base import Emulator
from eevee.emulator.buttons import WIRE_NAMES, Buttons
from eevee.emulator.platform import FRAME_RATE_HZ, PLATFORMS
from eevee.emulator.rom import RomInfo, load_rom
from eevee.errors import RemoteEmulatorError

DEFAULT_URL = "http://127.0.0.1:5000"
READ_CHUNK = 0x10000
HINT = (
    "start mGBA, load the game, run mGBASocketServer.lua (Tools > Scripting), "
    "start mGBA-http and pass its url="
)
_PLATFORM_IDS = {"0": "gba", "1": "gb"}
_HEX_ARRAY = re.compile(r"^\[?([0-9a-fA-F]{1,2}(,[0-9a-fA-F]{1,2})*)?\]?$")

#: mGBA-http key names (KeysEnum) by our button bit; the bitmask order is the same as ours
KEY_NAMES = WIRE_NAMES


def parse_hex_array(text: str, what: str = "reply") -> bytes:
    """``"d3,00,ea"`` (or ``"[d3,00,ea]"``, older releases) -> ``b"\\xd3\\x00\\xea"``;
    RemoteEmulatorError if malformed."""
    cleaned = re.sub(r"\s", "", text)
    if not _HEX_ARRAY.match(cleaned) or cleaned.startswith("[") != cleaned.endswith("]"):
        raise RemoteEmulatorError(
            f"mGBA-http sent a malformed {what} ({cleaned[:40]!r}...); expected d3,00,..."
        )
    inner = cleaned.strip("[]")
    return bytes(int(x, 16) for x in inner.split(",")) if inner else b""


def format_hex_array(data: bytes) -> str:
    """``b"\\xd3\\x00"`` -> ``"[d3,00]"``, what ``/core/loadstatebuffer`` takes."""
    return "[" + ",".join(f"{b:02x}" for b in data) + "]"


class MgbaHttpEmulator(Emulator):
    """A game running in mGBA in real time, driven through mGBA-http."""

    backend = "mgba-http"
    realtime_only = True

    def __init__(
        self,
        rom: str | os.PathLike[str] | RomInfo | None = None,
        *,
        url: str = DEFAULT_URL,
        timeout: float = 5.0,
        load: bool = False,
        fps: float = FRAME_RATE_HZ,
        step_timeout: float = 10.0,
    ) -> None:
        """Connect to mGBA-http at ``url``.

        With a ``rom``: ``load=True`` loads it into mGBA (``/core/loadfile``), otherwise the
        game mGBA runs must have the same header title. ``fps`` is the game speed used to
        sleep between frame-counter polls (raise it if mGBA fast-forwards).
        """
        self._http = HttpClient(url, "mGBA-http", HINT, timeout)
        self._fps = fps
        self._step_timeout = step_timeout
        info = None
        if rom is not None:
            info = rom if isinstance(rom, RomInfo) else load_rom(rom)
            if load:  # (loads, then resets: the core's own loadfile does not reset)
                reply = self._http.text("/mgba-http/extension/loadfile",
                                        [("path", str(info.path.resolve()))], method="POST")
                if reply.lower() == "false":
                    raise RemoteEmulatorError(
                        f"mGBA could not load {info.path}; check that mGBA can read it"
                    )
        platform_id = self._answer("/core/platform")
        if platform_id not in _PLATFORM_IDS:
            raise RemoteEmulatorError(
                f"mGBA-http at {self._http.base_url} has no GBA/GB game running (platform "
                f"{platform_id!r}); load a game in mGBA first"
            )
        platform = _PLATFORM_IDS[platform_id]
        title = self._answer("/core/getgametitle")
        mismatch = info is not None and (
            info.platform != platform or bool(info.title and title and info.title != title)
        )
        if info is not None and mismatch:
            raise RemoteEmulatorError(
                f"mGBA runs {title!r} ({platform}), not {info.path.name} ({info.title!r}); "
                "load that game in mGBA or pass load=True"
            )
        super().__init__(PLATFORMS[platform])
        self.rom = info
        self.title = title
        self._buttons = -1
        self._shot_dir = Path(tempfile.mkdtemp(prefix="eevee-mgba-http-"))

    # ---- mGBA-http-specific ------------------------------------------------------------
    def _answer(self, path: str, query: list[tuple[str, str]] | None = None, **kw: Any) -> str:
        """A call that must answer something (a failed one can answer 200 and nothing)."""
        text = self._http.text(path, query or [], **kw)
        if not text.strip():
            raise RemoteEmulatorError(
                f"mGBA-http at {self._http.base_url} answered {path} with nothing: the call "
                "failed inside mGBA (see its scripting console)"
            )
        return text

    def current_frame(self) -> int:
        """mGBA's own frame counter (``/core/currentFrame``)."""
        text = self._answer("/core/currentFrame")
        try:
            return int(text)
        except ValueError:
            raise RemoteEmulatorError(
                f"mGBA-http answered /core/currentFrame with {text[:40]!r}, not a number"
            ) from None

    def tap(self, buttons: Buttons | int) -> None:
        """Press and release ``buttons`` (``/mgba-http/button/tapmany``), without waiting."""
        keys = [("buttons", name) for bit, name in KEY_NAMES.items() if int(buttons) & bit]
        if keys:
            self._http.text("/mgba-http/button/tapmany", keys, method="POST")

    def hold(self, buttons: Buttons | int, frames: int) -> None:
        """Hold ``buttons`` for ``frames`` frames (``/mgba-http/button/holdmany``), no waiting."""
        keys = [("buttons", name) for bit, name in KEY_NAMES.items() if int(buttons) & bit]
        if keys:
            self._http.text("/mgba-http/button/holdmany", [*keys, ("duration", str(frames))],
                            method="POST")

    # ---- primitives ----------------------------------------------------------------
    def _step(self, buttons: int, frames: int) -> int:
        start = self.current_frame()
        if buttons != self._buttons:
            self._http.text("/core/setkeys", [("keys", str(buttons))], method="POST")
            self._buttons = buttons
        began = time.monotonic()
        target = start + frames
        now = start
        while True:
            wait = (target - now) / self._fps
            if wait > 0.002:
                time.sleep(wait * 0.9)
            now = self.current_frame()
            if now >= target:
                return now - start
            if time.monotonic() - began > self._step_timeout + frames / self._fps:
                raise RemoteEmulatorError(
                    f"mGBA's frame counter stayed at {now} (wanted {target}); is mGBA "
                    "paused? Unpause it: this backend only works in real time"
                )

    def _screen(self) -> np.ndarray:
        from PIL import Image

        path = self._shot_dir / "screen.png"
        path.unlink(missing_ok=True)
        self._http.text("/core/screenshot", [("path", str(path))], method="POST")
        try:
            data = path.read_bytes()
        except OSError:
            raise RemoteEmulatorError(
                f"mGBA did not write its screenshot to {path}; screen() needs mGBA running "
                "on this machine"
            ) from None
        image = Image.open(io.BytesIO(data)).convert("RGB")
        return np.asarray(image, dtype=np.uint8)

    def _read(self, address: int, size: int) -> bytes:
        out = bytearray()
        for start in range(address, address + size, READ_CHUNK):
            count = min(READ_CHUNK, address + size - start)
            text = self._answer(
                "/core/readrange", [("address", f"0x{start:08x}"), ("length", str(count))]
            )
            chunk = parse_hex_array(text, "/core/readrange reply")
            if len(chunk) != count:
                raise RemoteEmulatorError(
                    f"mGBA-http returned {len(chunk)} bytes for a {count}-byte read at "
                    f"0x{start:08X}"
                )
            out += chunk
        return bytes(out)

    def _write(self, address: int, data: bytes) -> None:
        i = 0
        while i < len(data):
            addr = address + i
            if addr % 2 == 0 and i + 1 < len(data):
                value = data[i] | data[i + 1] << 8
                self._http.text("/core/write16", [("address", f"0x{addr:08x}"),
                                                  ("value", str(value))], method="POST")
                i += 2
            else:
                self._http.text("/core/write8", [("address", f"0x{addr:08x}"),
                                                 ("value", str(data[i]))], method="POST")
                i += 1

    def _save_state(self) -> bytes:
        text = self._answer("/core/savestatebuffer", [("flags", "31")], method="POST",
                            timeout=max(self._http.timeout, 30.0))
        return parse_hex_array(text, "save state buffer")

    def _load_state(self, state: bytes) -> None:
        reply = self._http.text(
            "/core/loadstatebuffer", [("flags", "29")], method="POST",
            body=format_hex_array(state).encode("ascii"), timeout=max(self._http.timeout, 30.0),
        )
        if reply.lower() != "true":
            raise RemoteEmulatorError(
                f"mGBA rejected the {len(state)}-byte save state (it said {reply[:40]!r}); "
                "pass bytes from save_state() of the same game"
            )
        self._buttons = -1

    def _reset(self) -> None:
        self._http.text("/coreadapter/reset", method="POST")
        self._buttons = -1

    def _close(self) -> None:
        if self._buttons > 0:
            with contextlib.suppress(RemoteEmulatorError):
                self._http.text("/core/setkeys", [("keys", "0")], method="POST")
        shutil.rmtree(self._shot_dir, ignore_errors=True)
