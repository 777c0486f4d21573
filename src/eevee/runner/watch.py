"""A run's recording and its live view, kept between frames.

:class:`RunWatch` is the session's between-frames hook for both:

- the **recording** (:class:`~eevee.replay.recorder.Recorder`): every frame's buttons (the
  loop pushes them), a checkpoint of screen and RAM hashes every second of game time, the
  agent's events, a view of the agent when it changed (checked every
  :data:`VIEW_EVERY` frames) and its maps every :data:`MAPS_EVERY` frames, appended to
  ``recording.eevr`` on the writer thread once a second;
- the **live view** (:class:`~eevee.runner.live.LiveState`, when a dashboard watches):
  the frame, the agent's view and what it knows of the cells on screen published
  :data:`~eevee.runner.live.PUBLISH_HZ` times a second, and the page's pause / step
  controls honoured (the game clock stops while paused, so a pause is never a deadline
  miss).

Nothing here runs inside a frame's agent work, and a view only reads the agent
(:mod:`eevee.agents.snapshot`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from eevee.agents import snapshot
from eevee.agents.policy import Event
from eevee.agents.three_layer import Agent
from eevee.emulator.base import Emulator
from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.replay.recorder import RECORDING, Recorder
from eevee.runner.live import MAP_EVERY, PUBLISH_HZ, LiveState
from eevee.runner.machine import FLUSH_EVERY
from eevee.runner.writer import Writer
from eevee.runtime.clock import Clock

VIEW_EVERY = 15  # frames between looks at the agent's view for the recording
MAPS_EVERY = 600  # frames between recorded maps (and at each new area)
PUBLISH_EVERY = max(1, round(FRAME_RATE_HZ / PUBLISH_HZ))
CALLS_KEPT = 20  # strategist decisions the live view lists
DECISIONS = frozenset(("objective", "strategist_error", "gave_up", "stuck", "bored"))


class RunWatch:
    """The recording and live view of one run (see the module doc)."""

    def __init__(self, folder: Path, emu: Emulator, header: dict[str, Any],
                 agent: Agent | None, clock: Clock, writer: Writer,
                 live: LiveState | None = None, info: dict[str, Any] | None = None) -> None:
        self.recorder = Recorder(folder / RECORDING, emu, header)
        self.agent, self.clock, self.writer, self.live = agent, clock, writer, live
        self.info = dict(info or {})
        self.calls: deque[dict[str, Any]] = deque(maxlen=CALLS_KEPT)
        self._view: dict[str, Any] = {}
        self._area: Any = None
        self._published = 0
        self.stopping: Callable[[], bool] = lambda: False  # a stop asked for (Ctrl-C …)

    def between(self, frame: int, emu: Emulator,
                values: Mapping[str, int] | None = None) -> None:
        """The work after frame ``frame`` was stepped (``values``: the profile's
        variables read after it, when there is a profile)."""
        n = frame + 1
        rec, agent = self.recorder, self.agent
        if rec.due():
            rec.checkpoint(emu)
        if agent is not None and n % VIEW_EVERY == 0:
            self._record_view(frame, agent)
        if n % FLUSH_EVERY == 0:  # (with the event log: once a second)
            self.flush()
        if self.live is not None:
            if n % PUBLISH_EVERY == 0:
                self.publish(frame, emu, values)
            if self.live.paused:
                self._hold(frame, emu, values)

    def _record_view(self, frame: int, agent: Agent) -> None:
        v = snapshot.view(agent, frame)
        # only what changed since the last view (a reader adds them up)
        diff = {k: x for k, x in v.items() if k != "frame" and self._view.get(k, ()) != x}
        if diff:
            self._view.update(diff)
            self.recorder.decisions(frame, [{"kind": "view", "frame": frame, **diff}])
        if agent._area != self._area or (frame + 1) % MAPS_EVERY == 0:
            self._area = agent._area
            self.recorder.decisions(frame, [{"frame": frame, "kind": "maps",
                                             "maps": snapshot.maps(agent)}])

    def events(self, events: list[Event]) -> None:
        """The agent's events (drained by the session) into the recording."""
        if not events:
            return
        items = [{"frame": e.frame, "kind": e.kind, **dict(e.data)} for e in events]
        self.recorder.decisions(events[0].frame, items)
        for i in items:
            if i["kind"] in DECISIONS:
                self.calls.append({"frame": i["frame"], "trigger": i.get("trigger", i["kind"]),
                                   "objective": i.get("name", i["kind"]),
                                   "reasoning": i.get("reasoning") or i.get("error", "")})

    def flush(self) -> None:
        """Hand what the recorder gathered to the writer thread (a write that failed
        before stops the run here, with its one-line error)."""
        self.writer.submit(self.recorder.write, self.recorder.take())

    def close(self, emu: Emulator, stopped_by: str) -> None:
        """After the writer thread finished: the last chunks and the end mark."""
        self.recorder.close(emu, stopped_by)

    # ------------------------------------------------------------------ live view
    def publish(self, frame: int, emu: Emulator,
                values: Mapping[str, int] | None = None) -> None:
        live, agent = self.live, self.agent
        assert live is not None
        info: dict[str, Any] = {**self.info, "frame": frame + 1,
                                "time_s": round((frame + 1) / FRAME_RATE_HZ, 2),
                                "deadline_misses": self.clock.stats.deadline_misses,
                                "strategist_calls": list(self.calls)}
        if agent is not None:
            info.update(snapshot.view(agent, frame), frame=frame + 1)
            info["latency"] = snapshot.latency(agent)
            if self._published % MAP_EVERY == 0:
                info["maps"] = snapshot.maps(agent)
            # what the agent knows of the cells on screen, drawn over the frame by the
            # page (no image is made here: a frame thread has no time for one)
            info["overlay_cells"] = snapshot.overlay_cells(
                agent, values, (emu.platform.width, emu.platform.height))
        self._published += 1
        live.publish(frame + 1, emu.screen(), info)

    def _hold(self, frame: int, emu: Emulator, values: Mapping[str, int] | None) -> None:
        """Paused from the page: wait (the game clock stopped) until resumed or asked
        for a step, publishing so the page sees it."""
        live = self.live
        assert live is not None
        self.clock.pause()
        try:
            last = 0.0
            while live.paused and not live.take_step() and not self.stopping():
                now = time.monotonic()
                if now - last >= 1.0 / PUBLISH_HZ:
                    self.publish(frame, emu, values)
                    last = now
                time.sleep(0.01)
        finally:
            self.clock.resume()
