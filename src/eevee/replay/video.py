"""``eevee video``: a recorded run rendered to an H.264 MP4.

The recording is replayed (:mod:`eevee.replay.replayer`: no agent, no model) and each
frame is scaled up with crisp pixels, the 8×8 tile grid drawn over it, and the side
panel (:mod:`eevee.replay.panel`) put beside it: frame and time, the area and cell, the
objective and the strategist's reasoning, the plan, the quests, and the area's map with
what each cell meant, the plan's path and the player. ``raw=True`` gives the plain
screen. PyAV encodes (it brings its own FFmpeg with libx264); nothing is piped by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.errors import ConfigError, RecordingError
from eevee.replay.panel import Panel, Timeline
from eevee.replay.reader import Recording
from eevee.replay.replayer import frames, open_for

PANEL_WIDTH = 320  # at scale 2; it scales with the frame
FPS = 60  # the MP4's frame rate (the game's is 59.7275; players prefer a whole number)


@dataclass(frozen=True)
class VideoResult:
    path: Path
    frames: int
    width: int
    height: int
    seconds: float  # wall time the render took

    @property
    def speed(self) -> float:
        """Rendering speed as a multiple of real time."""
        return self.frames / FRAME_RATE_HZ / self.seconds if self.seconds > 0 else 0.0


def render(rec: Recording, out: str | Path, *, scale: int = 2, raw: bool = False,
           first: int = 0, last: int | None = None, rom: str | Path | None = None,
           backend: str | None = None, crf: int = 20,
           progress: Callable[[int, int], None] | None = None) -> VideoResult:
    """Render frames ``first`` to ``last`` (frames stepped, 0 = the start) of ``rec`` to
    ``out`` (see the module doc)."""
    try:
        import av
    except ImportError as exc:
        raise ConfigError("eevee video needs PyAV: pip install 'eevee[video]'") from exc
    if not 1 <= scale <= 8:
        raise ConfigError(f"--scale must be 1 to 8, got {scale}")
    end = rec.frames if last is None else last
    if not 0 <= first < end <= rec.frames:
        raise ConfigError(f"--from {first} --to {last}: the recording has frames 0 to "
                          f"{rec.frames}; pick a range inside it")
    out = Path(out)
    tmp = out.with_name(out.name + ".part.mp4")
    timeline = Timeline(rec.decisions)
    t0 = time.perf_counter()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        container = av.open(str(tmp), mode="w")
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from exc
    count, size = 0, (0, 0)
    with open_for(rec, rom=rom, backend=backend) as emu, container:
        h, w = emu.platform.height * scale, emu.platform.width * scale
        panel = None if raw else Panel(PANEL_WIDTH * scale // 2, h,
                                       f"{rec.header.get('game', '?')} · "
                                       f"{rec.header.get('agent', '')}")
        width = w + (panel.width if panel else 0)
        width += width % 2
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, h + h % 2, "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast"}
        size = (stream.width, stream.height)
        canvas = np.zeros((stream.height, width, 3), np.uint8)
        view = canvas[:h, :w].reshape(emu.platform.height, scale, emu.platform.width, scale, 3)
        lines = 8 * scale if scale >= 2 and panel is not None else 0
        for n in frames(rec, emu, first=first, last=end):
            view[...] = emu.screen()[:, None, :, None, :]  # nearest-neighbour scale-up
            if lines:  # the 8×8 tile grid, darkened in place
                canvas[:h:lines, :w] = canvas[:h:lines, :w] // 4 * 3
                canvas[:h, :w:lines] = canvas[:h, :w:lines] // 4 * 3
            if panel is not None:
                timeline.advance(n - 1)
                canvas[:h, w:w + panel.width] = panel.draw(timeline, n)
            frame = av.VideoFrame.from_ndarray(canvas, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
            count += 1
            if progress is not None and count % 120 == 0:
                progress(count, end - first)
        for packet in stream.encode():
            container.mux(packet)
    if count == 0:
        tmp.unlink(missing_ok=True)
        raise RecordingError("no frames to render")
    tmp.replace(out)
    return VideoResult(out, count, size[0], size[1], time.perf_counter() - t0)
