"""The live dashboard: a small web server that shows a running game and takes controls.

Design
------
The frame loop and the dashboard meet only in :class:`~eevee.runner.live.LiveState`: the
runner *publishes* a copied screen and a JSON-safe ``info`` dict (plus, optionally, an
``overlay`` RGB array) and returns at once; the dashboard *reads* the latest publication
and *sets* controls (pause, resume, step, held buttons). Nothing here ever runs on the
frame loop's thread or makes it wait:

- uvicorn serves a FastAPI app on a daemon thread with its own event loop
  (:meth:`Dashboard.start` binds the socket itself, so ``port=0`` picks a free port and
  :attr:`Dashboard.port` holds the real one before the URL is returned);
- each WebSocket client has a *push* task that waits for a newer publication with
  ``live.wait(after, timeout)`` **in a worker thread** (the LiveState lock is held only
  for that wait, never while encoding), encodes the screen and the overlay as PNG with
  Pillow (in a worker thread too; one encoding per version, shared by every client and
  ``/frame.png``) and sends one JSON text message — at most :data:`MAX_PUSH_HZ` a
  second, and only when the version changed. When only the controls changed (the loop
  is paused and publishes nothing), a small ``{"type": "status"}`` message says so;
- a *receive* task reads client commands and validates them strictly
  (:func:`apply_command`): unknown commands and wrong types are ignored, held buttons
  are masked to 10 bits, step counts clamped to 1..600.

Routes: ``GET /`` the page (``page.html``, one file, no external resources),
``GET /frame.png`` (latest screen; ``?scale=N`` enlarges it with nearest-neighbour
pixels), ``GET /state`` (latest info as JSON, without the overlay), ``WS /ws``.

Security: it binds 127.0.0.1 by default. Binding any other address needs a token (a
:class:`~eevee.errors.ConfigError` otherwise, raised before anything is bound) and
prints a one-line warning. With a token, every request and the WebSocket must carry
``?token=...``: HTTP answers 403 and the WebSocket is closed with code 1008 otherwise.

fastapi and uvicorn are imported only when the server starts (``pip install
'eevee[dashboard]'``), so ``import eevee.dashboard`` stays light.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import ipaddress
import json
import secrets
import socket
import sys
import threading
import time
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import quote

import numpy as np

from eevee.errors import ConfigError
from eevee.runner.live import LiveState, Publication

if TYPE_CHECKING:
    from types import TracebackType

    from fastapi import FastAPI, WebSocket
    from starlette.requests import Request
    from starlette.responses import Response

MAX_PUSH_HZ = 10  # WebSocket messages per second per client, at most
WAIT_S = 0.2  # how long a push task waits for a publication before it looks at controls
BUTTON_MASK = 0x3FF  # the 10 GBA buttons
MAX_STEP = 600  # frames one step command may ask for
MAX_COMMAND_BYTES = 1024  # longer client messages are ignored
START_TIMEOUT_S = 10.0
INSTALL_HINT = "pip install 'eevee[dashboard]'"


# ---------------------------------------------------------------------------- helpers
def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def apply_command(live: LiveState, raw: str | bytes) -> str | None:
    """Apply one client message to ``live``; the command applied, or None if ignored.

    >>> live = LiveState()
    >>> apply_command(live, '{"cmd": "keys", "buttons": 65535}'), live.keys
    ('keys', 1023)
    >>> apply_command(live, '{"cmd": "step", "frames": "3"}'), apply_command(live, "[1]")
    (None, None)
    >>> apply_command(live, '{"cmd": "pause"}'), live.paused
    ('pause', True)
    """
    if len(raw) > MAX_COMMAND_BYTES:
        return None
    try:
        msg = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(msg, dict):
        return None
    cmd = msg.get("cmd")
    if cmd == "pause":
        live.pause()
    elif cmd == "resume":
        live.resume()
    elif cmd == "step":
        frames = msg.get("frames", 1)
        if not _is_int(frames):
            return None
        live.step(min(MAX_STEP, max(1, frames)))
    elif cmd == "keys":
        buttons = msg.get("buttons")
        if not _is_int(buttons):
            return None
        live.set_keys(buttons & BUTTON_MASK)
    else:
        return None
    return str(cmd)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def encode_png(image: Any, scale: int = 1) -> bytes | None:
    """An RGB (or grey) uint8 array as PNG bytes (None if it is not an image)."""
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or image.size == 0:
        return None
    from PIL import Image

    arr = image[:, :, :3] if image.ndim == 3 else image
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    pic = Image.fromarray(np.ascontiguousarray(arr, dtype=np.uint8))
    if scale > 1:
        pic = pic.resize((pic.width * scale, pic.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    pic.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _json_default(value: Any) -> Any:
    """numpy scalars become numbers; anything else not JSON-safe becomes null."""
    if isinstance(value, np.generic):
        return value.item()
    return None


def json_info(pub: Publication, live: LiveState) -> dict[str, Any]:
    """The publication's info without the overlay, with current controls and frame."""
    info = {k: v for k, v in pub.info.items() if k != "overlay"}
    info.setdefault("frame", pub.frame)
    info["paused"] = live.paused
    info["human"] = live.human
    info["version"] = pub.version
    return info


