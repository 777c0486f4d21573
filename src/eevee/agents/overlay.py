"""What a press of A on the map opened when no frame shows it: a text over the field.

Without a profile, a screen is a dialogue only when the classifier finds a box. Many
games write their texts straight over the field: the map dimmed with white lines on it,
a band of text at the top, a picture of the thing looked at. The classifier calls that a
map; the player cannot walk it, the try that opened it looks unanswered, and the thing is
tried again and again, opening the same text each time.

A player knows better: they pressed A at something and the screen changed, not by
walking, so the thing answered. :class:`Overlay` remembers the screen as it was when the
plan pressed A; when, within :data:`OPEN_WITHIN` frames, much of it has changed
(:data:`OPEN_SHARE` of the samples) while the camera stood still, the press opened
something: until the screen is as it was again (all but :data:`CLOSED_SHARE`), the agent
takes it for a dialogue (A turns its pages, and the try is answered). A screen that is
never as it was again (the press moved the game on for good) is a map again after
:data:`OPEN_AT_MOST` frames.

The per-frame work, only while a press is being watched, is a strided view of the
screen compared with a copy taken at the press (a few thousand bytes).

>>> import numpy as np
>>> field = np.full((160, 240, 3), 90, np.uint8)
>>> o = Overlay()
>>> o.pressed(100, field, (0, 0))
>>> dimmed = field // 2
>>> [o.update(f, s, (0, 0)) for f, s in ((101, field), (104, dimmed), (130, dimmed), (140, field))]
[False, True, True, False]
>>> o.opened
1
"""

from __future__ import annotations

import numpy as np

STRIDE = 4  # every this many pixels (rows and columns) are compared
OPEN_WITHIN = 20  # frames after the press within which a change is its answer
OPEN_SHARE = 0.25  # share of the samples changed that make an answer (a sprite is far less)
CLOSED_SHARE = 0.05  # share that may still differ when the text is closed
OPEN_AT_MOST = 1800  # frames an answer may stand before the screen is a map again


class Overlay:
    """Watches what a press of A on the map opened (module doc)."""

    def __init__(self) -> None:
        self.opened = 0  # presses that opened something
        self._before: np.ndarray | None = None  # the samples at the press
        self._camera: tuple[int, int] | None = None  # where the camera was
        self._at = -1  # the frame of the press
        self._open_at = -1  # >= 0: the frame the answer began
        # (the comparison's arrays, kept from frame to frame: no allocation per frame)
        self._differ: np.ndarray | None = None
        self._any: np.ndarray | None = None

    @property
    def showing(self) -> bool:
        """Whether what a press opened is on screen (at the last update)."""
        return self._open_at >= 0

    def pressed(self, frame: int, screen: np.ndarray, camera: tuple[int, int]) -> None:
        """A was pressed on the map at ``frame``: ``screen`` is what it was pressed on."""
        if self._open_at >= 0:
            return  # (a page of what is open turned)
        self._before = screen[::STRIDE, ::STRIDE].copy()
        self._camera, self._at = camera, frame

    def cancel(self) -> None:
        """The screen went elsewhere (a fade, a box the classifier knows): nothing to watch."""
        self._before, self._open_at = None, -1

    def update(self, frame: int, screen: np.ndarray, camera: tuple[int, int]) -> bool:
        """Whether the screen shown at ``frame`` (a "map" to the classifier) is what a
        press opened, the camera standing at ``camera``."""
        before = self._before
        if before is None:
            return False
        if self._open_at < 0 and (camera != self._camera or frame - self._at > OPEN_WITHIN):
            self._before = None  # (walked on, or nothing came of it)
            return False
        share = self._share(screen[::STRIDE, ::STRIDE], before)
        if self._open_at < 0:
            if share >= OPEN_SHARE:
                self._open_at = frame
                self.opened += 1
            return self._open_at >= 0
        if share <= CLOSED_SHARE or frame - self._open_at >= OPEN_AT_MOST:
            self.cancel()
            return False
        return True

    def _share(self, small: np.ndarray, before: np.ndarray) -> float:
        """The share of samples that differ (a colour sample: in any channel)."""
        if self._differ is None or self._differ.shape != before.shape:
            self._differ = np.empty(before.shape, dtype=bool)
            self._any = np.empty(before.shape[:2], dtype=bool)
        differ = np.not_equal(small, before, out=self._differ)
        if differ.ndim == 3:
            differ = np.any(differ, axis=-1, out=self._any)
        return float(np.count_nonzero(differ)) / (differ.shape[0] * differ.shape[1])
