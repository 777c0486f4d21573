"""The run folder: event log (JSON lines), machine metrics, summary, savestate, screenshots.

``events.jsonl`` holds what happened in the game and the agent — in virtual time the same
seed and strategist give the same file on any machine. ``metrics.jsonl`` holds what this
machine measured (resident memory samples, deadline misses with their lateness), which
no two runs share. Both are buffered in memory and appended in whole lines, flushed to
the disk, between frames about once a second of game time (a torn last line after a
kill is skipped on reading: :func:`eevee.runtime.files.read_jsonl`). Every other file
(summary, savestate, screenshots) is written atomically. A folder that already holds a
run is never written over.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from eevee.errors import StorageError
from eevee.runtime.files import append_lines, storage_error, write_atomic

RUN_FILES = ("events.jsonl", "summary.json", "recording.eevr", "final.state")


class RunLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if folder.exists() and not folder.is_dir():
            raise StorageError(f"--out {folder} is a file, not a folder: choose another --out")
        if folder.is_dir() and any((folder / name).exists() for name in RUN_FILES):
            raise StorageError(f"--out {folder} already holds a run: choose another --out "
                               "(or remove that folder) so nothing saved there is lost")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "screenshots").mkdir(exist_ok=True)
            self._events_path = folder / "events.jsonl"
            self._events_path.write_text("", encoding="utf-8")
            self._metrics_path = folder / "metrics.jsonl"
            self._metrics_path.write_text("", encoding="utf-8")
        except OSError as exc:
            raise storage_error(folder, exc, "make the run folder") from exc
        self._pending: list[str] = []
        self._metrics: list[str] = []
        self.event_count = 0

    def event(self, frame: int, kind: str, **data: Any) -> None:
        self._pending.append(json.dumps({"frame": frame, "event": kind, **data},
                                        sort_keys=True, default=str))
        self.event_count += 1

    def metric(self, frame: int, kind: str, **data: Any) -> None:
        """A measurement of this machine (memory, a deadline miss): ``metrics.jsonl``."""
        self._metrics.append(json.dumps({"frame": frame, "metric": kind, **data},
                                        sort_keys=True))

    def flush(self) -> None:
        """Append the buffered events and metrics to their files now."""
        self.write_events(self.take())

    def take(self) -> tuple[list[str], list[str]]:
        """The buffered event and metric lines, handed over (the buffers start empty
        again): the frame thread takes them, a writer thread writes them
        (:meth:`write_events`)."""
        taken = (self._pending, self._metrics)
        self._pending, self._metrics = [], []
        return taken

    def write_events(self, taken: tuple[list[str], list[str]]) -> None:
        """Append what :meth:`take` handed over to ``events.jsonl`` and ``metrics.jsonl``."""
        for path, lines in zip((self._events_path, self._metrics_path), taken, strict=True):
            append_lines(path, lines)

    def write_json(self, name: str, data: Any) -> None:
        text = json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"
        write_atomic(self.folder / name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> None:
        write_atomic(self.folder / name, data)

    def screenshot(self, frame: int, pixels: np.ndarray) -> Path:
        from PIL import Image

        path = self.folder / "screenshots" / f"{frame:08d}.png"
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(pixels)).save(buf, format="PNG")
        write_atomic(path, buf.getvalue())
        return path
