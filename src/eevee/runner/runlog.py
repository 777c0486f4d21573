"""The run folder: event log (JSON lines), summary, savestate and screenshots.

Events are buffered in memory and written in batches by :meth:`RunLog.flush`, which the
session calls between frames at a low rate, never on every frame. Files that replace
earlier versions (summary, savestate) are written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from eevee.cartridges.build import write_atomic


class RunLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "screenshots").mkdir(exist_ok=True)
        self._events_path = folder / "events.jsonl"
        self._events_path.write_text("", encoding="utf-8")
        self._pending: list[str] = []
        self.event_count = 0

    def event(self, frame: int, kind: str, **data: Any) -> None:
        self._pending.append(json.dumps({"frame": frame, "event": kind, **data}, sort_keys=True))
        self.event_count += 1

    def flush(self) -> None:
        """Append the buffered events to ``events.jsonl`` now."""
        self.write_events(self.take())

    def take(self) -> list[str]:
        """The buffered event lines, handed over (the buffer starts empty again): the
        frame thread takes them, a writer thread writes them (:meth:`write_events`)."""
        lines, self._pending = self._pending, []
        return lines

    def write_events(self, lines: list[str]) -> None:
        """Append ``lines`` (from :meth:`take`) to ``events.jsonl``."""
        if lines:
            with self._events_path.open("a", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")

    def write_json(self, name: str, data: Any) -> None:
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        write_atomic(self.folder / name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> None:
        write_atomic(self.folder / name, data)

    def screenshot(self, frame: int, pixels: np.ndarray) -> Path:
        from PIL import Image

        path = self.folder / "screenshots" / f"{frame:08d}.png"
        Image.fromarray(np.ascontiguousarray(pixels)).save(path)
        return path
