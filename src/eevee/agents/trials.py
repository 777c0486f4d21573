"""What came of each try: did pressing A (or stepping onto a thing) open a dialogue?

The agent tells :class:`Trials` when it pressed A at a target or stepped onto a thing;
over the next ``ANSWER_FRAMES`` frames a dialogue (or battle) opening means the target
answered. The dialogue runs its course (the reactive layer advances it); when the
overworld is back the try is recorded in the world model with the dialogue's signature,
and a target whose talk restored HP is remembered as a healer.

>>> from eevee.world import WorldModel
>>> w = WorldModel(default_size=(4, 4))
>>> t = Trials(w)
>>> t.start(10, ("cell", (0, (1, 1))), hp=5)
>>> t.update(12, "dialogue", hp=5), t.update(40, "overworld", hp=20, signature=9)
(False, True)
>>> w.curiosity.answered(("cell", (0, (1, 1)))), ("cell", (0, (1, 1))) in w.curiosity.healers
(True, True)
"""

from __future__ import annotations

from collections.abc import Hashable

from eevee.goals.todos import cell_target
from eevee.world.curiosity import Target
from eevee.world.model import WorldModel

ANSWER_FRAMES = 12  # frames after the press within which a dialogue counts as the answer


class Trials:
    """One pending try at a time (see the module doc)."""

    def __init__(self, world: WorldModel) -> None:
        self.world = world
        self.pending: tuple[Target, int, int | None] | None = None  # target, frame, hp
        self.last: tuple[Target, int] | None = None  # the last try recorded, and when
        self._answered = False

    def start(self, frame: int, target: Target, hp: int | None) -> None:
        self.pending = (target, frame, hp)
        self._answered = False

    def update(self, frame: int, kind: str, hp: int | None, signature: int = 0) -> bool:
        """Feed the screen kind each frame; True when the try was just recorded."""
        if self.pending is None:
            return False
        target, at, hp0 = self.pending
        if kind in ("dialogue", "battle"):
            self._answered = True
            return False
        if kind != "overworld" or (not self._answered and frame - at < ANSWER_FRAMES):
            return False
        self.pending = None
        self.last = (target, frame)
        what, key = target
        if what == "cell":
            area, cell = cell_target(key)
            self.world.tried_cell(frame, area, cell, answered=self._answered,
                                  signature=signature)
        else:
            self.world.tried_thing(frame, key, what, answered=self._answered,
                                   signature=signature)
            if what == "walk" and self._answered:
                self._take(key)
        if self._answered and hp0 is not None and hp is not None and hp > hp0:
            self.world.curiosity.healers.add(target)
            self.world.events.add(frame, "healer_learned", target=str(target))
        return True

    def _take(self, key: Hashable) -> None:
        t = self.world.curiosity.thing(key)
        if t is not None:
            t.taken = True
