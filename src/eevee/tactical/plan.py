"""A plan: button steps, each with the outcome it expects (checked by the reactive layer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from eevee.emulator.buttons import Buttons

Cell = tuple[int, int]

MOVE = "move"  # hold a direction until the player stands on ``expect_cell``
FACE = "face"  # tap a direction to turn towards something solid (``expect_facing``)
PRESS = "press"  # tap a button (A: talk / use), expecting a dialogue or a change

DIRECTIONS: dict[Cell, Buttons] = {
    (1, 0): Buttons.RIGHT,
    (-1, 0): Buttons.LEFT,
    (0, 1): Buttons.DOWN,
    (0, -1): Buttons.UP,
}
FACING_NAME: dict[Cell, str] = {(1, 0): "right", (-1, 0): "left", (0, 1): "down", (0, -1): "up"}


@dataclass(frozen=True)
class PlanStep:
    kind: str
    button: int
    from_cell: Cell | None = None
    expect_cell: Cell | None = None
    expect_facing: int | None = None


@dataclass
class Plan:
    """Steps to execute in order; ``index`` is the next one. ``goal`` names why."""

    area: object
    goal: str
    steps: list[PlanStep] = field(default_factory=list)
    index: int = 0
    made_at: int = 0
    target: Cell | None = None

    @property
    def current(self) -> PlanStep | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def advance(self) -> None:
        self.index += 1
