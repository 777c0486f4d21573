"""The reactive controller: every frame, from memory only, decides the buttons.

Order (SPEC part 4): overrides first (with no profile's modes, nothing new seen for
long → :mod:`eevee.reactive.boredom`; a title → every button in turn until one answers,
:mod:`eevee.reactive.prodder`; a fade → wait; dialogue → advance/answer; menu → close;
battle → fight / item / run by HP; any of these that stands unchanged for
:data:`UNANSWERED` frames, or a map for :data:`STUCK_ON_MAP` → every button in turn),
then the current plan step, then the cached
action for the situation, then a safe fallback walk. It owns button timing (taps are a
press frame then a release frame, so every press is a new edge; walking holds) and stuck
detection (holding a direction, position unchanged, not moving → the cell ahead is
blocked: mark it and ask for a replan).

No I/O, no loops over the map; a handful of dict lookups per frame.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.reactive.boredom import Boredom
from eevee.reactive.deafness import Deafness
from eevee.reactive.hazards import HazardDodger
from eevee.reactive.prodder import STRIDE, Prodder
from eevee.tactical.plan import DIRECTIONS, FACE, MOVE, PRESS, Plan
from eevee.world.model import CellKind, WorldModel

Cell = tuple[int, int]
MODES = {"title": 0, "overworld": 1, "dialogue": 2, "menu": 3, "battle": 4, "transition": 5}
BATTLE_MENU = {"fight": 0, "item": 1, "run": 2, "menu_phase": 3}
_FALLBACK_DIRS = (Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT)
_DIR_OF_BUTTON = {int(b): d for d, b in DIRECTIONS.items()}
_DPAD = sum(_DIR_OF_BUTTON)
# what a walk with no plan keeps off (doors lead away: only a plan takes one)
_NOT_TO_WANDER = (CellKind.WALL, CellKind.HAZARD, CellKind.INTERACTIVE, CellKind.DOOR)

BUMP_FRAMES = 2  # frames holding a direction, standing still, before the way is "blocked"
PROBE_STILL = 8  # ... before another way is tried, while the player is not known yet
PRESS_WAIT = 4  # frames to wait for a press to show an effect
UNANSWERED = 120  # frames a screen (not a map) may stand unchanged under its usual button
STUCK_ON_MAP = 600  # frames a map may stand unchanged while the agent plays it
BLINK = 24  # values of the sampled screen that may differ while it "stands unchanged"
FADE_AT_MOST = 300  # frames a "transition" may last before it is a screen to act on
SAMPLE_EVERY = 8  # frames between looks at whether such a screen changed
LINE_UP = 60  # frames a free mover may take to line up on its cell before it goes anyway


@dataclass
class ReactiveStats:
    bumps: int = 0
    overrides: int = 0
    plan_frames: int = 0
    cached_frames: int = 0
    fallback_frames: int = 0
    surprises: int = 0


@dataclass
class ReactiveController:
    world: WorldModel
    hints: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    plan: Plan | None = None
    need_replan: bool = False
    explore_fallback: bool = False  # True when the tactical layer has no plan to give
    temp_blocked: dict[Cell, int] = field(default_factory=dict)  # cell -> frame (NPCs)
    stats: ReactiveStats = field(default_factory=ReactiveStats)
    action_cache: dict[tuple[Hashable, Cell, str], int] = field(default_factory=dict)
    presses: int = 0  # plan PRESS steps carried out (the agent watches what they did)
    bumped: tuple[Hashable, Cell] | None = None  # the cell last walked into, blocked

    def __post_init__(self) -> None:
        self.modes = {**MODES, **dict(self.hints.get("modes", {}) or {})}
        self.menu = {**BATTLE_MENU, **dict(self.hints.get("battle_menu", {}) or {})}
        self._rng = random.Random(self.seed)
        self._last = 0  # buttons returned last frame
        self._dpad = 0  # the d-pad buttons last pressed
        self._still = 0  # frames holding a direction without moving
        self._lining = 0  # frames spent lining a free mover up on its cell, this step
        self._tapped = 0  # ... when the last tap towards the line was
        # frames the position shows a step late (a screen-read estimate: the agent
        # sets it), added to the frames a blocked way takes
        self.lag = 0
        self._press_wait = 0
        self._fallback = int(Buttons.NONE)
        self._fallback_left = 0
        self._goal = ""
        self._fallback_cell: Cell | None = None
        self._walled_at: Cell | None = None  # where the walk with no plan last walked into
        self._walled: set[int] = set()  # ... what: the ways it found blocked there
        self._done_mode = int(self.modes.get("done", -99))
        self._prev_area: Hashable = None
        self._prev_cell: Cell | None = None
        # counters that go up when the player is thrown back (e.g. ``falls``)
        # (a screen-read estimate counts the player's warps itself: ``warps``)
        self._hazard_vars = tuple(str(k) for k in self.hints.get("hazard_counters", []) or [])
        self._warps = -1
        self._hazard_total = -1
        self._restart_mode = int(self.modes.get("restart", -99))
        hz = self.hints.get("hazards")
        self.dodger = HazardDodger(self.hints) if isinstance(hz, Mapping) else None
        self.hazard_bytes: bytes | None = None  # the hazards array, read this frame
        # this frame's screen (the agent sets it): what a title or a screen that does
        # not answer its usual button is prodded by
        self.screen: np.ndarray | None = None
        self.prodder = Prodder()
        self._sample: np.ndarray | None = None  # the screen when it last changed
        self._sample_mode = -1
        self._unchanged = 0  # frames it has stood unchanged since
        self._in_mode = 0  # frames of "transition" in a row
        self.deafness = Deafness()  # the ways found blocked since the player last moved
        # the game's own modes (a profile): a cutscene is not called a map, so a map
        # where no direction moves anyone is only walls
        self._modes_read = bool(self.hints.get("modes"))
        self.boredom = Boredom()  # (no profile to say what a screen is)

    def _unanswered(self, frame: int, mode: int) -> bool:
        """Whether this screen has stood unchanged for :data:`UNANSWERED` frames (a
        map: :data:`STUCK_ON_MAP`) while the usual buttons for it were pressed (a fade
        that never ends, a dialogue that A does not close, a player boxed in): sampled
        every :data:`SAMPLE_EVERY` frames."""
        limit = STUCK_ON_MAP if mode == self.modes["overworld"] else UNANSWERED
        if frame % SAMPLE_EVERY:
            return self._unchanged >= limit or self._in_mode >= FADE_AT_MOST
        small = self.screen[::STRIDE, ::STRIDE]  # type: ignore[index]
        same_mode = mode == self._sample_mode
        # (a fade is over in a second or two, however its torches flicker)
        self._in_mode = self._in_mode + SAMPLE_EVERY \
            if same_mode and mode == self.modes["transition"] else 0
        if self._sample is not None and same_mode and int(np.count_nonzero(
                small != self._sample)) <= BLINK:  # (a cursor blinks; nothing moves)
            self._unchanged += SAMPLE_EVERY
        else:
            self._unchanged = 0
            self._sample = small.copy()
            self._sample_mode = mode
        return self._unchanged >= limit or self._in_mode >= FADE_AT_MOST

    def _still_deaf(self, frame: int) -> bool:
        """Whether the map is "not a map now" (:mod:`eevee.reactive.deafness`); a spell
        that ends drops the plan, the ways to be found blocked again."""
        if self._modes_read:
            return False
        deaf = self.deafness.still(frame)
        if self.deafness.lapsed:
            self.plan, self.need_replan = None, True
        return deaf

    # ------------------------------------------------------------------ helpers
    def _tap(self, button: int) -> int:
        return self._hold(0 if self._last & button else button)

    def _hold(self, button: int) -> int:
        self._last = button
        if button & _DPAD:
            self._dpad = button & _DPAD
        return button

    def set_plan(self, plan: Plan | None, goal: str = "") -> None:
        self.plan = plan
        self.need_replan = False
        self.explore_fallback = plan is None
        self._lining = self._tapped = 0
        if plan is not None:  # (a walk with no plan goes on counting how long it stood)
            self._still = 0
        self._press_wait = 0
        self._goal = goal

    # ------------------------------------------------------------------ per frame
    def act(self, frame: int, v: Mapping[str, int]) -> int:
        mode = v.get("game_mode", -1)
        modes = self.modes
        where = None
        if mode == modes["overworld"] and not self._modes_read:
            where = (v.get("area", 0), v.get("player_x", 0), v.get("player_y", 0))
            self.deafness.heard(v, where, _DIR_OF_BUTTON.get(self._dpad))
        if self.screen is not None and not self._modes_read:
            bored = self.boredom.act(frame, self.screen, where)
            if bored is not None:  # (nothing new seen for long: :mod:`.boredom`)
                self.stats.overrides += 1
                return self._hold(bored)
        if self.screen is not None and (
                mode == modes["title"] or self._unanswered(frame, mode)
                or (mode == modes["overworld"] and self._still_deaf(frame))):
            # a title, or a screen that what is usually pressed there did not move (a
            # map where the player is boxed in; a "map" that is a cutscene, where no
            # direction moves anyone, until someone moves): try every button in turn
            self.stats.overrides += 1
            return self._hold(self.prodder.act(frame, self.screen))
        if mode == modes["transition"]:
            self.stats.overrides += 1
            return self._hold(0)
        if mode == modes["title"]:
            self.stats.overrides += 1
            return self._tap(int(Buttons.START))
        if mode == modes["dialogue"] or v.get("dialogue_open", 0):
            self.stats.overrides += 1
            self._talked_into(frame, v)
            return self._tap(int(Buttons.A))
        if mode == modes["menu"]:
            self.stats.overrides += 1
            return self._tap(int(Buttons.B))
        if mode == modes["battle"]:
            self.stats.overrides += 1
            return self._battle(v)
        if mode == self._done_mode:  # the game is over (end screen): nothing to do
            return self._hold(0)
        if mode == self._restart_mode:  # game over, START plays again
            return self._tap(int(Buttons.START))
        if self.dodger is not None and self.hazard_bytes:
            # hazard override: step aside from every collision course
            self.stats.overrides += 1
            return self._hold(self.dodger.decide(v.get("player_x", 0), v.get("player_y", 0),
                                                 self.hazard_bytes))
        return self._overworld(frame, v)

    def _battle(self, v: Mapping[str, int]) -> int:
        if v.get("battle", 0) != self.menu["menu_phase"]:
            return self._tap(int(Buttons.A))
        hp, max_hp = v.get("hp", 1), max(1, v.get("max_hp", 1))
        want = self.menu["fight"]
        if hp * 3 < max_hp:
            want = self.menu["item"] if v.get("potions", 0) else self.menu["run"]
        cursor = v.get("menu_cursor", 0)
        if cursor == want:
            return self._tap(int(Buttons.A))
        return self._tap(int(Buttons.DOWN))

    def _overworld(self, frame: int, v: Mapping[str, int]) -> int:
        area = v.get("area", 0)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        prev = self._prev_cell
        thrown = False
        if self._hazard_vars:  # (checked every frame: a throw may land where it began)
            total = sum(v.get(k, 0) for k in self._hazard_vars)
            thrown = self._hazard_total >= 0 and total > self._hazard_total
            self._hazard_total = total
        warps = v.get("warps", -1)
        if warps >= 0:  # (the player moved further in a frame than a walk: sent back)
            if 0 <= self._warps < warps and "sunk_x" in v:
                self.world.mark(frame, area, (v["sunk_x"], v["sunk_y"]), CellKind.HAZARD,
                                "thrown back")
            self._warps = warps
        if prev is not None and area == self._prev_area:
            thrown = thrown or abs(cell[0] - prev[0]) + abs(cell[1] - prev[1]) > 1
            if thrown and self._last in _DIR_OF_BUTTON and warps < 0:
                # thrown back (water, a pit): the cell we stepped into is a hazard (an
                # estimate of the position names it itself: above)
                d = _DIR_OF_BUTTON[self._last]
                self.world.mark(frame, area, (prev[0] + d[0], prev[1] + d[1]),
                                CellKind.HAZARD, "thrown back")
        if area != self._prev_area:
            # a new area: the fallback walk was for the old one; wait for a plan here
            self.explore_fallback = False
            self._fallback_left = 0
        self._prev_area, self._prev_cell = area, cell
        plan = self.plan
        if plan is not None and plan.area != area:
            self.plan = plan = None
            self.need_replan = True
        buttons = self._follow(frame, area, cell, v, plan)
        if buttons is not None:
            return buttons
        if self.plan is None and not self.need_replan:
            self.need_replan = True
        if not self.explore_fallback:
            return self._hold(0)  # the tactical layer is about to plan: wait a frame
        if v.get("moving", 0) and self._fallback_left > 0:
            return self._fallback_walk(frame, area, cell, v.get("moving", 0),
                                       v.get("probing", 0))
        cached = self.action_cache.get((area, cell, self._goal))
        if cached is not None and self._cached_moves(frame, area, cell, cached, v):
            self.stats.cached_frames += 1
            return self._hold(cached)
        return self._fallback_walk(frame, area, cell, v.get("moving", 0),
                                       v.get("probing", 0))

    def _cached_moves(self, frame: int, area: Hashable, cell: Cell, button: int,
                      v: Mapping[str, int]) -> bool:
        """Whether the cached way from here still moves the player: held without a move
        for as long as a blocked way takes, it is forgotten and the cell ahead is a
        bump (someone stands there now)."""
        if self._last != button or v.get("moving", 0) or cell != self._fallback_cell:
            self._fallback_cell, self._still = cell, 0
            return True
        self._still += 1
        if self._still < BUMP_FRAMES + self.lag:
            return True
        del self.action_cache[(area, cell, self._goal)]
        d = _DIR_OF_BUTTON.get(button)
        self._bump(frame, area, None if d is None else (cell[0] + d[0], cell[1] + d[1]))
        return False

    def _follow(self, frame: int, area: Hashable, cell: Cell, v: Mapping[str, int],
                plan: Plan | None) -> int | None:
        """The current plan step's buttons, or None when there is no step to follow
        (the plan ran out, broke, or the player is not where it expected)."""
        while plan is not None:
            step = plan.current
            if step is None:
                self.plan = None
                self.need_replan = True
                break
            if step.kind == MOVE:
                if cell == step.expect_cell and self._there(v, step.button):
                    if step.from_cell is not None:
                        self.action_cache[(area, step.from_cell, self._goal)] = step.button
                    plan.advance()
                    self._still = self._lining = self._tapped = 0
                    continue
                if cell != step.from_cell and cell != step.expect_cell:
                    self._surprise()
                    break
                nudge = self._line_up(v, step.button) if v.get("free") else -1
                if nudge >= 0:
                    self.stats.plan_frames += 1
                    return nudge
                if v.get("moving", 0) == 0 and self._last == step.button:
                    self._still += 1
                    if self._still >= BUMP_FRAMES + self.lag:
                        self._bump(frame, area, step.expect_cell)
                        break
                self.stats.plan_frames += 1
                return self._hold(step.button)
            if step.kind == FACE:
                if step.expect_facing is not None and v.get("facing") == step.expect_facing:
                    plan.advance()
                    self._still = 0
                    continue
                if cell != step.from_cell:
                    self._surprise()
                    break
                if v.get("moving", 0):
                    return self._hold(0)  # (a step still under way ignores buttons)
                self._still += 1
                if self._still > 6 or (step.expect_facing is None and self._still > 1):
                    plan.advance()
                    self._still = 0
                    continue
                self.stats.plan_frames += 1
                return self._tap(step.button)
            if step.kind == PRESS:
                if self._press_wait == 0:
                    if self._last & step.button or v.get("moving", 0):
                        return self._hold(0)  # (a step still under way ignores buttons)
                    self._press_wait = 1
                    self.presses += 1
                    self.stats.plan_frames += 1
                    return self._hold(step.button)
                self._press_wait += 1
                if self._press_wait > PRESS_WAIT:
                    self._press_wait = 0
                    plan.advance()
                    continue
                return self._hold(0)
            plan.advance()
        return None

    def _there(self, v: Mapping[str, int], button: int) -> bool:
        """Whether a free mover (``free``) that reached the next cell is on its corner, or
        within its ``coast`` of it, or past it (a walk on the same way goes on); a
        grid walker's step ends by itself."""
        if not v.get("free"):
            return True
        dx, dy = _DIR_OF_BUTTON[button]
        off = v.get("off_x", 0) * dx + v.get("off_y", 0) * dy
        return off >= -v.get("coast", 0)

    def _line_up(self, v: Mapping[str, int], button: int) -> int:
        """Buttons that put a free mover on its cell's line across the way it is to go
        (a doorway as wide as the player lets it through only on the line), or -1 when it
        is on it (or :data:`LINE_UP` frames of trying did not get it there: a wall).
        Far off, the way to the line is held; within the ``coast``, tapped, each tap
        waited out."""
        dx, _ = _DIR_OF_BUTTON[button]
        off = v.get("off_y", 0) if dx else v.get("off_x", 0)
        if off == 0 or self._lining >= LINE_UP:
            return -1
        self._lining += 1
        toward = (Buttons.UP if off > 0 else Buttons.DOWN) if dx else \
            (Buttons.LEFT if off > 0 else Buttons.RIGHT)
        if abs(off) > v.get("coast", 0):
            return self._hold(int(toward))
        if v.get("moving", 0) or self._last or (
                self._tapped and self._lining < self._tapped + self.lag + 4):
            return self._hold(0)  # (the last tap still to show)
        self._tapped = self._lining
        return self._hold(int(toward))

    def _surprise(self) -> None:
        """The player is not where the plan expected: drop the plan and ask for another."""
        self.stats.surprises += 1
        self.plan = None
        self.need_replan = True

    def _talked_into(self, frame: int, v: Mapping[str, int]) -> None:
        """A dialogue opened as the player walked into the next cell of the plan and did
        not move: someone or something there talks when walked into. It is marked so
        (the plan goes round it), as a bump would have been had no dialogue opened."""
        step = self.plan.current if self.plan is not None else None
        if step is None or step.kind != MOVE or self._last != step.button \
                or (v.get("player_x", 0), v.get("player_y", 0)) != step.from_cell:
            return
        self._bump(frame, v.get("area", 0), step.expect_cell, CellKind.INTERACTIVE)

    def _bump(self, frame: int, area: Hashable, cell: Cell | None,
              kind: CellKind = CellKind.WALL) -> None:
        self.stats.bumps += 1
        self.bumped = None if cell is None else (area, cell)
        if cell is not None:
            self.deafness.bumped(area, cell)
        self._still = 0
        if cell is not None:
            if cell in self.temp_blocked:
                self.temp_blocked[cell] = frame
            elif kind == CellKind.WALL:
                self.world.mark(frame, area, cell, CellKind.WALL, "bumped")
            else:
                self.world.mark(frame, area, cell, kind, "talked when walked into")
        self.plan = None
        self.need_replan = True

    def _fallback_walk(self, frame: int, area: Hashable, cell: Cell, moving: int,
                       probing: int = 0) -> int:
        """Safe exploration when there is no plan: a seeded walk avoiding known walls
        (``probing``: the player is not known yet: a way held without a move is no wall,
        and another is tried after :data:`PROBE_STILL` frames, long enough for a step to
        start)."""
        self.stats.fallback_frames += 1
        if cell == self._fallback_cell and self._last and not moving:
            self._still += 1
        else:
            self._still = 0
        self._fallback_cell = cell
        blocked = self._still >= (PROBE_STILL if probing else BUMP_FRAMES + self.lag)
        if self._fallback_left <= 0 or blocked:
            if self._walled_at != cell:
                self._walled_at, self._walled = cell, set()
            if blocked and not probing:  # (walked into something: learn it)
                self._walled.add(self._fallback)
                d = _DIR_OF_BUTTON[self._fallback]
                self._bump(frame, area, (cell[0] + d[0], cell[1] + d[1]))
            amap = self.world.area(area)
            ahead = [(b, (cell[0] + _DIR_OF_BUTTON[int(b)][0],
                          cell[1] + _DIR_OF_BUTTON[int(b)][1])) for b in _FALLBACK_DIRS]
            options = [b for b, c in ahead if amap.kind(c) not in _NOT_TO_WANDER
                       and int(b) not in self._walled]  # (a person stands there: not again)
            if not options:
                # boxed in by what was learned: a person stood in the way, or a wall
                # was misread; walked into again, it is learned afresh
                for _, c in ahead:
                    if amap.kind(c) in (CellKind.WALL, CellKind.INTERACTIVE):
                        amap.set(c, CellKind.UNKNOWN)
                self._walled.clear()
                options = [b for b, c in ahead if amap.kind(c) not in _NOT_TO_WANDER]
            self._fallback = int(self._rng.choice(options or list(_FALLBACK_DIRS)))
            self._fallback_left = self._rng.randint(8, 24)
            self._still = 0
        self._fallback_left -= 1
        return self._hold(self._fallback)
