"""Record a run as it plays: the start state, every frame's buttons, hashes, decisions.

The frame thread does as little as it can: :meth:`Recorder.push` (every frame) extends a
run of equal buttons or starts a new one — two comparisons, no allocation while the
buttons stay the same; :meth:`Recorder.checkpoint` (once a second of game time) copies
the screen and the work RAM. Hashing, packing and the file writes happen in
:meth:`Recorder.write`, which the caller runs on its writer thread with what
:meth:`Recorder.take` handed over. The file only grows by whole chunks, flushed as they
are written, so a killed run's recording is readable up to its last flush.

>>> import tempfile, pathlib
>>> from eevee.emulator import open_emulator
>>> from eevee.cartridges.registry import get
>>> from eevee.replay.reader import read_recording
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with open_emulator(get("maze").rom_path, backend="pyboy") as emu:
...     rec = Recorder(folder / "recording.eevr", emu, {"rom": "maze"}, hash_every=4)
...     for b in (0, 0, 1, 1, 1, 0, 0, 0):
...         emu.step(b); rec.push(b)
...         if rec.due(): rec.checkpoint(emu)
...     rec.write(rec.take()); rec.close(emu, "frame limit")
>>> r = read_recording(folder / "recording.eevr")
>>> r.frames, sorted(r.checks), r.buttons.tolist()
(8, [4, 8], [0, 0, 1, 1, 1, 0, 0, 0])
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from eevee.emulator.base import Emulator
from eevee.errors import RecordingError
from eevee.replay.format import (
    BUTTONS,
    CHECK,
    DECISION,
    END,
    HASHED_RAM,
    HEADER,
    MAGIC,
    START,
    VERSION,
    chunk,
    pack_buttons,
    state_hashes,
)

RECORDING = "recording.eevr"  # its name in a run folder
HASH_EVERY = 60  # frames between checkpoints (one second of game time)


class Recorder:
    """Appends one run to ``path`` (see the module doc). ``header``: what the replay
    needs to open the same game (``rom``, ``sha1``, ``profile`` …); the platform, the
    backend and the hash interval are added here."""

    def __init__(self, path: Path, emu: Emulator, header: dict[str, Any], *,
                 hash_every: int = HASH_EVERY) -> None:
        if hash_every < 1:
            raise ValueError(f"hash_every must be at least 1, got {hash_every}")
        self.path = path
        self.hash_every = hash_every
        self.frames = 0  # frames pushed
        self._start = emu.frame
        regions = emu.platform.regions
        self._ram = tuple((regions[n].start, regions[n].size)
                          for n in HASHED_RAM[emu.platform.name])
        self._last = -1
        self._run = 0
        self.held = 0  # the buttons of the last frame pushed
        self._pairs: list[tuple[int, int]] = []
        self._span = 0  # first frame of the buttons not yet in a chunk
        self._pending: list[Any] = []
        self._items: list[dict[str, Any]] = []
        self._first = 0
        head = {**header, "version": VERSION, "platform": emu.platform.name,
                "backend": emu.backend, "hash_every": hash_every,
                "hashed_ram": list(HASHED_RAM[emu.platform.name])}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # unbuffered: a write that fails leaves nothing behind to be flushed later
            self._file: BinaryIO | None = path.open("wb", buffering=0)
            self._put(MAGIC + chunk(HEADER, 0, json.dumps(head, sort_keys=True).encode())
                      + chunk(START, 0, zlib.compress(emu.save_state(), 6)))
        except OSError as exc:
            raise RecordingError(f"cannot write the recording {path}: {exc.strerror or exc}; "
                                 "free some space or choose another --out") from exc

    # ------------------------------------------------------------------ frame thread
    def push(self, buttons: int) -> None:
        """The buttons of the frame just stepped."""
        if buttons == self._last:
            self._run += 1
        else:
            if self._run:
                self._pairs.append((self._last, self._run))
            self._last, self._run = buttons, 1
        self.frames += 1
        self.held = buttons

    def due(self) -> bool:
        """Whether a checkpoint is due now (every ``hash_every`` frames)."""
        return self.frames % self.hash_every == 0

    def checkpoint(self, emu: Emulator) -> None:
        """Keep the screen and work RAM after the frames pushed so far (hashed later)."""
        self._close_span()
        self._pending.append((self.frames, emu.screen().tobytes(),
                              emu.read_spans(self._ram)))

    def decisions(self, frame: int, items: list[dict[str, Any]]) -> None:
        """What the agent decided, saw or learned (JSON-safe dicts, each with its
        ``frame``); gathered into one compressed chunk per write."""
        if items:
            if not self._items:
                self._first = frame
            self._items.extend(items)

    def take(self) -> list[Any]:
        """What is waiting to be written (the caller hands it to :meth:`write`)."""
        self._close_span()
        if self._items:
            data = json.dumps(self._items, separators=(",", ":"), default=str).encode()
            self._pending.append(chunk(DECISION, self._first, zlib.compress(data, 6)))
            self._items = []
        taken, self._pending = self._pending, []
        return taken

    def _close_span(self) -> None:
        pairs = self._pairs
        if self._run:
            pairs = [*pairs, (self._last, self._run)]
        if pairs:
            self._pending.append(chunk(BUTTONS, self._span, pack_buttons(pairs)))
        self._span = self.frames
        self._pairs = []
        self._last, self._run = -1, 0

    # ------------------------------------------------------------------ writer thread
    def write(self, items: list[Any]) -> None:
        """Hash the checkpoints and append everything to the file, flushed."""
        if self._file is None:
            return
        out = bytearray()
        for item in items:
            if isinstance(item, tuple):
                frame, screen, ram = item
                out += chunk(CHECK, frame, state_hashes(screen, ram))
            else:
                out += item
        if out:
            start = self._file.tell()
            try:
                self._put(bytes(out))
            except OSError as exc:
                # (cut back to the last whole chunk, and write no more: the recording
                # stays readable up to here)
                with contextlib.suppress(OSError):
                    os.truncate(self.path, start)
                with contextlib.suppress(OSError):
                    self._file.close()
                self._file = None
                raise RecordingError(f"cannot write the recording {self.path}: "
                                     f"{exc.strerror or exc}; free some space") from exc

    def _put(self, data: bytes) -> None:
        """All of ``data`` appended and on the disk."""
        assert self._file is not None
        view = memoryview(data)
        while view:
            view = view[self._file.write(view) or 0:]
        os.fsync(self._file.fileno())

    def close(self, emu: Emulator, stopped_by: str) -> None:
        """The last buttons, a final checkpoint and the end mark; the file closed."""
        if self._file is None:
            return
        missing = emu.frame - self._start - self.frames
        for _ in range(max(0, missing)):  # stepped, but stopped before it was pushed
            self.push(self.held)
        if self.frames % self.hash_every:
            self.checkpoint(emu)
        end = json.dumps({"frames": self.frames, "stopped_by": stopped_by}).encode()
        self.write([*self.take(), chunk(END, self.frames, end)])
        self._file.close()
        self._file = None
