"""The side panel of ``eevee video``: what the agent knew and meant, beside each frame.

:class:`Timeline` walks a recording's decisions in frame order and keeps the agent's
state as of any frame (the view — its area, cell, objective and reasoning, plan, quests —
added up from the recorded changes, and the latest maps). :class:`Panel` draws it: text
at the top, the current area's map at the bottom (cells coloured by what they meant, the
visited floor, the plan's path, the target and the player). A panel is redrawn only when
the state changes; per frame only the frame counter is.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from eevee.emulator.platform import FRAME_RATE_HZ

BG = (18, 18, 24)
FG = (230, 230, 230)
DIM = (150, 150, 160)
ACCENT = (255, 210, 80)
# map characters (eevee.agents.snapshot.MAP_CHARS) -> colours
MAP_COLOURS = {" ": BG, ".": (70, 90, 70), "o": (90, 140, 90), "#": (120, 110, 100),
               "D": (80, 140, 230), "!": (230, 120, 220), "^": (230, 60, 60),
               ",": (110, 130, 60)}
PLAN = (255, 220, 60)
PLAYER = (255, 70, 70)
TARGET = (240, 90, 255)


class Timeline:
    """The agent's recorded state as of a frame (frames must be asked in order)."""

    def __init__(self, decisions: list[dict[str, Any]]) -> None:
        self._items = sorted((d for d in decisions if isinstance(d, dict)),
                             key=lambda d: int(d.get("frame", 0)))
        self._i = 0
        self.view: dict[str, Any] = {}
        self.maps: dict[str, Any] = {}
        self.version = 0  # grows whenever the state changes

    def advance(self, frame: int) -> None:
        """Take in every decision up to and including ``frame``."""
        items = self._items
        while self._i < len(items) and int(items[self._i].get("frame", 0)) <= frame:
            d = items[self._i]
            self._i += 1
            if d.get("kind") == "view":
                self.view.update({k: v for k, v in d.items() if k not in ("kind", "frame")})
                self.version += 1
            elif d.get("kind") == "maps" and isinstance(d.get("maps"), dict):
                self.maps = d["maps"]
                self.version += 1


class Panel:
    """Draws the panel, ``width`` × ``height`` pixels."""

    def __init__(self, width: int, height: int, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.font = ImageFont.load_default()
        self._base: np.ndarray | None = None
        self._version = -1
        self._tick = -1
        self._now = np.zeros((height, width, 3), np.uint8)
        self._line_h = 12

    def draw(self, timeline: Timeline, frame: int) -> np.ndarray:
        """The panel for ``frame`` (an RGB array; the clock line changes ten times a
        second of game time, the rest when the agent's state does)."""
        tick = frame // 6
        if self._base is None or timeline.version != self._version:
            self._base = self._static(timeline)
            self._version, self._tick = timeline.version, -1
        if tick != self._tick:
            self._tick = tick
            img = Image.fromarray(self._base)
            d = ImageDraw.Draw(img)
            seconds = frame / FRAME_RATE_HZ
            d.text((6, 4), f"frame {frame}  {int(seconds // 60)}:{seconds % 60:05.2f}",
                   fill=ACCENT, font=self.font)
            self._now = np.asarray(img)
        return self._now

    def _static(self, t: Timeline) -> np.ndarray:
        img = Image.new("RGB", (self.width, self.height), BG)
        d = ImageDraw.Draw(img)
        v = t.view
        y = 4 + self._line_h
        cols = max(20, self.width // 6 - 1)

        def line(text: str, colour: tuple[int, int, int] = FG) -> None:
            nonlocal y
            if y < self.height - self._line_h:
                d.text((6, y), text[:cols], fill=colour, font=self.font)
            y += self._line_h

        line(self.title, DIM)
        cell = v.get("cell")
        line(f"area {v.get('area')}  cell {tuple(cell) if cell else '-'}")
        obj = v.get("objective") or {}
        if obj:
            line(f"objective: {obj.get('name')} (p{obj.get('priority')})", ACCENT)
            target = obj.get("target")
            line(f"  {obj.get('action')} -> {tuple(target) if target else '-'} "
                 f"in {obj.get('area')}")
            for text in textwrap.wrap(f"why: {obj.get('reason', '')}", cols)[:3]:
                line(text, DIM)
        else:
            line("objective: (none yet)", DIM)
        plan = v.get("plan") or []
        line(f"plan: {len(plan)} cells ({v.get('plan_goal') or '-'})")
        for q in (v.get("quests") or [])[:3]:
            line(f"quest {q.get('name')}: {q.get('status')}", DIM)
        self._map(img, t, top=y + 2)
        return np.asarray(img)

    def _map(self, img: Image.Image, t: Timeline, top: int) -> None:
        """The current area's map in the space left below ``top``."""
        v = t.view
        m = t.maps.get(str(v.get("area")))
        if not m or not m.get("rows") or top >= self.height - 8:
            return
        rows: list[str] = m["rows"]
        h, w = len(rows), max(len(r) for r in rows)
        k = max(1, min((self.width - 12) // max(w, 1), (self.height - top - 4) // max(h, 1), 8))
        ox, oy = m.get("origin", [0, 0])
        grid = np.zeros((h * k, w * k, 3), np.uint8)
        for y, row in enumerate(rows):
            for x, ch in enumerate(row):
                grid[y * k:(y + 1) * k, x * k:(x + 1) * k] = MAP_COLOURS.get(ch, BG)

        def mark(cell: Any, colour: tuple[int, int, int], inset: int = 0) -> None:
            if isinstance(cell, list) and len(cell) == 2:
                x, y = int(cell[0]) - ox, int(cell[1]) - oy
                if 0 <= x < w and 0 <= y < h:
                    s = min(inset, (k - 1) // 2)
                    grid[y * k + s:(y + 1) * k - s, x * k + s:(x + 1) * k - s] = colour

        for c in v.get("plan") or []:
            mark(c, PLAN, inset=k // 3)
        obj = v.get("objective") or {}
        if obj.get("area") == v.get("area"):
            mark(obj.get("target"), TARGET)
        mark(v.get("cell"), PLAYER)
        img.paste(Image.fromarray(grid), (6, top))
