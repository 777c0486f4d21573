"""Buttons as an IntFlag in GBA KEYINPUT bit order (bit 0 = A ... bit 9 = L).

>>> from eevee.emulator.buttons import Buttons
>>> int(Buttons.A | Buttons.RIGHT)
17
>>> Buttons.parse("up+a")
<Buttons.A|UP: 65>
"""

from __future__ import annotations

import enum


class Buttons(enum.IntFlag):
    """A set of pressed buttons. Game Boy games ignore L and R."""

    NONE = 0
    A = 1 << 0
    B = 1 << 1
    SELECT = 1 << 2
    START = 1 << 3
    RIGHT = 1 << 4
    LEFT = 1 << 5
    UP = 1 << 6
    DOWN = 1 << 7
    R = 1 << 8
    L = 1 << 9

    @classmethod
    def parse(cls, text: str) -> Buttons:
        """Parse ``"up+a"``, ``"UP|A"``, ``"none"`` or ``""``; unknown names raise ValueError."""
        result = cls.NONE
        for part in text.replace("|", "+").replace(",", "+").split("+"):
            name = part.strip().upper()
            if not name or name == "NONE":
                continue
            if name not in cls.__members__:
                valid = ", ".join(n for n in cls.__members__ if n != "NONE")
                raise ValueError(f"unknown button {part.strip()!r}; valid buttons: {valid}")
            result |= cls[name]
        return result

    def names(self) -> list[str]:
        """Names of the pressed buttons in bit order, e.g. ``['A', 'UP']``."""
        return [m.name for m in Buttons if m.value and self & m and m.name]


#: button bit -> the capitalised name both SkyEmu and mGBA-http use on the wire
WIRE_NAMES: dict[int, str] = {
    int(Buttons.A): "A",
    int(Buttons.B): "B",
    int(Buttons.SELECT): "Select",
    int(Buttons.START): "Start",
    int(Buttons.RIGHT): "Right",
    int(Buttons.LEFT): "Left",
    int(Buttons.UP): "Up",
    int(Buttons.DOWN): "Down",
    int(Buttons.R): "R",
    int(Buttons.L): "L",
}

DPAD = Buttons.RIGHT | Buttons.LEFT | Buttons.UP | Buttons.DOWN
ALL_BUTTONS = Buttons(0x3FF)
