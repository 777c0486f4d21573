"""The pixels-only agent: plays a game with no profile, from what perception sees.

No RAM variables at all. Per frame it runs :class:`~eevee.perception.Perception` on the
screen (plus the GBA IO/VRAM/OAM blocks when the backend exposes them: the pixel path
uses only the BG scroll registers, the sprite decode gives the sprite boxes the player
locator tracks) and acts by screen kind:

- title → START, dialogue and battle → A, menu → B, transition → wait (button edges,
  never a held button, so each press registers once);
- overworld → one step at a time: hold a direction until the player's map position
  (BG scroll + the player's sprite box) starts to change, release, wait until it
  settles. The displacement of the first completed step is the cell size. The outcome
  of each step is learned per cell: moved (walkable), blocked (wall, or an NPC standing
  there: retried later), changed area (door), dialogue opened (interactive).

Areas are keyed by their look: every settled frame stores the tile ids of the screen
at their map positions; after a transition the first settled frame is matched against
each known area's tiles at the same positions (same area when most agree), else a new
area starts. Exploration is breadth-first to the nearest cell whose outcome is unknown
(frontier exploration in map cells); when an area has no frontier left the agent walks
through its least-used door. The decision work runs only when the player has settled
(about once per step, below the tactical rate), the per-frame part is a few comparisons.
"""

from __future__ import annotations

import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eevee.agents.estimate import follow_player
from eevee.agents.policy import MEMORY, SCREEN, Event, Observation
from eevee.agents.senses import signed9
from eevee.emulator.buttons import Buttons
from eevee.perception import Outcome, Perception, ScreenKind
from eevee.runtime.latency import Latency

Cell = tuple[int, int]
UNKNOWN, WALK, WALL, DOOR, TEMP = 0, 1, 2, 3, 4
DIRS: tuple[tuple[int, Cell], ...] = (
    (int(Buttons.RIGHT), (1, 0)), (int(Buttons.LEFT), (-1, 0)),
    (int(Buttons.DOWN), (0, 1)), (int(Buttons.UP), (0, -1)),
)
PRESS_LIMIT = 20  # frames a direction is held with no movement before it counts as blocked
SETTLE = 2  # frames without movement that end a step
MATCH = 0.7  # share of known tiles that must agree for "same area"
TEMP_FRAMES = 600  # a cell an NPC blocked is retried after this many frames
_KEY = 1 << 16


@dataclass
class AreaMap:
    """What the agent learned about one area, in map cells of ``cell`` pixels."""

    id: int
    cells: dict[Cell, int] = field(default_factory=dict)
    doors: dict[Cell, int] = field(default_factory=dict)  # door cell → area it leads to
    door_uses: dict[Cell, int] = field(default_factory=dict)
    temp: dict[Cell, int] = field(default_factory=dict)  # cell → frame an NPC blocked it
    tiles: dict[int, int] = field(default_factory=dict)  # map tile key → tile id
    frontier_left: bool = True


