"""Stand-in servers that speak the SkyEmu and mGBA-http protocols over a real emulator.

SkyEmu and mGBA cannot be installed here, so the HTTP clients are tested against these:
small ``http.server`` programs that implement each documented protocol (SkyEmu's
docs/HTTP_CONTROL_SERVER.md; mGBA-http's endpoints as in its CoreApi/ButtonApi sources)
with one of our own backends behind them (PyBoy or retro), so that the clients read and
write real game memory. They are stand-ins: they check requests strictly (unknown inputs,
wrong HTTP methods and bad addresses are errors) but do not imitate every quirk.

Run one in its own process (so a retro emulator behind it does not clash with yours)::

    python -m eevee.emulator.testing.servers skyemu ROM [--backend retro] [--port 0]

It prints ``listening on http://127.0.0.1:PORT`` when ready. :func:`start_server` does this
from Python and stops it again.

>>> from eevee.cartridges import get
>>> maze = get("maze").rom_path
>>> with start_server("skyemu", maze, "pyboy") as url:
...     emu = open_emulator(maze, backend="skyemu", url=url)
...     emu.step(frames=120)
...     emu.read_u16(0xC000)   # the maze's frame counter, through SkyEmu's /read_byte
...     emu.close()
39
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from eevee.emulator import Emulator, open_emulator
from eevee.emulator.buttons import Buttons
from eevee.emulator.mgba_http import KEY_NAMES, parse_hex_array
from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.emulator.rom import load_rom
from eevee.errors import EeveeError

Reply = tuple[int, str, bytes]
Query = list[tuple[str, str]]


class BadRequest(Exception):
    """The request breaks the protocol; answered with HTTP 400 and this message."""


def _png(emu: Emulator, fmt: str = "png") -> bytes:
    from PIL import Image

    image = Image.fromarray(emu.screen().copy())
    buf = io.BytesIO()
    image.save(buf, format={"png": "PNG", "jpg": "JPEG", "bmp": "BMP"}[fmt])
    return buf.getvalue()


class StandIn:
    """An emulator behind a lock, optionally running in real time on its own thread."""

    def __init__(self, rom: str, backend: str, speed: float) -> None:
        self.rom_path = Path(rom).resolve()
        self.backend = backend
        self.emu = open_emulator(self.rom_path, backend=backend)
        self.lock = threading.Lock()
        self.speed = speed
        self.frames_run = 0
        self.running = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def keys(self) -> int:
        return 0

    def after_frame(self) -> None:
        """Called (under the lock) after each real-time frame."""

    def start_realtime(self) -> None:
        self.running = True
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True, name="realtime")
            self._thread.start()

    def _run(self) -> None:
        period = 1.0 / (FRAME_RATE_HZ * self.speed)
        deadline = time.monotonic()
        while not self._stop.is_set():
            if self.running:
                with self.lock:
                    self.emu.step(self.keys(), 1)
                    self.frames_run += 1
                    self.after_frame()
            deadline += period
            delay = deadline - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.25:
                deadline = time.monotonic()  # fell behind: do not try to catch up

    def reopen(self, path: Path) -> None:
        self.emu.close()
        self.rom_path = path.resolve()
        self.emu = open_emulator(self.rom_path, backend=self.backend)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1.0)
        with self.lock:
            self.emu.close()

    def handle(self, method: str, path: str, query: Query, body: bytes) -> Reply:
        raise NotImplementedError


# ---- SkyEmu ---------------------------------------------------------------------------

SKYEMU_BUTTONS: dict[str, int] = {
    "A": int(Buttons.A), "B": int(Buttons.B), "Select": int(Buttons.SELECT),
    "Start": int(Buttons.START), "Right": int(Buttons.RIGHT), "Left": int(Buttons.LEFT),
    "Up": int(Buttons.UP), "Down": int(Buttons.DOWN), "R": int(Buttons.R), "L": int(Buttons.L),
}
SKYEMU_OTHER_INPUTS = ["X", "Y", "Fold Screen (NDS)", "Tap Screen (NDS)", "Reset Game"] + [
    f"{verb} State {i}" for i in range(4) for verb in ("Capture", "Restore")
]


class SkyEmuStandIn(StandIn):
    """SkyEmu's HTTP control server: paused, moved by /step, or real time after /run;
    ``/status`` as v3's lines (v4+'s JSON is in the tests' transcripts of the real one)."""

    def __init__(self, rom: str, backend: str, speed: float = 1.0) -> None:
        super().__init__(rom, backend, speed)
        self.inputs: dict[str, float] = dict.fromkeys([*SKYEMU_BUTTONS, *SKYEMU_OTHER_INPUTS],
                                                      0.0)

    def keys(self) -> int:
        return sum(bit for name, bit in SKYEMU_BUTTONS.items() if self.inputs[name] >= 0.5)

    def text(self, message: str) -> Reply:
        return 200, "text/plain", message.encode() + b"\0"

    def handle(self, method: str, path: str, query: Query, body: bytes) -> Reply:
        if method != "GET":
            raise BadRequest(f"SkyEmu answers GET only, not {method}")
        handler: Callable[[Query], Reply] | None = getattr(self, "cmd_" + path.strip("/"), None)
        if handler is None:
            return 404, "text/plain", b"unknown command\0"
        with self.lock:
            return handler(query)

    def cmd_ping(self, query: Query) -> Reply:
        return self.text("pong")

    def cmd_status(self, query: Query) -> Reply:
        lines = [
            "SkyEmu (eevee stand-in)",
            f"MODE: {'RUN' if self.running else 'PAUSE'}",
            "ROM Loaded: true",
            f"ROM Path: {self.rom_path}",
            f"Save Path: {self.rom_path.with_suffix('.sav')}",
            "Inputs: ",
            *(f"- {name}: {value:f}" for name, value in self.inputs.items()),
        ]
        return self.text("\n".join(lines) + "\n")

    def cmd_step(self, query: Query) -> Reply:
        frames = int(dict(query).get("frames", "1"))
        if frames < 1:
            raise BadRequest("frames must be at least 1")
        self.running = False
        self.emu.step(self.keys(), frames)
        return self.text("ok")

    def cmd_run(self, query: Query) -> Reply:
        self.start_realtime()
        return self.text("ok")

    def cmd_input(self, query: Query) -> Reply:
        for name, value in query:
            if name not in self.inputs:
                raise BadRequest(f"unknown input {name!r}")
            self.inputs[name] = float(value)
        return self.text("ok")

    def cmd_screen(self, query: Query) -> Reply:
        fmt = dict(query).get("format", "png")
        if fmt not in ("png", "jpg", "bmp"):
            raise BadRequest(f"unknown format {fmt!r}")
        return 200, f"image/{'jpeg' if fmt == 'jpg' else fmt}", _png(self.emu, fmt)

    def cmd_read_byte(self, query: Query) -> Reply:
        out = bytearray()
        addrs = [int(v, 16) for k, v in query if k == "addr"]
        i = 0
        while i < len(addrs):  # read runs of consecutive addresses at once
            j = i + 1
            while j < len(addrs) and addrs[j] == addrs[j - 1] + 1:
                j += 1
            out += self.emu.read(addrs[i], j - i)
            i = j
        return self.text(out.hex())

    def cmd_write_byte(self, query: Query) -> Reply:
        for key, value in query:
            if key == "map":
                continue
            self.emu.write(int(key, 16), bytes([int(value, 16)]))
        return self.text("ok")

    def cmd_save(self, query: Query) -> Reply:
        try:
            Path(dict(query)["path"]).write_bytes(self.emu.save_state())
        except (OSError, KeyError, EeveeError):
            return self.text("failed")
        return self.text("ok")

    def cmd_load(self, query: Query) -> Reply:
        try:
            self.emu.load_state(Path(dict(query)["path"]).read_bytes())
        except (OSError, KeyError, EeveeError):
            return self.text("failed")
        self.emu.step(0, 1)  # (as the real one: a frame, every button released)
        return self.text("ok")

    def cmd_load_rom(self, query: Query) -> Reply:
        args = dict(query)
        try:
            self.reopen(Path(args["path"]))
        except (OSError, KeyError, EeveeError):
            return self.text("Failed to load ROM")
        self.running = args.get("pause", "0") != "1" and self.running
        return self.text("ok")


