"""The run's one writer thread: file writes off the frame thread, failures not lost.

The frame thread hands work over with :meth:`Writer.submit` and goes on; what the thread
raised (a full disk, a folder gone read-only) comes back, as the
:class:`~eevee.errors.StorageError` it was, at the next :meth:`Writer.submit` or
:meth:`Writer.check` — so the run stops with one clear line instead of writing
zero-byte files on a full disk.

>>> done = []
>>> w = Writer()
>>> w.submit(done.append, "written")
>>> w.submit(open, "/nonexistent/folder/file", "w")
>>> w.close()
Traceback (most recent call last):
FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/folder/file'
>>> done
['written']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class Writer:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="writer")
        self._futures: deque[Future[Any]] = deque()
        self.failed: BaseException | None = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the writer thread (after everything handed over before)."""
        self.check()
        self._futures.append(self._pool.submit(fn, *args))

    def check(self) -> None:
        """Raise what a finished write raised (once)."""
        while self._futures and self._futures[0].done():
            exc = self._futures.popleft().exception()
            if exc is not None and self.failed is None:
                self.failed = exc
                raise exc

    def close(self) -> None:
        """Wait for every write handed over; raise what one of them raised."""
        self._pool.shutdown(wait=True)
        self.check()
