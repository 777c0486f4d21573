"""Whether the d-pad moves the player at all: a "map" that never answers it is not a map now.

Without a profile, a cutscene over the map, a text told in unframed lines, or a menu drawn
over the field all look like the map. One sign tells them apart in every game: the player
walks into every way around it and never moves. :class:`Deafness` counts the ways found
blocked since the player last moved the way the d-pad said; at :data:`DEAF_BUMPS` of them
the screen is "not a map now", and the reactive layer tries every button in turn
(:mod:`eevee.reactive.prodder`) instead of walking.

For :data:`DEAF_PROD` frames at most: what the prodding pressed may have moved the game on
without moving the player (a text that A opened again and again, at a cupboard the player
still faces), so the map is then given another chance, its ways to be found blocked again.

>>> d = Deafness()
>>> for cell in ((1, 0), (-1, 0), (0, 1), (0, -1)):
...     d.bumped(0, cell)
>>> d.still(100), d.still(100 + DEAF_PROD - 1), d.still(100 + DEAF_PROD), d.lapsed
(True, True, False, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

Cell = tuple[int, int]
DEAF_BUMPS = 4  # cells found blocked (all four ways), the player never moving: not a map now
DEAF_PROD = 360  # frames such a screen is prodded (every button once) before it is a map again


class Deafness:
    """The ways found blocked since the player last moved (module doc)."""

    def __init__(self) -> None:
        self.ways: set[tuple[Hashable, Cell]] = set()  # (area, cell) walked into in vain
        self.lapsed = False  # the last :meth:`still` ended a spell: the map gets a chance
        self._since = -1  # when the ways found blocked made it "not a map now"
        self._at: tuple[Hashable, int, int] | None = None  # where the player last moved to

    def bumped(self, area: Hashable, cell: Cell) -> None:
        """The player walked into ``cell`` of ``area`` and did not move (the same cell
        again, a person walked into again and again, says nothing new of the d-pad)."""
        self.ways.add((area, cell))

    def heard(self, v: Mapping[str, int], here: tuple[Hashable, int, int],
              step: Cell | None) -> None:
        """The d-pad answers when the player moves the way it was pressed (a figure that
        bobs by itself in a cutscene says nothing of it); a new area starts afresh.
        ``here``: the player's (area, x, y); ``step``: the way last pressed."""
        was = self._at
        if v.get("moving", 0) and step is not None and \
                (v.get("step_x", 0), v.get("step_y", 0)) == step:
            # (moving the way pressed, however few pixels: a prod's short press starts
            # a step the cell does not show yet)
            self.ways.clear()
        if here == was:
            return
        self._at = here
        if was is None or here[0] != was[0] or (step is not None and (
                (here[1] - was[1]) * step[0] > 0 or (here[2] - was[2]) * step[1] > 0)):
            # (moved the way pressed, or somewhere else altogether: count afresh)
            self.ways.clear()

    def still(self, frame: int) -> bool:
        """Whether the map is "not a map now" at ``frame`` (module doc); ``lapsed`` says
        whether this call ended a spell. A way off the map's edge (a cell left of or
        above its first) cannot be walked into: a player on the edge has fewer."""
        self.lapsed = False
        need = DEAF_BUMPS
        if self._at is not None:
            need -= (self._at[1] == 0) + (self._at[2] == 0)
        if len(self.ways) < need:
            self._since = -1
            return False
        if self._since < 0:
            self._since = frame
        if frame - self._since < DEAF_PROD:
            return True
        self._since = -1
        self.ways.clear()
        self.lapsed = True
        return False
