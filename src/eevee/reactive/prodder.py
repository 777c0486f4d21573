"""Screens that are not a map: try the buttons that advance them, and learn which did.

A title with PRESS START and no frame, a NEW GAME / CONTINUE list, an intro told in
unframed text, a naming screen, a fade that never ends: the agent cannot read them, but
a player who cannot read them either still gets through by trying buttons. The prodder
does that, one try at a time:

1. **watch** a few frames with nothing pressed: whatever changes meanwhile (a blinking
   PRESS START, an animated sea) moves by itself and proves nothing;
2. **press** one button for a few frames (a tap: games act on the press);
3. **wait** for the screen to change where it does not change by itself. A change is
   an answer: the button is credited to the screen it was pressed on (a coarse
   signature of it) when it led to a screen not seen before, and the next try starts
   on the new screen. No change: the next button.

The order is A, START, B, then the d-pad, then SELECT (a title's cursor, a naming
screen's END); each screen keeps its place in that order across visits, so every button
is tried on every screen however often it comes back, and every other visit starts
with the button that once led somewhere new from it (a screen never answered yet: with
the button the last screen answered, as the pages of a text turn with A). Nothing waits
forever: a screen is tried again and again until it answers.

The per-frame work is a strided view of the screen compared with a copy taken at the
press (a few thousand bytes), and only while a non-map screen is shown.

>>> import numpy as np
>>> p = Prodder()
>>> screen = np.zeros((160, 240, 3), np.uint8)
>>> pressed = [p.act(f, screen) for f in range(40)]
>>> Buttons(max(pressed)).name  # nothing on screen changed: A was tried first
'A'
"""

from __future__ import annotations

import numpy as np

from eevee.emulator.buttons import Buttons

ORDER = tuple(int(b) for b in (Buttons.A, Buttons.START, Buttons.B, Buttons.DOWN,
                               Buttons.UP, Buttons.RIGHT, Buttons.LEFT, Buttons.SELECT))
WATCH = 8  # frames with nothing pressed, to see what moves by itself
PRESS = 4  # frames a button is held (a tap)
WAIT = 30  # frames for the screen to answer a press
STRIDE = 4  # every this many pixels (rows and columns) are compared
ANSWER = 6  # samples changed (where nothing moves by itself) that make an answer
LEVELS = 32  # grey levels per step of a screen's signature (blocks of 8 × 8 pixels)


def block_key(screen: np.ndarray, step: int) -> bytes:
    """The screen as its 8 × 8 blocks' mean grey, in steps of ``step``.

    >>> a = np.zeros((16, 16, 3), np.uint8)
    >>> block_key(a, 16) == block_key(a + 3, 16), block_key(a, 16) == block_key(a + 40, 16)
    (True, False)
    """
    h, w = screen.shape[0] // 8 * 8, screen.shape[1] // 8 * 8
    grey = screen[:h, :w].reshape(h // 8, 8, w // 8, 8, -1).mean(axis=(1, 3, 4))
    return (grey // step).astype(np.uint8).tobytes()


def signature(screen: np.ndarray) -> int:
    """A coarse key of a screen: its blocks in steps of :data:`LEVELS` (a blinking
    cursor or a moving sprite changes few blocks; a new menu, a new room changes many).

    >>> signature(np.zeros((16, 16, 3), np.uint8)) == signature(np.ones((16, 16, 3), np.uint8))
    True
    """
    return hash(block_key(screen, LEVELS))


class Prodder:
    """Buttons for a screen that is not a map (module doc); ``act`` each such frame."""

    def __init__(self, order: tuple[int, ...] = ORDER) -> None:
        self.order = order  # the buttons tried, in turn
        self.worked: dict[int, int] = {}  # signature -> the button that led somewhere new
        self.tries = 0  # buttons pressed
        self.answers = 0  # presses the screen answered
        self._place: dict[int, int] = {}  # signature -> its next place in ORDER
        self._visits: dict[int, int] = {}  # signature -> tries begun on it
        self._seen: set[int] = set()  # signatures of screens seen when a try began
        self._phase = 0  # 0 watch, 1 press, 2 wait
        self._left = 0  # frames left in this phase
        self._button = 0
        self._sig = 0
        self._before: np.ndarray | None = None  # the samples when the watch began / press
        self._moving: np.ndarray | None = None  # samples that moved by themselves
        self._last_frame = -2
        self._recent: int | None = None  # the last button a screen answered

    def act(self, frame: int, screen: np.ndarray) -> int:
        """This frame's buttons for ``screen``. Frames need not be consecutive (an agent
        that decides every 30th frame holds what it returns meanwhile): the phases last
        so many frames of the game; a try interrupted for longer than :data:`WAIT` (by
        a map screen) starts again with a fresh watch."""
        small = screen[::STRIDE, ::STRIDE]
        gap = frame - self._last_frame
        if self._before is None or not 0 < gap <= WAIT:
            self._begin(small)
            gap = 1
        self._last_frame = frame
        self._left -= gap
        if self._phase == 0:  # watch: what moves by itself
            assert self._before is not None and self._moving is not None
            self._moving |= (small != self._before).any(axis=-1) if small.ndim == 3 \
                else small != self._before
            if self._left <= 0:
                self._press(small, screen)
                return self._button
            return 0
        if self._phase == 1:
            if self._left <= 0:
                self._phase, self._left = 2, WAIT
                return 0
            return self._button
        assert self._before is not None and self._moving is not None
        changed = (small != self._before)
        if changed.ndim == 3:
            changed = changed.any(axis=-1)
        if int(np.count_nonzero(changed & ~self._moving)) >= ANSWER:
            self.answers += 1
            self._recent = self._button
            new = signature(screen)
            if new not in self._seen:  # (it led somewhere new: worth trying first)
                self.worked[self._sig] = self._button
            self._begin(small)
            return 0
        if self._left <= 0:
            self._begin(small)
        return 0

    def _begin(self, small: np.ndarray) -> None:
        """A fresh try: watch first."""
        self._phase, self._left = 0, WATCH
        self._before = small.copy()
        self._moving = np.zeros(small.shape[:2], dtype=bool)

    def _press(self, small: np.ndarray, screen: np.ndarray) -> None:
        """Choose the button for this screen and start pressing it."""
        sig = signature(screen)
        self._seen.add(sig)
        visits = self._visits.get(sig, 0)
        self._visits[sig] = visits + 1
        # (a screen never answered yet: what answered the last one, the next page of
        # a text that A turns)
        learned = self.worked.get(sig, self._recent)
        if learned is not None and visits % 2 == 0:
            button = learned
        else:
            place = self._place.get(sig, 0)
            button = self.order[place % len(self.order)]
            self._place[sig] = place + 1
        self._sig, self._button = sig, button
        self._phase, self._left = 1, PRESS - 1  # (this frame is the press's first)
        self._before = small.copy()
        self.tries += 1
