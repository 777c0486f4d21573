"""Run any backend in a child process: the way to have several ``retro`` emulators at once.

:class:`SubprocessEmulator` starts a fresh Python process (``python -m
eevee.emulator.process``, so scripts need no ``if __name__ == "__main__"`` guard), opens
the backend there and forwards every call over a pair of pipes (about 0.1 ms per call, plus
the screen's bytes). Errors raised in the child arrive as the same :mod:`eevee.errors`
exceptions.

>>> from eevee.cartridges import get
>>> emus = [SubprocessEmulator(get("quest").rom_path, backend="retro") for _ in range(2)]
>>> emus[0].step(frames=10); emus[1].step(frames=30)
>>> [emu.read_u32(0x02000000) for emu in emus]   # two retro cores, one per child process
[8, 28]
>>> for emu in emus:
...     emu.close()
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from eevee.emulator.base import Emulator
from eevee.emulator.platform import PLATFORMS
from eevee.errors import EeveeError, EmulatorError

_START_TIMEOUT_S = 120.0


class _Duplex:
    """Two one-way pipe connections used as one."""

    def __init__(self, rx: Connection, tx: Connection) -> None:
        self.rx, self.tx = rx, tx

    def send(self, obj: Any) -> None:
        self.tx.send(obj)

    def recv(self) -> Any:
        return self.rx.recv()

    def poll(self, timeout: float) -> bool:
        return self.rx.poll(timeout)

    def close(self) -> None:
        self.rx.close()
        self.tx.close()


def _serve(conn: _Duplex, rom: str | None, backend: str, opts: dict[str, Any]) -> None:
    """Child process main loop: open the emulator, then answer calls until ``close``."""
    from eevee.emulator import open_emulator

    try:
        emu = open_emulator(rom, backend=backend, **opts)
    except BaseException as exc:  # report every failure to the parent
        conn.send(("err", _portable(exc)))
        return
    conn.send(("ok", {
        "platform": emu.platform.name,
        "backend": emu.backend,
        "realtime_only": emu.realtime_only,
        "readable_regions": emu.readable_regions,
    }))
    with emu:
        while True:
            try:
                method, args = conn.recv()
            except (EOFError, OSError):
                return
            if method == "close":
                conn.send(("ok", None))
                return
            try:
                result = getattr(emu, method)(*args)
                if isinstance(result, np.ndarray):
                    result = np.ascontiguousarray(result)
                conn.send(("ok", result))
            except BaseException as exc:
                conn.send(("err", _portable(exc)))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it pickles as itself (our errors, ValueError ...), else an EmulatorError."""
    if isinstance(exc, (EeveeError, ValueError, TypeError, KeyError)):
        return exc
    return EmulatorError(f"the emulator process failed: {type(exc).__name__}: {exc}")


class SubprocessEmulator(Emulator):
    """Backend ``backend`` running in its own process; same interface as any emulator."""

    backend = "subprocess"

    def __init__(
        self, rom: str | os.PathLike[str] | None, backend: str = "auto", **opts: Any
    ) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        rom_arg = None if rom is None else os.fspath(rom)
        cmd = [sys.executable, "-I", "-m", "eevee.emulator.process", str(to_child_r),
               str(from_child_w)]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                      pass_fds=(to_child_r, from_child_w))
        os.close(to_child_r)
        os.close(from_child_w)
        self._conn = _Duplex(Connection(from_child_r, writable=False),
                             Connection(to_child_w, readable=False))
        assert self._proc.stdin is not None
        self._proc.stdin.write(pickle.dumps((rom_arg, backend, opts)))
        self._proc.stdin.close()
        if not self._conn.poll(_START_TIMEOUT_S):
            self._proc.kill()
            raise EmulatorError(
                f"the {backend} emulator process did not start within {_START_TIMEOUT_S:.0f} s"
            )
        info = self._receive()
        super().__init__(PLATFORMS[info["platform"]])
        self.backend = f"{info['backend']}@subprocess"
        self.realtime_only = bool(info["realtime_only"])
        self.readable_regions = info["readable_regions"]

    @property
    def pid(self) -> int | None:
        """The child process id."""
        return self._proc.pid

    def _receive(self) -> Any:
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):
            try:
                code = self._proc.wait(2.0)
            except subprocess.TimeoutExpired:
                code = None
            raise EmulatorError(
                f"the emulator process died (exit code {code}); "
                "run the same backend in-process to see its error"
            ) from None
        if status == "err":
            raise value
        return value

    def call(self, method: str, *args: Any) -> Any:
        """Call ``method`` of the emulator in the child (for backend-specific methods)."""
        try:
            self._conn.send((method, args))
        except (BrokenPipeError, OSError):
            raise EmulatorError(
                f"the emulator process is gone (exit code {self._proc.poll()})"
            ) from None
        return self._receive()

    def _step(self, buttons: int, frames: int) -> None:
        self.call("step", buttons, frames)

    def _screen(self) -> np.ndarray:
        screen: np.ndarray = self.call("screen")
        return screen

    def _read(self, address: int, size: int) -> bytes:
        data: bytes = self.call("read", address, size)
        return data

    def _write(self, address: int, data: bytes) -> None:
        self.call("write", address, data)

    def _save_state(self) -> bytes:
        state: bytes = self.call("save_state")
        return state

    def _load_state(self, state: bytes) -> None:
        self.call("load_state", state)

    def _reset(self) -> None:
        self.call("reset")

    def pause(self) -> None:
        super().pause()
        self.call("pause")

    def resume(self) -> None:
        super().resume()
        self.call("resume")

    def _close(self) -> None:
        try:
            if self._proc.poll() is None:
                self._conn.send(("close", ()))
                if self._conn.poll(5.0):
                    self._conn.recv()
        except (OSError, EOFError):
            pass
        try:
            self._proc.wait(5.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(1.0)
        self._conn.close()


def main() -> None:
    """Child side: ``python -m eevee.emulator.process RX_FD TX_FD``, arguments on stdin."""
    rx = Connection(int(sys.argv[1]), writable=False)
    tx = Connection(int(sys.argv[2]), readable=False)
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    rom, backend, opts = pickle.loads(sys.stdin.buffer.read())
    _serve(_Duplex(rx, tx), rom, backend, opts)


if __name__ == "__main__":
    main()