# ---- mGBA-http -------------------------------------------------------------------------

MGBA_KEYS: dict[str, int] = {name: bit for bit, name in KEY_NAMES.items()}


class MgbaHttpStandIn(StandIn):
    """mGBA with mGBA-http: always running in real time (``speed`` × 59.73 fps)."""

    def __init__(self, rom: str, backend: str, speed: float = 1.0) -> None:
        super().__init__(rom, backend, speed)
        self.core_keys = 0
        self.holds: list[tuple[int, int]] = []  # (keys, last frame held)
        self.start_realtime()

    def keys(self) -> int:
        held = 0
        for keys, _until in self.holds:
            held |= keys
        return self.core_keys | held

    def after_frame(self) -> None:
        if self.holds:
            self.holds = [(k, until) for k, until in self.holds if until > self.frames_run]

    @staticmethod
    def _key(name: str) -> int:
        if name not in MGBA_KEYS:
            raise BadRequest(f"The value '{name}' is not valid for key")
        return MGBA_KEYS[name]

    @staticmethod
    def _address(text: str) -> int:
        return int(text, 16)

    def handle(self, method: str, path: str, query: Query, body: bytes) -> Reply:
        route = ROUTES.get(path.lower())
        if route is None:
            return 404, "text/plain", b""
        want, func = route
        if method != want:
            return 405, "text/plain", b""
        args = dict(query)
        with self.lock:
            result = func(self, args, query, body)
        return 200, "text/plain", result.encode()

    def add_hold(self, keys: int, frames: int) -> str:
        self.holds.append((keys, self.frames_run + frames))
        return ""

    def set_keys(self, keys: int) -> str:
        self.core_keys = keys & 0x3FF
        return ""


