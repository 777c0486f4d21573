"""A stand-in chat-completions server: for tests of failures, and for benches of timing.

A stand-in, and only for what a real model server cannot be made to do on demand:
answer HTTP 500, close the connection without a word, take longer than the client
waits, or answer with garbage. It speaks real HTTP on 127.0.0.1, so the real ``openai``
SDK and the strategist's error handling are what is tested. The answers a real server
gives are tested against real servers (llama.cpp, ``transformers serve``) elsewhere.

``behaviour`` is a callable ``(n) -> Reply`` for the n-th request (0-based): a
:class:`Reply` says what to do. ``eevee bench strategist --stand-in LO-HI`` uses one that
answers a fixed, valid strategy after LO to HI seconds: a model server elsewhere (a GPU
machine, a cloud API) as the game's machine sees it, costing it no CPU.

>>> with ChatServer(lambda n: Reply('{"objective": "x", "actions": []}')) as s:
...     s.url.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What the stand-in does with one request."""

    content: str | None = None  # the answer text (a chat completion around it)
    status: int = 200
    delay_s: float = 0.0
    close: bool = False  # close the connection without answering
    raw: bytes | None = None  # send these bytes as the body instead


def completion(content: str) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "stand-in",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}


class ChatServer:
    """``with ChatServer(behaviour) as s:`` … ``s.url`` is the ``/v1`` base address."""

    def __init__(self, behaviour: Callable[[int], Reply]) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                n = len(server.requests)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append(json.loads(body or b"{}"))
                r = server.behaviour(n)
                if r.delay_s:
                    time.sleep(r.delay_s)
                if r.close:
                    self.close_connection = True
                    self.connection.close()
                    return
                data = r.raw if r.raw is not None else json.dumps(
                    completion(r.content or "") if r.status == 200
                    else {"error": {"message": "stand-in failure"}}).encode()
                try:
                    self.send_response(r.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # (the client gave up first)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
