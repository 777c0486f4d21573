"""Real model servers for the tests, started and stopped here: llama.cpp's OpenAI-compatible
server (``llama-cpp-python[server]``) and ``transformers serve``, both on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(cmd: list[str], port: int, log: Path, *, wait_s: float = 180.0) -> Iterator[str]:
    """Run ``cmd`` until the block ends; yields the ``/v1`` address once it answers."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + wait_s
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited ({proc.returncode}): "
                                       + log.read_text(errors="replace")[-2000:])
                try:
                    with urllib.request.urlopen(url + "/models", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not answer in time: "
                                       + log.read_text(errors="replace")[-2000:])
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def llama_cpp(model: Path, log: Path) -> contextlib.AbstractContextManager[str]:
    """llama.cpp's server (llama-cpp-python) on ``model``, one thread, greedy by default."""
    port = free_port()
    return serving([sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                    "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
                    "--chat_format", "chatml", "--n_threads", "1", "--seed", "0",
                    "--verbose", "False"], port, log)


def transformers_serve(model: Path, log: Path) -> contextlib.AbstractContextManager[str]:
    """``transformers serve`` pinned to the checkpoint folder ``model``, on the CPU."""
    port = free_port()
    return serving([str(BIN / "transformers"), "serve", str(model), "--host", "127.0.0.1",
                    "--port", str(port), "--device", "cpu"], port, log)