def _mgba_read(size: int) -> Callable[[MgbaHttpStandIn, dict[str, str], Query, bytes], str]:
    def read(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
        return str(int.from_bytes(s.emu.read(s._address(a["address"]), size), "little"))
    return read


def _mgba_write(size: int) -> Callable[[MgbaHttpStandIn, dict[str, str], Query, bytes], str]:
    def write(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
        value = int(a["value"])
        if not -(2**31) <= value < 2**31:
            raise BadRequest(f"The value '{value}' is not valid for value (C# int)")
        s.emu.write(s._address(a["address"]), (value & (2 ** (8 * size) - 1)).to_bytes(
            size, "little"))
        return ""
    return write


def _readrange(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    return ",".join(f"{x:02x}" for x in s.emu.read(s._address(a["address"]), int(a["length"])))


def _setkeys(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    return s.set_keys(int(a["keys"]))


def _loadstatebuffer(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    text = b.decode("ascii").strip()  # (its Lua script reads a buffer in brackets only)
    if not (text.startswith("[") and text.endswith("]")):
        return "false"
    try:
        s.emu.load_state(parse_hex_array(text))
    except EeveeError:
        return "false"
    return "true"


def _screenshot(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    Path(a["path"]).write_bytes(_png(s.emu))
    return ""


def _reset(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    s.emu.reset()
    return ""


def _loadfile(s: MgbaHttpStandIn, a: dict[str, str], q: Query, b: bytes) -> str:
    """``/mgba-http/extension/loadfile``: load the ROM, then reset."""
    try:
        s.reopen(Path(a["path"]))
    except EeveeError:
        return "false"
    return "true"


_Handler = Callable[[MgbaHttpStandIn, dict[str, str], Query, bytes], str]

ROUTES: dict[str, tuple[str, _Handler]] = {
    "/core/currentframe": ("GET", lambda s, a, q, b: str(s.frames_run)),
    "/core/platform": ("GET", lambda s, a, q, b: "0" if s.emu.platform.name == "gba" else "1"),
    "/core/getgametitle": ("GET", lambda s, a, q, b: load_rom(s.rom_path).title),
    "/core/getgamecode": ("GET", lambda s, a, q, b: "AGB-" + load_rom(s.rom_path).game_code),
    "/core/romsize": ("GET", lambda s, a, q, b: str(load_rom(s.rom_path).size)),
    "/core/framecycles": ("GET", lambda s, a, q, b: "280896"),
    "/core/frequency": ("GET", lambda s, a, q, b: "16777216"),
    "/core/getkeys": ("GET", lambda s, a, q, b: str(s.keys())),
    "/core/getkey": ("GET", lambda s, a, q, b: "1" if s.keys() & s._key(a["key"]) else "0"),
    "/core/setkeys": ("POST", _setkeys),
    "/core/addkey": ("POST", lambda s, a, q, b: s.set_keys(s.core_keys | s._key(a["key"]))),
    "/core/clearkey": ("POST", lambda s, a, q, b: s.set_keys(s.core_keys & ~s._key(a["key"]))),
    "/core/addkeys": ("POST", lambda s, a, q, b: s.set_keys(s.core_keys | int(a["keyBitmask"]))),
    "/core/clearkeys": ("POST", lambda s, a, q, b: s.set_keys(
        s.core_keys & ~int(a["keyBitmask"]))),
    "/core/read8": ("GET", _mgba_read(1)),
    "/core/read16": ("GET", _mgba_read(2)),
    "/core/read32": ("GET", _mgba_read(4)),
    "/core/readrange": ("GET", _readrange),
    "/core/write8": ("POST", _mgba_write(1)),
    "/core/write16": ("POST", _mgba_write(2)),
    "/core/write32": ("POST", _mgba_write(4)),
    "/core/savestatebuffer": ("POST", lambda s, a, q, b: ",".join(  # (0.8+: no brackets)
        f"{x:02x}" for x in s.emu.save_state())),
    "/core/loadstatebuffer": ("POST", _loadstatebuffer),
    "/core/screenshot": ("POST", _screenshot),
    "/core/loadfile": ("POST", lambda s, a, q, b: "false"),  # (swaps without a reset: no)
    "/mgba-http/extension/loadfile": ("POST", _loadfile),
    "/coreadapter/reset": ("POST", _reset),
    "/coreadapter/memory": ("GET", lambda s, a, q, b: "[" + ",".join(
        f'"{n}"' for n in s.emu.platform.regions) + "]"),
    "/mgba-http/button/tap": ("POST", lambda s, a, q, b: s.add_hold(s._key(a["key"]), 1)),
    "/mgba-http/button/tapmany": ("POST", lambda s, a, q, b: s.add_hold(
        sum({s._key(v) for k, v in q if k == "buttons"}), 1)),
    "/mgba-http/button/hold": ("POST", lambda s, a, q, b: s.add_hold(
        s._key(a["key"]), int(a["duration"]))),
    "/mgba-http/button/holdmany": ("POST", lambda s, a, q, b: s.add_hold(
        sum({s._key(v) for k, v in q if k == "buttons"}), int(a["duration"]))),
}

KINDS: dict[str, type[StandIn]] = {"skyemu": SkyEmuStandIn, "mgba-http": MgbaHttpStandIn}


def make_server(stand_in: StandIn, host: str = "127.0.0.1", port: int = 0) -> HTTPServer:
    """An HTTPServer (not yet serving) that answers with ``stand_in``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                status, ctype, payload = stand_in.handle(method, parts.path, query, body)
            except (BadRequest, KeyError, ValueError, EeveeError) as exc:
                status, ctype, payload = 400, "text/plain", f"{type(exc).__name__}: {exc}".encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return HTTPServer((host, port), Handler)


@contextlib.contextmanager
def start_server(
    kind: str, rom: str | os.PathLike[str], backend: str = "auto", speed: float = 1.0,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Run a stand-in ``kind`` server for ``rom`` in a child process; yields its base url."""
    cmd = [sys.executable, "-m", "eevee.emulator.testing.servers", kind, os.fspath(rom),
           "--backend", backend, "--speed", str(speed)]
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            line = _readline(proc, timeout)
            if not line.startswith("listening on "):
                proc.kill()
                proc.wait()
                errors.seek(0)
                raise RuntimeError(
                    f"{kind} stand-in server did not start: {line!r}\n{errors.read()[-3000:]}"
                )
            yield line.split()[-1]
        finally:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    stdout, result = proc.stdout, []
    assert stdout is not None
    reader = threading.Thread(target=lambda: result.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0].strip() if result else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("rom")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0,
                        help="real-time speed factor (mGBA-http, SkyEmu after /run)")
    args = parser.parse_args(argv)
    stand_in = KINDS[args.kind](args.rom, args.backend, args.speed)
    server = make_server(stand_in, args.host, args.port)
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else host
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        stand_in.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
