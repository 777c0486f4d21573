"""Read a recording back (see :mod:`eevee.replay.format`), or say where it breaks.

A recording that is damaged — truncated by a kill, a flipped bit, a chunk out of
place — is a :class:`~eevee.errors.RecordingError` naming the frame where it breaks.
With ``partial=True`` the intact part is returned instead, with ``broken`` saying why
the rest is missing, so the frames before the break can still be checked.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eevee.errors import RecordingError
from eevee.replay.format import (
    BUTTONS,
    CHECK,
    DECISION,
    END,
    HEADER,
    START,
    VERSION,
    Chunk,
    iter_chunks,
    unpack_buttons,
)
from eevee.replay.recorder import RECORDING

MAX_BYTES = 1 << 30  # no recording is this large


@dataclass
class Recording:
    """A run's recording: ``buttons[i]`` was held during frame ``i``; ``checks[n]`` are
    the screen and RAM hashes after ``n`` frames."""

    path: Path
    header: dict[str, Any]
    start_state: bytes
    buttons: np.ndarray
    checks: dict[int, bytes] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None
    broken: str | None = None  # why the rest is missing (partial reads only)

    @property
    def frames(self) -> int:
        return int(self.buttons.size)


def recording_path(run: str | Path) -> Path:
    """A run folder (its ``recording.eevr``) or a recording file."""
    p = Path(run)
    if p.is_dir():
        p = p / RECORDING
    if not p.is_file():
        raise RecordingError(f"no recording at {p}: give a run folder made by eevee play "
                             "(it holds recording.eevr) or the recording file itself")
    return p


def read_recording(run: str | Path, *, partial: bool = False) -> Recording:
    """The recording of ``run`` (a run folder or a file); see the module doc."""
    path = recording_path(run)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RecordingError(f"{path} is {size} bytes, larger than any recording: is it "
                             "the right file?")
    data = path.read_bytes()
    parts = _Parts()
    try:
        for c in iter_chunks(data):
            parts.add(c)
        if parts.end is None:
            raise RecordingError(
                f"recording ends at frame {parts.frames} without its end mark (the run "
                "was killed?); replay --partial checks the frames recorded")
    except RecordingError as exc:
        if not partial or parts.header is None or parts.state is None:
            raise
        parts.broken = str(exc)
    if parts.header is None or parts.state is None:
        raise RecordingError(f"{path} has no header or start state: not a whole recording")
    return Recording(path, parts.header, parts.state,
                     np.array(parts.buttons, dtype=np.uint16), parts.checks,
                     parts.decisions, parts.end, parts.broken)


class _Parts:
    """The chunks read so far, checked for order."""

    def __init__(self) -> None:
        self.header: dict[str, Any] | None = None
        self.state: bytes | None = None
        self.buttons: list[int] = []
        self.checks: dict[int, bytes] = {}
        self.decisions: list[dict[str, Any]] = []
        self.end: dict[str, Any] | None = None
        self.broken: str | None = None

    @property
    def frames(self) -> int:
        return len(self.buttons)

    def add(self, c: Chunk) -> None:
        if self.end is not None:
            raise RecordingError(f"recording corrupt at frame {self.frames}: a chunk after "
                                 "the end mark")
        if c.kind == HEADER:
            self.header = _json(c, self.frames)
            if self.header.get("version") != VERSION:
                raise RecordingError(f"recording version {self.header.get('version')!r} "
                                     f"is not {VERSION}: replay it with the Eevee that made it")
        elif self.header is None or (self.state is None and c.kind != START):
            raise RecordingError("recording corrupt at frame 0: it does not begin with its "
                                 "header and start state")
        elif c.kind == START:
            try:
                self.state = zlib.decompress(c.payload)
            except zlib.error as exc:
                raise RecordingError(f"recording corrupt at frame 0: its start state does "
                                     f"not decode ({exc})") from exc
        elif c.kind == BUTTONS:
            if c.frame != self.frames:
                raise RecordingError(f"recording corrupt at frame {self.frames}: buttons for "
                                     f"frame {c.frame} come next")
            for buttons, run in unpack_buttons(c.payload):
                self.buttons.extend([buttons] * run)
        elif c.kind == CHECK:
            if c.frame > self.frames or len(c.payload) != 16:
                raise RecordingError(f"recording corrupt at frame {self.frames}: a checkpoint "
                                     f"for frame {c.frame} does not fit")
            self.checks[c.frame] = c.payload
        elif c.kind == DECISION:
            try:
                self.decisions.extend(json.loads(zlib.decompress(c.payload)))
            except (zlib.error, ValueError) as exc:
                raise RecordingError(f"recording corrupt at frame {c.frame}: a decisions "
                                     f"chunk does not decode ({exc})") from exc
        elif c.kind == END:
            self.end = _json(c, self.frames)
            if self.end.get("frames") != self.frames:
                raise RecordingError(f"recording corrupt at frame {self.frames}: its end mark "
                                     f"says {self.end.get('frames')} frames")


def _json(c: Chunk, frame: int) -> dict[str, Any]:
    try:
        value = json.loads(c.payload)
    except ValueError as exc:
        raise RecordingError(f"recording corrupt at frame {frame}: a {c.kind.decode()} "
                             f"chunk is not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise RecordingError(f"recording corrupt at frame {frame}: a {c.kind.decode()} "
                             "chunk is not a JSON object")
    return value
