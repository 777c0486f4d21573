"""The one frame loop: observe, ask the policy, step, tick the clock.

``eevee play``, every benchmark and (later) recording and the Gymnasium env run their
frames through :func:`run_frames`. It knows only an :class:`~eevee.emulator.base.Emulator`,
a :class:`~eevee.runtime.clock.Clock`, an :class:`Observer` (what to read each frame) and a
:class:`~eevee.agents.policy.Policy`. Everything that is not the frame itself — event-log
writes, health checks, screenshots, progress — is a hook the caller passes, run between
frames at the rate it chooses.

The next frame's buttons are decided right after the step (same state, same buttons):
the work then runs on a CPU that is already busy, not on one just woken from the clock's
sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from eevee.agents.policy import MEMORY, SCREEN, TABLES, VARIABLES, Observation, Policy
from eevee.emulator.base import Emulator
from eevee.profiles.profile import Profile
from eevee.profiles.reader import VariableReader
from eevee.runtime.clock import Clock

# the blocks perception decodes, per platform (the GB keeps no palette in memory)
PERCEPTION_REGIONS = {"gba": ("io", "vram", "oam", "palette"), "gb": ("io", "vram", "oam")}


class Observer:
    """Reads what a policy senses from the emulator, each frame.

    ``variables``: the profile's RAM variables (when there is a profile); ``tables``: the
    profile's raw RAM tables (``hints.hazards``: address, count × stride); ``memory``: the
    blocks perception uses (IO, VRAM, OAM, and the GBA's palette) where the backend reads
    them.
    """

    def __init__(self, emu: Emulator, profile: Profile | None, senses: frozenset[str]) -> None:
        self.emu = emu
        self.reader = VariableReader(profile) if profile is not None else None
        self.want_screen = SCREEN in senses
        self.want_vars = VARIABLES in senses and self.reader is not None
        self.regions: tuple[str, ...] = ()
        wanted = PERCEPTION_REGIONS.get(emu.platform.name, ())
        if MEMORY in senses and wanted:
            ok = emu.readable_regions
            if ok is None or all(n in ok for n in wanted):
                self.regions = wanted
        self.tables: list[tuple[str, int, int]] = []
        hz = profile.hints.get("hazards") if profile is not None else None
        if TABLES in senses and isinstance(hz, Mapping) and hz.get("address"):
            n = int(hz.get("count", 0)) * int(hz.get("stride", 0))
            self.tables.append(("hazards", int(str(hz["address"]), 0), n))
        self._blank = emu.screen() if not self.want_screen else None
        self._table_spans = tuple((addr, n) for _, addr, n in self.tables)

    def variables(self) -> dict[str, int] | None:
        """The profile's variables now (also for scoring, whatever the policy reads)."""
        return self.reader.read(self.emu) if self.reader is not None else None

    def observe(self, frame: int, variables: dict[str, int] | None) -> Observation:
        emu = self.emu
        screen = emu.screen() if self.want_screen else self._blank
        memory: Mapping[str, bytes] = LazyBlocks(emu, self.regions) if self.regions else {}
        tables = ({name: raw for (name, _, _), raw in
                   zip(self.tables, emu.read_spans(self._table_spans), strict=True)}
                  if self.tables else {})
        assert screen is not None
        return Observation(frame, screen, memory,
                           variables if self.want_vars else None, tables)


class LazyBlocks(Mapping[str, bytes]):
    """The memory blocks of one frame, read (all in one pass) when first looked at: a
    frame whose blocks nobody reads costs no copy of the core's memory. Valid until the
    next step, like the observation that holds it."""

    def __init__(self, emu: Emulator, names: tuple[str, ...]) -> None:
        self._emu = emu
        self._names = names
        self._data: dict[str, bytes] | None = None

    def _load(self) -> dict[str, bytes]:
        if self._data is None:
            regions = self._emu.platform.regions
            spans = _REGION_SPANS.get(self._names)
            if spans is None:
                spans = _REGION_SPANS[self._names] = tuple(
                    (regions[n].start, regions[n].size) for n in self._names)
            self._data = dict(zip(self._names, self._emu.read_spans(spans), strict=True))
        return self._data

    def __getitem__(self, name: str) -> bytes:
        return self._load()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


_REGION_SPANS: dict[tuple[str, ...], tuple[tuple[int, int], ...]] = {}


@dataclass
class LoopStats:
    """What the loop measured: frames stepped, policy work per frame (ns), why it ended."""

    frames: int = 0
    work_ns: list[int] = field(default_factory=list)
    stopped_by: str = "frame limit"
    deadline_misses: int = 0


# a hook between frames: (frame just stepped, variables after it) -> a reason to stop
Hook = Callable[[int, "dict[str, int] | None"], "str | None"]


def run_frames(emu: Emulator, policy: Policy, observer: Observer, clock: Clock, frames: int,
               *, between: Hook | None = None, keep_work: bool = False,
               on_miss: Callable[[int, float], Any] | None = None,
               record: Callable[[int], None] | None = None, first: int = 0) -> LoopStats:
    """Run up to ``frames`` frames of ``policy`` on ``emu`` (see the module doc).

    ``between(frame, variables)`` runs after each step (outside the frame's work) with
    the variables read after it, and may return a reason to stop; ``keep_work`` keeps
    each frame's policy time (bench);
    ``on_miss(frame, late_s)`` is told of each real-time deadline miss;
    ``record(buttons)`` is told each frame's buttons right after its step (the run's
    recording, :class:`eevee.replay.recorder.Recorder`); ``first``: the number of the
    first frame (a resumed session goes on counting where it stopped)."""
    stats = LoopStats()
    values = observer.variables()
    t = time.perf_counter_ns()
    buttons = policy.act(observer.observe(first, values))
    if keep_work:
        stats.work_ns.append(time.perf_counter_ns() - t)
    for i in range(frames):
        frame = first + i
        emu.step(buttons)
        if record is not None:
            record(buttons)
        stats.frames = i + 1
        if i == 0 and clock.paced:
            clock.pause()  # the first frame warms the emulator up: not charged
            clock.resume()
        if between is not None or i + 1 < frames:
            values = observer.variables()  # (one read serves the hook and the policy)
        if between is not None:
            reason = between(frame, values)
            if reason is not None:
                stats.stopped_by = reason
                break
        if i + 1 < frames:
            t = time.perf_counter_ns()
            buttons = policy.act(observer.observe(frame + 1, values))
            if keep_work:
                stats.work_ns.append(time.perf_counter_ns() - t)
        late = clock.tick()
        if late and on_miss is not None:
            on_miss(frame, late)
    stats.deadline_misses = clock.stats.deadline_misses
    return stats
