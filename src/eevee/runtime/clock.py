"""The game clock: paces frames to wall-clock time, or doesn't, per time mode.

Time modes (SPEC.md):

- ``realtime``: frame *n* is due at ``t0 + (n+1)/59.7275`` s of wall-clock time; the
  clock sleeps until then. A frame whose work ends after its deadline is a *deadline
  miss*; the schedule is then rebased so one slow frame counts once, not forever.
- ``unlocked``: as fast as the machine goes; nothing sleeps, nothing is missed.
- ``paused``: "paused thinking" — like real-time, but the agent pauses the clock while
  the strategist thinks; paused time is not charged to any frame.
- ``virtual``: deterministic; nothing sleeps. Thinking time is converted into frames
  that the game runs under the reactive layer (see :meth:`Clock.frames_for`).

>>> clock = Clock(TimeMode.UNLOCKED)
>>> [clock.tick() for _ in range(3)]              # never late, never sleeps
[0.0, 0.0, 0.0]
>>> clock.stats.frames, clock.stats.deadline_misses
(3, 0)
>>> Clock(TimeMode.VIRTUAL).frames_for(1.0)       # one second of thinking: 59.7275 frames
60

In real time, with a fake wall clock: the first frame's work takes 10 ms (it sleeps
until its 100 ms deadline), the second one 150 ms (50 ms late: a miss).

>>> t = [0.0]
>>> def sleep(s: float) -> None:
...     t[0] += s
>>> clock = Clock("realtime", fps=10.0, now=lambda: t[0], sleep=sleep)
>>> t[0] += 0.01; clock.tick(), round(t[0], 3)
(0.0, 0.1)
>>> t[0] += 0.15; round(clock.tick(), 3), clock.stats.deadline_misses
(0.05, 1)
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from eevee.errors import ConfigError

#: frames per second of both platforms: GBA (16.78 MHz / 280,896 cycles a frame) and GB
#: (4.19 MHz / 70,224); :mod:`eevee.emulator.platform` re-exports it with the other
#: machine facts
FRAME_RATE_HZ = 59.7275


class TimeMode(str, enum.Enum):
    REALTIME = "realtime"
    UNLOCKED = "unlocked"
    PAUSED = "paused"
    VIRTUAL = "virtual"

    @classmethod
    def parse(cls, text: str) -> TimeMode:
        try:
            return cls(text.strip().lower().replace("-", "").replace("_", ""))
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ConfigError(f"unknown time mode {text!r}; choose one of: {names}") from None


@dataclass
class ClockStats:
    frames: int = 0
    deadline_misses: int = 0
    worst_lateness_s: float = 0.0
    paused_s: float = 0.0


class Clock:
    """Paces a frame loop. Call :meth:`tick` once after each frame's work."""

    def __init__(
        self,
        mode: TimeMode | str = TimeMode.REALTIME,
        fps: float = FRAME_RATE_HZ,
        *,
        now: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.mode = TimeMode.parse(mode) if isinstance(mode, str) else mode
        if fps <= 0:
            raise ConfigError(f"fps must be positive, got {fps}")
        self.fps = fps
        self.period = 1.0 / fps
        self._now = now
        self._sleep = sleep
        self.stats = ClockStats()
        self._t0 = now()
        self._n = 0  # frames since the schedule was last rebased
        self._paused_at: float | None = None

    @property
    def paced(self) -> bool:
        """True when frames are held to wall-clock time."""
        return self.mode in (TimeMode.REALTIME, TimeMode.PAUSED)

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def tick(self) -> float:
        """Mark the end of one frame's work; in paced modes, wait for its deadline.

        Returns how late the frame's work ended, in seconds (0.0 when on time), so the
        caller can log each miss."""
        self.stats.frames += 1
        if not self.paced:
            return 0.0
        self._n += 1
        deadline = self._t0 + self._n * self.period
        now = self._now()
        late = now - deadline
        if late > 0:
            self.stats.deadline_misses += 1
            self.stats.worst_lateness_s = max(self.stats.worst_lateness_s, late)
            self._rebase(now)
            return late
        self._sleep(-late)
        return 0.0

    def pause(self) -> None:
        """Stop the clock (paused thinking): no deadlines fall due while paused."""
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        if self._paused_at is not None:
            now = self._now()
            self.stats.paused_s += now - self._paused_at
            self._paused_at = None
            self._rebase(now)

    def frames_for(self, seconds: float) -> int:
        """How many frames ``seconds`` of thinking cost in virtual real-time (rounded)."""
        return max(0, round(seconds * self.fps))

    def _rebase(self, now: float) -> None:
        self._t0 = now
        self._n = 0
