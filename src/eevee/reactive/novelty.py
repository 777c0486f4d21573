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
    """Every 8 × 8 block's green (every other pixel of it), in 16 steps: a third of the
    cost of :func:`~eevee.reactive.prodder.block_key`'s grey means (one look every
    second on the agent's frame path), which the bench keeps for its count.

    >>> block_greens(np.full((16, 24, 3), 255, np.uint8)).tolist()
    [[15, 15, 15], [15, 15, 15]]
    """
    h, w = screen.shape[0] // 8 * 8, screen.shape[1] // 8 * 8
    green = screen[:h:2, :w:2, 1] if screen.ndim == 3 else screen[:h:2, :w:2]
    sums = green.reshape(h // 8, 4, w // 8, 4).sum(axis=(1, 3), dtype=np.uint16)
    return (sums >> 8).astype(np.uint8)


class Screens:
    """Screens remembered by a key of their blocks (:func:`block_greens`, or the bench's
    grey block means), the oldest forgotten past ``keep`` (None: none forgotten); a
    screen differing from one of them in at most :data:`SAME_AT_MOST` of its blocks is
    that one. ``len()``: how many were remembered, the forgotten ones too.

    >>> s = Screens(2)
    >>> a, b = np.zeros(100, np.uint8), np.ones(100, np.uint8)
    >>> s.remember(a); s.known(a), s.known(b), len(s)
    (True, False, 1)
    """

    def __init__(self, keep: int | None = KEEP) -> None:
        self.count = 0  # screens remembered, the forgotten ones too
        self._keep = keep
        self._keys: np.ndarray | None = None  # (rows, blocks): one row a screen

    def __len__(self) -> int:
        return self.count

    def known(self, key: np.ndarray) -> bool:
        if self._keys is None or not self.count:
            return False
        filled = min(self.count, len(self._keys))
        return int(np.count_nonzero(self._keys[:filled] != key, axis=1).min()) \
            <= SAME_AT_MOST * key.size

    def remember(self, key: np.ndarray) -> None:
        keys = self._keys
        if keys is None:
            keys = self._keys = np.empty((self._keep or 64, key.size), np.uint8)
        elif self._keep is None and self.count == len(keys):  # (room for more: double)
            keys = self._keys = np.concatenate([keys, np.empty_like(keys)])
        keys[self.count % len(keys)] = key
        self.count += 1


class Novelty:
    """The screens seen, and when the last new one was (module doc)."""

    def __init__(self) -> None:
        self.last_new = 0  # the frame of the last screen not seen before
        self.key: np.ndarray | None = None  # the screen at the last look
        self.looked_at = -1  # ... its frame
        self._seen = Screens()
        self._due = 0  # the frame of the next look

    @property
    def distinct(self) -> int:
        """Screens seen that were new when seen."""
        return self._seen.count

    def see(self, frame: int, screen: np.ndarray) -> bool:
        """Look at ``screen`` when :data:`SAMPLE` frames have passed since the last
        look (other frames return at once); whether it is a screen not seen before."""
        if frame < self._due:
            return False
        self._due, self.looked_at = frame + SAMPLE, frame
        self.key = key = block_greens(screen).ravel()
        if self._seen.known(key):
            return False
        self._seen.remember(key)
        self.last_new = frame
        return True
