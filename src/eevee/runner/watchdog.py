"""Health checks between frames: a frozen game, a profile whose variables read nonsense.

Both run at a low fixed rate (every ``every`` frames), never on every frame. A game is
frozen only when nothing it shows or keeps changed for a long while *and* every button
was tried meanwhile: a screen that waits for the right button is the agent's to solve,
not the game's fault.

>>> w = FreezeWatch(every=60, limit_frames=120)
>>> [w.check(f, b"same", (1, 2)) for f in (0, 60, 120, 180)]  # nothing pressed yet
[False, False, False, False]
>>> for b in Buttons:
...     w.press(int(b))
>>> w.check(240, b"same", (1, 2)), w.check(360, b"same", (1, 2)), w.tried()
(False, True, 'A, B, SELECT, START, RIGHT, LEFT, UP, DOWN')
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eevee.emulator.buttons import Buttons

# the buttons every game answers (GB games ignore L and R): all tried before "frozen"
EVERY_BUTTON = int(Buttons.A | Buttons.B | Buttons.SELECT | Buttons.START | Buttons.RIGHT
                   | Buttons.LEFT | Buttons.UP | Buttons.DOWN)


@dataclass
class FreezeWatch:
    """Screen and RAM unchanged for ``limit_frames`` (default 10 s of game time) after
    every button was pressed (:meth:`press`, each frame) → frozen."""

    every: int = 60
    limit_frames: int = 600
    _last: tuple[bytes, Any] | None = None
    _since: int = 0
    _pressed: int = 0  # the buttons pressed since the screen last changed
    _all_at: int | None = None  # the check that first saw every one of them pressed
    reported: bool = False

    def press(self, buttons: int) -> None:
        """This frame's buttons (an OR: no allocation)."""
        self._pressed |= buttons

    def tried(self) -> str:
        """The buttons pressed since the screen last changed, by name."""
        return ", ".join(str(b.name) for b in Buttons if b & EVERY_BUTTON & self._pressed)

    def check(self, frame: int, screen: bytes, ram: Any) -> bool:
        """True once, when the game has just been found frozen."""
        key = (hashlib.blake2b(screen, digest_size=16).digest(), ram)
        if key != self._last:
            self._last = key
            self._since = frame
            self._pressed, self._all_at = 0, None
            self.reported = False
            return False
        if self._all_at is None and self._pressed & EVERY_BUTTON == EVERY_BUTTON:
            self._all_at = frame  # (the last of them may not have had its effect yet)
        if (not self.reported and self._all_at is not None
                and frame - max(self._since, self._all_at) >= self.limit_frames):
            self.reported = True
            return True
        return False


@dataclass
class SanityWatch:
    """Checks the profile's variables against what its hints say is possible."""

    hints: Mapping[str, Any]
    limit_checks: int = 10  # consecutive bad checks before reporting (10 × 60 = 10 s)
    bad_streak: int = 0
    reported: bool = False
    problems: list[str] = field(default_factory=list)

    def problem(self, v: Mapping[str, int]) -> str | None:
        modes = self.hints.get("modes")
        if modes and "game_mode" in v and v["game_mode"] not in set(modes.values()):
            return f"game_mode {v['game_mode']} is not a known mode"
        sizes: Sequence[Sequence[int]] = self.hints.get("area_sizes") or []
        area = v.get("area")
        if sizes and area is not None:
            if not 0 <= area < len(sizes):
                return f"area {area} out of range"
            w, h = sizes[area]
            if v.get("game_mode") == (modes or {}).get("overworld", 1) and not (
                0 <= v.get("player_x", 0) < w and 0 <= v.get("player_y", 0) < h
            ):
                return f"player ({v.get('player_x')}, {v.get('player_y')}) outside area {area}"
        if "hp" in v and "max_hp" in v and v["max_hp"] and v["hp"] > v["max_hp"]:
            return f"hp {v['hp']} above max_hp {v['max_hp']}"
        return None

    def check(self, v: Mapping[str, int]) -> str | None:
        """The problem, once, when variables have read nonsense for ``limit_checks`` checks."""
        p = self.problem(v)
        if p is None:
            self.bad_streak = 0
            return None
        self.bad_streak += 1
        if self.bad_streak >= self.limit_checks and not self.reported:
            self.reported = True
            self.problems.append(p)
            return p
        return None
