"""Bored of seeing nothing new: try the buttons that playing does not press.

An agent that reads no RAM can take a cutscene for a map (a ship that bobs "answers"
the d-pad), a mouse-cursor menu for a room (the cursor walks its "cells"), or walk the
same few screens of a map it has not understood. Whatever it takes the screen for, one
sign holds in every game: nothing new has been seen for a long while
(:mod:`eevee.reactive.novelty`). A player then tries what they have not: A turns the page
of a cutscene and selects the menu item under the cursor, START opens what a map hides.

:class:`Boredom` says when, and prods with A, START, B and SELECT in turn
(:mod:`eevee.reactive.prodder`; the d-pad is what playing presses anyway):

- after :data:`STALE` frames with no screen and no cell not seen before (a maze drawn
  on one screen shows new cells, not new screens), or :data:`STALE_SCREENS` frames with
  no screen not seen before (a cursor walks new "cells" of a menu for ever);
- for :data:`PROD_FOR` frames at most, or until a new screen is seen;
- again after only :data:`STALE_AGAIN` frames when the last prodding led to a new screen
  and playing has found nothing new since (the next page of a cutscene; new screens in
  the :data:`AFTERMATH` of a prodding are its doing: text that types itself out), or
  when the screen is one a prodding once led on from (a title or a game over that
  comes back, taken for a map).

Per frame: a set lookup for the cell, and the novelty's look every 30 frames.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.reactive.novelty import Novelty, Screens
from eevee.reactive.prodder import Prodder

STALE = 900  # frames with no screen and no cell not seen before
STALE_SCREENS = 2400  # frames with no screen not seen before, however many new cells
STALE_AGAIN = 150  # ... when the last prodding led to a new screen
AFTERMATH = 300  # frames after a prodding whose new screens are its doing
PROD_FOR = 180  # frames a prodding lasts at most (each of its buttons about once)
ORDER = tuple(int(b) for b in (Buttons.A, Buttons.START, Buttons.B, Buttons.SELECT))


class Boredom:
    """When nothing new is seen, buttons to try (module doc); ``act`` every frame.

    >>> b = Boredom()
    >>> screen = np.zeros((144, 160, 3), np.uint8)
    >>> pressed = [b.act(f, screen, None) for f in range(STALE + PROD_FOR)]
    >>> pressed[:STALE].count(None) == STALE, Buttons(next(p for p in pressed if p)).name
    (True, 'A')
    """

    def __init__(self) -> None:
        self.novelty = Novelty()
        self.prodder = Prodder(ORDER)
        self.proddings = 0  # proddings begun
        self._stood: set[tuple[Hashable, int, int]] = set()  # (area, x, y) stood on
        self._stood_at = 0  # when a cell was stood on for the first time, last
        self._until = 0  # > 0: a prodding is under way until this frame
        self._since = 0  # when the last one ended
        self._paid = False  # it led to a new screen, and playing found none since
        self._advanced = Screens(64)  # screens a prodding led on from
        self._familiar = False  # this screen is one of them (at the last look)
        self._from: np.ndarray | None = None  # the screen the prodding under way began on

    def act(self, frame: int, screen: np.ndarray,
            where: tuple[Hashable, int, int] | None) -> int | None:
        """This frame's buttons while prodding, else None (play on). ``where``: the
        player's (area, x, y) on a map, else None."""
        new = self.novelty.see(frame, screen)
        key = self.novelty.key
        if self.novelty.looked_at == frame and key is not None:
            self._familiar = self._advanced.known(key)
        if where is not None and where not in self._stood:
            self._stood.add(where)
            self._stood_at = frame
        if self._until:
            if new or frame >= self._until:
                self._until, self._since, self._paid = 0, frame, new
                if new and self._from is not None:
                    self._advanced.remember(self._from)
                return None
            return self.prodder.act(frame, screen)
        if new and frame - self._since > AFTERMATH:
            self._paid = False  # (found by playing, not text the prodding typed out)
        limit = STALE_AGAIN if self._paid or self._familiar else STALE
        since = frame - max(self.novelty.last_new, self._since)
        if since >= STALE_SCREENS or (since >= limit and frame - self._stood_at >= limit):
            self._until, self._from = frame + PROD_FOR, key
            self.proddings += 1
            return self.prodder.act(frame, screen)
        return None
