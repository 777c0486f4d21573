"""What the screen says beyond the estimate, as a mixin of :class:`~eevee.agents.three_layer.Agent`.

Playing from pixels (no profile), two things a player sees at a glance are not in the
estimated variables:

- a text a press of A opened over the field with no box is a dialogue
  (:mod:`eevee.agents.overlay`): the mode says so until the field is back;
- a figure on the move that stands in reach in front of the player gets A
  (:mod:`eevee.agents.strike`), the map's sprites followed from frame to frame for it
  (:mod:`eevee.agents.figures`: what travels, the player's tools, pickups).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eevee.agents.estimate import Estimate
from eevee.agents.figures import Figures
from eevee.agents.overlay import Overlay
from eevee.agents.senses import Senses
from eevee.agents.strike import Strike
from eevee.emulator.buttons import Buttons
from eevee.reactive.controller import MODES
from eevee.world.model import WorldModel


class Sighted:
    """Texts over the field and figures in reach, from pixels (module doc)."""

    world: WorldModel
    sight: Senses
    estimate: Estimate
    overlay: Overlay
    figures: Figures
    strike: Strike

    def _struck(self, frame: int, kind: str, values: Mapping[str, int], buttons: int,
                held: int) -> int:
        """``buttons``, or A alone when a figure on the move stands in reach in front of
        the player; the map's sprites followed. ``held``: the last frame's buttons."""
        if kind == "dialogue":
            self.strike.answered(frame)
            return buttons
        p = self.sight.percept
        if kind != "overworld" or p is None or p.vram is None:
            return buttons
        area = values.get("area")
        self.figures.update(frame, p.vram.sprites, self.estimate.slot,
                            (values.get("camera_x", 0), values.get("camera_y", 0)),
                            self.world.cell_px, area, bool(held & Buttons.A))
        if not buttons & Buttons.A and self.strike.now(
                self.figures, (values.get("step_x", 0), values.get("step_y", 0)), area):
            return int(Buttons.A)
        return buttons

    def _overlaid(self, frame: int, screen: Any, values: Mapping[str, int]
                  ) -> Mapping[str, int]:
        """``values``, the mode a dialogue's while what a press of A opened over the map
        is shown."""
        if values.get("game_mode") != MODES["overworld"]:
            self.overlay.cancel()  # (a fade, a box the classifier knows)
            return values
        if self.overlay.update(frame, screen, (values.get("camera_x", 0),
                                               values.get("camera_y", 0))):
            return {**values, "game_mode": MODES["dialogue"]}
        return values
