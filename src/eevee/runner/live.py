"""What a running game shows to a watcher, and what a watcher may ask of it.

The frame loop and a watcher (the live dashboard, :mod:`eevee.dashboard`) run on
different threads and never wait for each other. :class:`LiveState` is the one place they
meet:

- the runner **publishes** the latest frame and a JSON-safe ``info`` dict (objective,
  plan, quests, latency, maps …) at most :data:`PUBLISH_HZ` times a second, between
  frames; publishing copies the screen into a slot and returns (no encoding, no I/O);
- a watcher reads the **latest** publication (a version number tells it whether
  anything changed) and sets **controls**: pause, resume, step N frames, and the buttons
  a person holds on the page (``--human``).

>>> import numpy as np
>>> live = LiveState()
>>> live.publish(12, np.zeros((2, 2, 3), np.uint8), {"objective": None})
>>> pub = live.latest()
>>> pub.version, pub.frame, pub.info["paused"]
(1, 12, False)
>>> live.pause(); live.paused
True
>>> live.step(2); live.take_step(), live.take_step(), live.take_step()
(True, True, False)
>>> live.resume(); live.set_keys(0x10); live.paused, live.keys
(False, 16)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PUBLISH_HZ = 10  # at most this many publications a second of game time
MAP_EVERY = 10  # the maps (larger) ride along every this many publications


@dataclass(frozen=True)
class Publication:
    """One published moment: ``version`` grows by one each publication."""

    version: int
    frame: int
    screen: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)


class LiveState:
    """The meeting point of the frame loop and a watcher (see the module doc)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pub = Publication(0, -1, np.zeros((1, 1, 3), np.uint8), {"paused": False})
        self._paused = False
        self._steps = 0
        self._keys = 0
        self._human = False
        self._maps: dict[str, Any] = {}
        self._overlay: Any = None
        self.changed = threading.Condition(self._lock)

    # ------------------------------------------------------------------ runner side
    def publish(self, frame: int, screen: np.ndarray, info: dict[str, Any]) -> None:
        """The latest frame and info (``screen`` is copied; ``info`` is kept as given).
        Maps and the overlay image, given now and then, are kept and go with every later
        publication."""
        shot = screen.copy()
        with self._lock:
            if "maps" in info:
                self._maps = info["maps"]
            if "overlay" in info:
                self._overlay = info["overlay"]
            full = {**info, "maps": self._maps, "paused": self._paused,
                    "human": self._human}
            if self._overlay is not None:
                full["overlay"] = self._overlay
            self._pub = Publication(self._pub.version + 1, frame, shot, full)
            self.changed.notify_all()

    def take_step(self) -> bool:
        """While paused: True (and one step used) if a step was asked for."""
        with self._lock:
            if self._steps > 0:
                self._steps -= 1
                return True
            return False

    # ------------------------------------------------------------------ watcher side
    def latest(self) -> Publication:
        with self._lock:
            return self._pub

    def wait(self, after: int, timeout: float) -> Publication:
        """The first publication newer than version ``after`` (or the latest one after
        ``timeout`` seconds)."""
        with self._lock:
            self.changed.wait_for(lambda: self._pub.version > after, timeout)
            return self._pub

    def pause(self) -> None:
        with self._lock:
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            self._steps = 0

    def step(self, frames: int = 1) -> None:
        """While paused, let ``frames`` more frames run."""
        with self._lock:
            self._steps += max(0, int(frames))

    def set_keys(self, buttons: int) -> None:
        """The buttons a person holds (bits of :class:`~eevee.emulator.buttons.Buttons`)."""
        self._keys = int(buttons) & 0x3FF

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def keys(self) -> int:
        return self._keys

    @property
    def human(self) -> bool:
        return self._human

    @human.setter
    def human(self, on: bool) -> None:
        self._human = bool(on)
