"""Whether anything new is still being seen (what :mod:`eevee.reactive.boredom` acts on).

:class:`Novelty` remembers the screens seen (coarse: every 8 × 8 block's green, in 16
steps; a screen differing from one seen before in at most :data:`SAME_AT_MOST` of its
blocks is that one again, so a twinkling star or a walking sprite is no news) and says
when the last new one was.

Cost: one look every :data:`SAMPLE` frames (a strided sum of one colour channel, then
one comparison with at most :data:`KEEP` remembered screens), well under a millisecond.

>>> import numpy as np
>>> n = Novelty()
>>> dark, light = np.zeros((144, 160, 3), np.uint8), np.full((144, 160, 3), 200, np.uint8)
>>> [n.see(f, dark if f < 300 else light) for f in (0, 30, 270, 300, 330)]
[True, False, False, True, False]
>>> n.last_new, n.distinct
(300, 2)
"""

from __future__ import annotations

import numpy as np

SAMPLE = 30  # frames between looks
SAME_AT_MOST = 0.05  # share of blocks a screen may differ in and be one seen before
KEEP = 512  # screens remembered (the oldest is forgotten first)


def block_greens(screen: np.ndarray) -> np.ndarray:
    """Every 8 × 8 block's green (every other pixel of it), in 16 steps.

    >>> block_greens(np.full((16, 24, 3), 255, np.uint8)).tolist()
    [[15, 15, 15], [15, 15, 15]]
    """
    h, w = screen.shape[0] // 8 * 8, screen.shape[1] // 8 * 8
    green = screen[:h:2, :w:2, 1] if screen.ndim == 3 else screen[:h:2, :w:2]
    sums = green.reshape(h // 8, 4, w // 8, 4).sum(axis=(1, 3), dtype=np.uint16)
    return (sums >> 8).astype(np.uint8)


class Novelty:
    """The screens seen, and when the last new one was (module doc)."""

    def __init__(self) -> None:
        self.last_new = 0  # the frame of the last screen not seen before
        self.distinct = 0  # screens seen that were new when seen
        self._keys: np.ndarray | None = None  # (KEEP, blocks): remembered screens
        self._next = 0  # the row the next new screen is written to
        self._due = 0  # the frame of the next look

    def see(self, frame: int, screen: np.ndarray) -> bool:
        """Look at ``screen`` when :data:`SAMPLE` frames have passed since the last
        look (other frames return at once); whether it is a screen not seen before."""
        if frame < self._due:
            return False
        self._due = frame + SAMPLE
        key = block_greens(screen).ravel()
        keys = self._keys
        if keys is None:  # (the first look)
            keys = self._keys = np.empty((KEEP, key.size), np.uint8)
        filled = min(self.distinct, KEEP)
        if filled and int(np.count_nonzero(keys[:filled] != key, axis=1).min()) \
                <= SAME_AT_MOST * key.size:
            return False
        keys[self._next] = key
        self._next = (self._next + 1) % KEEP
        self.distinct += 1
        self.last_new = frame
        return True
