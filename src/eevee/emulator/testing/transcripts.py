"""Recorded answers of a real emulator server, and a server that plays them back.

The SkyEmu client is tested against the real SkyEmu where it runs (built from its source;
see the README), and everywhere else against what the real one answered then:

- :class:`RecordingProxy` sits between the client and the real server, passes every
  request on, and writes each exchange (the request, the status, the reply; for
  ``/save``, the state file the server wrote) to a transcript, one per test;
- :class:`ReplayServer` answers a client from a transcript: each request must be the one
  recorded next (else HTTP 500 naming both), and the reply is the recorded one (for
  ``/save``, the recorded state file is written where the client asked).

Transcripts are data (requests and answers), gzipped JSON lines. File paths in requests
(the client's own temporary folder) are written as ``{state}/NAME``.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_STATE = re.compile(r"^.*-skyemu/")  # the client's temporary folder (mkdtemp("-skyemu"))


def normalise(query: list[tuple[str, str]]) -> list[list[str]]:
    return [[k, _STATE.sub("{state}/", v)] for k, v in query]


class _Server:
    """A threaded HTTP server on 127.0.0.1 whose GETs go to :meth:`answer`."""

    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                status, ctype, body = owner.answer(parts.path, query)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def answer(self, path: str, query: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        raise NotImplementedError

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RecordingProxy(_Server):
    """Passes requests on to ``target`` and records them in ``folder/NAME.jsonl.gz``."""

    def __init__(self, target: str, folder: Path) -> None:
        self.target = target.rstrip("/")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.entries: list[dict[str, Any]] = []
        self.name: str | None = None
        super().__init__()

    def begin(self, name: str) -> None:
        """Start the transcript ``name`` (the previous one is written out)."""
        self.end()
        self.name, self.entries = name, []

    def end(self) -> None:
        if self.name is not None:
            path = self.folder / f"{self.name}.jsonl.gz"
            with gzip.open(path, "wt", encoding="utf-8") as f:
                for e in self.entries:
                    f.write(json.dumps(e, sort_keys=True) + "\n")
            self.name = None

    def answer(self, path: str, query: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        url = self.target + path + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse
                                                                 .quote) if query else "")
        with self.lock:
            try:
                with urllib.request.urlopen(url, timeout=120) as r:
                    status, ctype, body = r.status, r.headers.get("Content-Type", ""), r.read()
            except urllib.error.HTTPError as exc:
                status, ctype, body = exc.code, exc.headers.get("Content-Type", ""), exc.read()
            entry: dict[str, Any] = {"path": path, "query": normalise(query),
                                     "status": status, "type": ctype,
                                     "body": base64.b64encode(body).decode("ascii")}
            if path == "/save" and status == 200:
                saved = Path(dict(query).get("path", ""))
                if saved.is_file():
                    entry["file"] = base64.b64encode(saved.read_bytes()).decode("ascii")
            self.entries.append(entry)
        return status, ctype, body

    def close(self) -> None:
        self.end()
        super().close()


class ReplayServer(_Server):
    """Answers from the transcripts in ``folder``, strictly in order (module doc)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.entries: list[dict[str, Any]] = []
        self.next = 0
        self.name = ""
        super().__init__()

    def begin(self, name: str) -> bool:
        """Play the transcript ``name`` from its start; False when there is none."""
        path = self.folder / f"{name}.jsonl.gz"
        if not path.is_file():
            return False
        with gzip.open(path, "rt", encoding="utf-8") as f:
            self.entries = [json.loads(line) for line in f if line.strip()]
        self.name, self.next = name, 0
        return True

    def answer(self, path: str, query: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        with self.lock:
            got = {"path": path, "query": normalise(query)}
            if self.next >= len(self.entries):
                return 500, "text/plain", (f"transcript {self.name} ends; got {got}").encode()
            e = self.entries[self.next]
            if {"path": e["path"], "query": e["query"]} != got:
                want = {"path": e["path"], "query": e["query"]}
                return 500, "text/plain", (f"transcript {self.name} request {self.next}: "
                                           f"recorded {want}, got {got}")[:2000].encode()
            self.next += 1
            if "file" in e:
                Path(dict(query)["path"]).write_bytes(base64.b64decode(e["file"]))
            return int(e["status"]), str(e["type"]), base64.b64decode(e["body"])

    @property
    def done(self) -> bool:
        """Every recorded request was asked for."""
        return self.next == len(self.entries)
