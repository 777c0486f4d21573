"""A clean stop on Ctrl-C, SIGTERM and SIGHUP: the run stops at the next frame boundary
and leaves its folder complete.

The signal handler only notes the reason; the frame loop's between-frames hook sees it
and stops there, so no write is ever cut in half by the signal. A second signal while the
run folder is being finished says so and changes nothing. The command line exits with
the usual status for the signal: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP.

>>> import os, signal
>>> with Stopper() as stop:
...     os.kill(os.getpid(), signal.SIGTERM)
...     stop.reason, stop.exit_code
('SIGTERM', 143)
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType, TracebackType
from typing import Any

NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}
if hasattr(signal, "SIGHUP"):
    NAMES[signal.SIGHUP] = "SIGHUP"
EXIT_CODES = {"Ctrl-C": 130, "SIGTERM": 143, "SIGHUP": 129}


class Stopper:
    """Notes the first stop signal while active (main thread only; elsewhere a no-op)."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self._old: dict[int, Any] = {}
        self._told = False

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.reason or "", 0)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.reason is None:
            self.reason = NAMES.get(signal.Signals(signum), f"signal {signum}")
        elif not self._told:
            self._told = True
            sys.stderr.write("\neevee: stopping: saving the run folder, one moment\n")

    def __enter__(self) -> Stopper:
        if threading.current_thread() is threading.main_thread():
            for sig in NAMES:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()