class _Encoder:
    """Encodes a publication's screen and overlay once; every client shares it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = -1
        self._frame: bytes | None = None
        self._overlay: bytes | None = None
        self._overlay_of: Any = None  # the image ``_overlay`` was encoded from

    def pngs(self, pub: Publication) -> tuple[bytes | None, bytes | None]:
        """(screen PNG, overlay PNG or None) of ``pub`` — call from a worker thread."""
        with self._lock:
            if self._version == pub.version:
                return self._frame, self._overlay
        frame = encode_png(pub.screen)
        image = pub.info.get("overlay")
        # (the same overlay rides along several publications: encode it once)
        overlay = (self._overlay if image is not None and image is self._overlay_of
                   else encode_png(image))
        with self._lock:
            self._version, self._frame, self._overlay = pub.version, frame, overlay
            self._overlay_of = image
        return frame, overlay

    def message(self, pub: Publication, live: LiveState) -> str:
        """The WebSocket message for ``pub``: info, ``frame_png``, ``overlay_png``."""
        frame, overlay = self.pngs(pub)
        msg = json_info(pub, live)
        msg["type"] = "frame"
        msg["frame_png"] = base64.b64encode(frame).decode("ascii") if frame else None
        if overlay is not None:
            msg["overlay_png"] = base64.b64encode(overlay).decode("ascii")
        return json.dumps(msg, default=_json_default)


def load_page() -> str:
    """The dashboard page (``page.html`` next to this module)."""
    return resources.files("eevee.dashboard").joinpath("page.html").read_text("utf-8")


# ---------------------------------------------------------------------------- the app
def create_app(live: LiveState, token: str | None, closing: threading.Event) -> FastAPI:
    """The FastAPI app: ``/``, ``/frame.png``, ``/state`` and ``/ws`` (see module doc)."""
    try:
        from fastapi import FastAPI, Response
        from fastapi.responses import HTMLResponse, PlainTextResponse
    except ImportError as exc:
        raise ConfigError(f"the dashboard needs fastapi and uvicorn: {INSTALL_HINT}") from exc

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    encoder = _Encoder()
    page = load_page()
    no_store = {"Cache-Control": "no-store"}

    def allowed(given: str | None) -> bool:
        return token is None or (given is not None
                                 and secrets.compare_digest(given.encode(), token.encode()))

    @app.middleware("http")
    async def check_token(request: Request, call_next: Any) -> Any:
        if not allowed(request.query_params.get("token")):
            return PlainTextResponse("forbidden: a valid ?token= is required", 403)
        return await call_next(request)

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=no_store)

    async def frame_png(request: Request) -> Response:
        pub = live.latest()
        scale = request.query_params.get("scale", "1")
        factor = min(8, max(1, int(scale))) if scale.isdigit() else 1
        if factor > 1:
            data = await asyncio.to_thread(encode_png, pub.screen, factor)
        else:
            data = (await asyncio.to_thread(encoder.pngs, pub))[0]
        return Response(data or b"", media_type="image/png", headers=no_store)

    async def state(request: Request) -> Response:
        body = json.dumps(json_info(live.latest(), live), default=_json_default)
        return Response(body, media_type="application/json", headers=no_store)

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        if not allowed(websocket.query_params.get("token")):
            await websocket.close(code=1008, reason="a valid ?token= is required")
            return
        await _serve_socket(websocket, live, encoder, closing)

    # plain Starlette routes: no signature introspection (the types are imported lazily)
    app.router.add_route("/", index, methods=["GET"])
    app.router.add_route("/frame.png", frame_png, methods=["GET"])
    app.router.add_route("/state", state, methods=["GET"])
    app.router.add_websocket_route("/ws", ws)
    return app


async def _serve_socket(websocket: WebSocket, live: LiveState, encoder: _Encoder,
                        closing: threading.Event) -> None:
    """Push publications and read commands until the client leaves or the server stops."""
    push = asyncio.ensure_future(_push(websocket, live, encoder, closing))
    recv = asyncio.ensure_future(_receive(websocket, live))
    try:
        await asyncio.wait({push, recv}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (push, recv):
            task.cancel()
        for task in (push, recv):
            with contextlib.suppress(BaseException):
                await task
        with contextlib.suppress(Exception):
            await websocket.close(code=1001)


async def _push(websocket: WebSocket, live: LiveState, encoder: _Encoder,
                closing: threading.Event) -> None:
    """Send each new publication (at most MAX_PUSH_HZ a second) and control changes."""
    sent_version = 0
    sent_controls: tuple[bool, bool] | None = None
    last_send = 0.0
    while not closing.is_set():
        pub = await asyncio.to_thread(live.wait, sent_version, WAIT_S)
        controls = (live.paused, live.human)
        if pub.version != sent_version:
            text = await asyncio.to_thread(encoder.message, pub, live)
            sent_version = pub.version
        elif controls != sent_controls:
            text = json.dumps({"type": "status", "paused": controls[0],
                               "human": controls[1], "version": pub.version})
        else:
            continue
        sent_controls = controls
        await websocket.send_text(text)
        now = time.monotonic()
        await asyncio.sleep(max(0.0, last_send + 1.0 / MAX_PUSH_HZ - now))
        last_send = time.monotonic()


async def _receive(websocket: WebSocket, live: LiveState) -> None:
    """Apply client commands until the client disconnects."""
    while True:
        message = await websocket.receive()
        if message.get("type") == "websocket.disconnect":
            return
        raw = message.get("text")
        if raw is None:
            raw = message.get("bytes")
        if raw is not None:
            apply_command(live, raw)


# ---------------------------------------------------------------------------- server
class Dashboard:
    """The dashboard server for one :class:`LiveState` (see the module doc).

    >>> with Dashboard(LiveState()) as dash:          # doctest: +SKIP
    ...     print(dash.url)
    http://127.0.0.1:40123/
    """

    def __init__(self, live: LiveState, *, host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None) -> None:
        if token is not None and not token:
            raise ConfigError("dashboard token must not be empty; pass --token SECRET")
        if not is_loopback(host) and token is None:
            raise ConfigError(f"dashboard host {host!r} is not a loopback address: "
                              "a token is required (--token SECRET)")
        if not 0 <= int(port) <= 65535:
            raise ConfigError(f"dashboard port {port} is out of range 0..65535")
        self.live = live
        self.host = host.strip().strip("[]")
        self.port = int(port)
        self.token = token
        self.url = ""
        self.address: tuple[str, int] | None = None  # what the socket is bound to
        self._closing = threading.Event()
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Start serving on a daemon thread; the URL (with the token) once it listens."""
        if self._thread is not None:
            return self.url
        try:
            import uvicorn
            from uvicorn.config import WS_PROTOCOLS
        except ImportError as exc:
            raise ConfigError(f"the dashboard needs fastapi and uvicorn: {INSTALL_HINT}") \
                from exc
        self._closing.clear()
        app = create_app(self.live, self.token, self._closing)
        sock = self._bind()
        self.address = (str(sock.getsockname()[0]), int(sock.getsockname()[1]))
        self.port = self.address[1]
        if not is_loopback(self.host):
            print(f"eevee: warning: the dashboard listens on {self.host}:{self.port}, "
                  "reachable from other machines; anyone with the token can control the "
                  "game", file=sys.stderr)
        ws = "websockets-sansio" if "websockets-sansio" in WS_PROTOCOLS else "auto"
        config = uvicorn.Config(app, log_level="warning", access_log=False,
                                lifespan="off", ws=ws)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="eevee-dashboard", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                sock.close()
                raise ConfigError(f"the dashboard could not start on {self.host}:{self.port}")
            time.sleep(0.01)
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = f"?token={quote(self.token, safe='')}" if self.token else ""
        self.url = f"http://{host}:{self.port}/{query}"
        return self.url

    def _bind(self) -> socket.socket:
        """A listening socket on host:port (port 0: a free one)."""
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
            family, kind, proto, _, addr = infos[0]
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
        except OSError as exc:
            raise ConfigError(f"the dashboard cannot listen on {self.host}:{self.port}: "
                              f"{exc.strerror or exc}") from exc
        sock.listen(16)
        sock.setblocking(False)
        return sock

    def stop(self) -> None:
        """Stop serving (open WebSockets are closed); safe to call twice."""
        self._closing.set()
        thread, server = self._thread, self._server
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(5.0)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(2.0)
        self._thread = None

    def __enter__(self) -> Dashboard:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