class PixelAgent:
    """Buttons for every frame from the screen alone (see the module doc)."""

    name = "pixels"

    def __init__(self, platform: str = "gba", seed: int = 0) -> None:
        self.perception = Perception(platform, path="pixels")
        self.rng = random.Random(seed)
        self.cell = 0  # pixels per map cell: learned from the first completed step
        self.areas: list[AreaMap] = []
        self.area: AreaMap | None = None
        self.entered: list[int] = []
        self.events: list[tuple[int, str, dict[str, Any]]] = []
        self.latency = {"agent": Latency("agent", 1_000_000),
                        "perception": Latency("perception", 16_742_706)}
        self._mode = "idle"  # idle | press | move | transit
        self._buttons = 0
        self._dir: tuple[int, Cell] | None = None
        self._t = 0
        self._start: Cell | None = None
        self._pos: Cell | None = None  # player's map position in pixels
        self._still = 0
        self._kind: ScreenKind | None = None
        self._edge = 0
        self._from: tuple[AreaMap, Cell] | None = None  # where a transition started
        self.steps = self.blocked = 0
        self._title = 0
        self._me: Cell | None = None
        self._p: Any = None
        self._target_tiles: list[int] = []

    # ------------------------------------------------------------------ per frame
    senses = frozenset((SCREEN, MEMORY))

    def reset(self, *, seed: int | None = None) -> None:
        """Only a fresh agent starts a game: make a new one to play again."""

    def act(self, obs: Observation) -> int:
        m = obs.memory
        return self.act_frame(obs.frame, obs.screen, m.get("io"), m.get("vram"), m.get("oam"),
                              m.get("palette"))

    def act_frame(self, frame: int, screen: np.ndarray, io: bytes | None = None,
            vram: bytes | None = None, oam: bytes | None = None,
            palette: bytes | None = None) -> int:
        t0 = time.perf_counter_ns()
        p = self.perception.perceive(screen, buttons=self._buttons, io=io, vram=vram, oam=oam,
                                     palette=palette)
        t1 = time.perf_counter_ns()
        self.latency["perception"].add(t1 - t0)
        kind = p.kind
        pos: Cell | None = None
        box = self._track(kind, p)
        if box is not None:
            bx, by = box
            if p.grid.scroll is not None:
                pos = (signed9(p.grid.scroll[0]) + bx, signed9(p.grid.scroll[1]) + by)
            else:
                pos = (bx, by)
        if pos is not None and pos == self._pos:
            self._still += 1
        else:
            self._still = 0
        self._pos = pos
        self._kind = kind
        self._p = p
        b = self._decide(frame, kind, pos, p)
        self._buttons = b
        self.latency["agent"].add(time.perf_counter_ns() - t1)
        return b

    def _track(self, kind: ScreenKind, p: Any) -> Cell | None:
        """The player's sprite (screen top-left): perception's choice when the agent has
        none, then the sprite nearest to it frame by frame (a step moves it a few pixels;
        an NPC next to the player cannot take its place)."""
        if kind is not ScreenKind.OVERWORLD:
            if kind is ScreenKind.TRANSITION:
                self._me = None
            return None
        self._me = follow_player(p, self._me)
        return self._me

    def _press_edge(self, button: int) -> int:
        self._edge = (self._edge + 1) % 6
        return button if self._edge < 2 else 0

    def _decide(self, frame: int, kind: ScreenKind, pos: Cell | None, p: Any) -> int:
        if kind is ScreenKind.TITLE or (self.area is None and kind is not ScreenKind.OVERWORLD
                                        and kind is not ScreenKind.TRANSITION):
            # not playing yet: a title screen (whatever its boxes look like) wants START
            self._title += 1
            return self._press_edge(int(Buttons.START) if self._title % 24 < 12
                                    else int(Buttons.A))
        if kind is ScreenKind.TRANSITION:
            if self._mode in ("press", "move") and self.area is not None:
                target = self._target()
                self._from = (self.area, target) if target is not None else None
            elif self._mode != "transit":
                self._from = None
            self._mode = "transit"
            return 0
        if kind in (ScreenKind.DIALOGUE, ScreenKind.BATTLE):
            if self._mode == "press" and self.area is not None and kind is ScreenKind.DIALOGUE:
                target = self._target()
                if target is not None:  # walking into it opened a dialogue: interactive
                    self.area.cells[target] = WALL
                    self._learn(Outcome.OPENED_DIALOGUE)
            if self._mode == "press":
                self._mode = "idle"
            return self._press_edge(int(Buttons.A))
        if kind is ScreenKind.MENU:
            return self._press_edge(int(Buttons.B))
        # overworld
        if pos is None:
            return self._press_edge(self.rng.choice(DIRS)[0])
        if self._mode == "transit" or self.area is None:
            if self._still < SETTLE:
                return 0
            self._arrive(frame, p)
            self._mode = "idle"
        assert self.area is not None
        if self._mode == "press":
            assert self._dir is not None and self._start is not None
            if pos != self._start:
                self._mode = "move"
                return 0
            if frame - self._t >= PRESS_LIMIT:
                self._blocked(frame, p)
                self._mode = "idle"
            else:
                return self._dir[0]
        if self._mode == "move":
            if self._still < SETTLE:
                return 0
            self._moved(frame, pos, p)
            self._mode = "idle"
        if self._still < SETTLE:
            return 0
        return self._step(frame, pos)

    # ------------------------------------------------------------------ outcomes
    def _here(self, pos: Cell | None = None) -> Cell | None:
        pos = pos or self._start or self._pos
        if pos is None or not self.cell:
            return None
        c = self.cell
        return ((pos[0] + c // 2) // c, (pos[1] + c // 2) // c)

    def _target(self) -> Cell | None:
        here = self._here(self._start)
        if here is None or self._dir is None:
            return None
        d = self._dir[1]
        return (here[0] + d[0], here[1] + d[1])

    def _blocked(self, frame: int, p: Any) -> None:
        self.blocked += 1
        target = self._target()
        if target is None or self.area is None:
            return
        if self._npc_at(target, p):
            self.area.temp[target] = frame
            self._target_tiles = []
        else:
            self.area.cells[target] = WALL
            self._learn(Outcome.BLOCKED)

    def _npc_at(self, cell: Cell, p: Any) -> bool:
        """A sprite other than the player covers ``cell`` (it may walk away)."""
        if p.vram is None or p.grid.scroll is None or not self.cell:
            return False
        sx, sy = signed9(p.grid.scroll[0]), signed9(p.grid.scroll[1])
        c = self.cell
        me = p.player.box if p.player is not None else None
        for s in p.vram.sprites:
            if me is not None and (s.x, s.y) == (me[0], me[1]):
                continue
            cx, cy = (sx + s.x + c // 2) // c, (sy + s.y + c // 2) // c
            if abs(cx - cell[0]) + abs(cy - cell[1]) <= 1:
                return True
        return False

    def _moved(self, frame: int, pos: Cell, p: Any) -> None:
        assert self._start is not None and self.area is not None
        dx, dy = pos[0] - self._start[0], pos[1] - self._start[1]
        if not self.cell:
            size = max(abs(dx), abs(dy))
            if size < 4:
                return
            self.cell = size
            self.events.append((frame, "cell_size", {"pixels": size}))
            self._start = pos
        self.steps += 1
        self._learn(Outcome.MOVED)
        here = self._here(pos)
        if here is not None:
            self.area.cells[here] = WALK
            self.area.temp.pop(here, None)
        self._remember(p)

    def _remember(self, p: Any) -> None:
        """Store the screen's tile ids at their map positions (area identification)."""
        if self.area is None or p.grid.scroll is None:
            return
        keys, ids = self._tile_keys(p)
        self.area.tiles.update(zip(keys.tolist(), ids.tolist(), strict=True))

    @staticmethod
    def _tile_keys(p: Any) -> tuple[np.ndarray, np.ndarray]:
        g = p.grid
        rows, cols = g.shape
        sx, sy = signed9(g.scroll[0]) + g.origin[0], signed9(g.scroll[1]) + g.origin[1]
        tx = (sx + 8 * np.arange(cols)) // 8
        ty = (sy + 8 * np.arange(rows)) // 8
        keys = (ty[:, None] + 4096) * _KEY + (tx[None, :] + 4096)
        ids = g.ids
        ok = ids >= 0
        return keys[ok], ids[ok]

    def _arrive(self, frame: int, p: Any) -> None:
        """The first settled overworld frame after a transition: which area is this?"""
        best: AreaMap | None = None
        if p.grid.scroll is not None:
            keys, ids = self._tile_keys(p)
            best_score = MATCH
            for area in self.areas:
                known = [area.tiles.get(k) for k in keys.tolist()]
                both = [(a, b) for a, b in zip(known, ids.tolist(), strict=True) if a is not None]
                if len(both) < 0.3 * len(ids):
                    continue
                score = sum(a == b for a, b in both) / len(both)
                if score >= best_score:
                    best, best_score = area, score
        if best is None:
            best = AreaMap(len(self.areas))
            self.areas.append(best)
        if self._from is not None and self._from[0] is not best:
            src, cell = self._from
            src.doors[cell] = best.id
            src.cells[cell] = DOOR
            src.door_uses[cell] = src.door_uses.get(cell, 0) + 1
            self._learn(Outcome.CHANGED_AREA)
        self._from = None
        if best.id not in self.entered:
            self.entered.append(best.id)
            self.events.append((frame, "area_entered", {"area": best.id}))
        self.area = best
        here = self._here(self._pos)
        if here is not None:
            best.cells[here] = WALK
        self._remember(p)

    # ------------------------------------------------------------------ planning
    def _step(self, frame: int, pos: Cell) -> int:
        assert self.area is not None
        here = self._here(pos)
        d = self._plan(frame, here) if here is not None else None
        if d is None:
            d = self.rng.choice(DIRS)
        self._dir = d
        self._start = pos
        self._t = frame
        self._mode = "press"
        target = self._target()
        self._target_tiles = self._cell_tiles(self._p, target) if target is not None else []
        return d[0]

    def _cell_tiles(self, p: Any, cell: Cell) -> list[int]:
        """The tile ids on screen inside map cell ``cell`` (for the tile semantics)."""
        g = p.grid if p is not None else None
        if g is None or g.scroll is None or not self.cell:
            return []
        c = self.cell
        x0 = cell[0] * c - signed9(g.scroll[0]) - g.origin[0]
        y0 = cell[1] * c - signed9(g.scroll[1]) - g.origin[1]
        rows, cols = g.shape
        c0, r0 = max(0, -(-x0 // 8)), max(0, -(-y0 // 8))
        c1, r1 = min(cols, (x0 + c) // 8), min(rows, (y0 + c) // 8)
        if c0 >= c1 or r0 >= r1:
            return []
        return [int(t) for t in g.ids[r0:r1, c0:c1].ravel()]

    def _learn(self, outcome: Outcome) -> None:
        if self._target_tiles:
            self.perception.semantics.record(self._target_tiles, outcome)
        self._target_tiles = []

    def _plan(self, frame: int, here: Cell) -> tuple[int, Cell] | None:
        """First step towards the nearest unknown cell, else the least-used door."""
        area = self.area
        assert area is not None
        cells = area.cells
        for c, f in list(area.temp.items()):
            if frame - f > TEMP_FRAMES:
                del area.temp[c]
        first: dict[Cell, tuple[int, Cell]] = {}
        queue: deque[Cell] = deque([here])
        seen = {here}
        doors: list[tuple[int, int, Cell]] = []
        n = 0
        while queue:
            c = queue.popleft()
            n += 1
            for d in DIRS:
                nxt = (c[0] + d[1][0], c[1] + d[1][1])
                if nxt in seen or nxt in area.temp:
                    continue
                seen.add(nxt)
                kind = cells.get(nxt, UNKNOWN)
                step = first.get(c, d)
                if kind == UNKNOWN:
                    area.frontier_left = True
                    return step
                if kind == DOOR:
                    target = area.doors.get(nxt, -1)
                    todo = 0 if 0 <= target < len(self.areas) and \
                        self.areas[target].frontier_left else 1
                    doors.append((todo, area.door_uses.get(nxt, 0) * 1000 + n, nxt))
                    first[nxt] = step
                    continue
                if kind == WALK:
                    first[nxt] = step
                    queue.append(nxt)
        area.frontier_left = False
        if doors:
            doors.sort()
            return first[doors[0][2]]
        return None

    # ------------------------------------------------------------------ reporting
    def drain_events(self) -> list[Event]:
        out, self.events = self.events, []
        return [Event(f, k, d) for f, k, d in out]

    def stats(self) -> dict[str, Any]:
        return {
            "agent": "pixels",
            "cell_pixels": self.cell,
            "areas_entered": len(self.entered),
            "steps": self.steps,
            "blocked": self.blocked,
            "cells_known": sum(len(a.cells) for a in self.areas),
            "tiles_with_meaning": len(self.perception.semantics.counts),
            "latency": {k: v.summary() for k, v in self.latency.items()},
        }

    def close(self) -> None:
        pass
