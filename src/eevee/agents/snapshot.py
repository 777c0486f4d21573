"""What the agent shows a watcher: its view now, and its maps — JSON-safe, read-only.

The run's recording keeps a view a few times a second (``eevee video`` draws it beside
the frame) and the live dashboard shows one up to ten times a second. Both are taken
between frames and only *read* the agent: taking one never decodes a frame or changes
what the agent will do, so a watched run plays exactly like an unwatched one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from eevee.world.model import AreaMap, CellKind

if TYPE_CHECKING:
    from eevee.agents.three_layer import Agent

PLAN_CELLS = 64  # a view carries at most this many cells of the plan's path
# one character per cell kind in a map's rows (a person reads them; the video draws them)
MAP_CHARS = {CellKind.UNKNOWN: " ", CellKind.WALKABLE: ".", CellKind.WALL: "#",
             CellKind.DOOR: "D", CellKind.INTERACTIVE: "!", CellKind.HAZARD: "^",
             CellKind.SLOW: ","}
LEGEND = {c: k.name.lower() for k, c in MAP_CHARS.items()} | {"@": "player", "o": "visited"}
_CODES = np.array([ord(MAP_CHARS[CellKind(i)]) for i in range(len(CellKind))], np.uint8)


def view(agent: Agent, frame: int) -> dict[str, Any]:
    """The agent now: where it is, what it is after and why, its plan, its quests."""
    s = agent.strategy
    objective = None
    if s is not None:
        act = s.action
        objective = {"name": s.objective.name, "priority": s.objective.priority,
                     "action": act.kind, "source": s.objective.source,
                     "area": _name(act.target.area),
                     "target": list(act.target.cell) if act.target.cell else None,
                     "reason": (s.reasoning or s.situation)[:300],
                     "confidence": round(s.confidence, 3),
                     "since": agent._objective_since}
    plan = agent.reactive.plan
    path: list[list[int]] = []
    if plan is not None:
        for step in plan.steps[plan.index:plan.index + PLAN_CELLS]:
            if step.expect_cell is not None and (not path or list(step.expect_cell) != path[-1]):
                path.append(list(step.expect_cell))
    return {
        "frame": frame,
        "area": _name(agent._area),
        "cell": list(agent._cell) if agent._cell is not None else None,
        "objective": objective,
        "plan": path,
        "plan_goal": plan.goal if plan is not None else None,
        "quests": [{"name": q.name, "status": "done" if q.complete else (
                        f"next: {q.current.milestone}" if q.current else ""),
                    "priority": q.priority} for q in agent.goals.quests],
        "strategist": agent.strategist.name,
        "strategic_calls": agent.strategic_calls,
    }


def latency(agent: Agent) -> dict[str, dict[str, float | None]]:
    """Per layer: p50 and p99 of its work per frame so far, in microseconds."""
    out = {}
    for name, lat in agent.latency.items():
        out[name] = {"p50_us": _round(lat.percentile_us(50)),
                     "p99_us": _round(lat.percentile_us(99))}
    return out


def maps(agent: Agent) -> dict[str, dict[str, Any]]:
    """Every area the agent has a map of: its rows of cell characters (:data:`LEGEND`),
    cropped to what is known."""
    out: dict[str, dict[str, Any]] = {}
    for key, amap in agent.world.areas.items():
        rows = map_rows(amap)
        if rows:
            out[str(key)] = {"width": len(rows[0]), "height": len(rows),
                               "origin": _origin(amap), "rows": rows, "legend": LEGEND}
    return out


def _origin(amap: AreaMap) -> list[int]:
    known = (amap.kinds != CellKind.UNKNOWN).nonzero()
    if not known[0].size:
        return [0, 0]
    return [int(known[1].min()), int(known[0].min())]


def map_rows(amap: AreaMap) -> list[str]:
    """The known part of ``amap`` as rows of characters (visited floor as ``o``)."""
    known = (amap.kinds != CellKind.UNKNOWN).nonzero()
    if not known[0].size:
        return []
    y0, y1 = int(known[0].min()), int(known[0].max()) + 1
    x0, x1 = int(known[1].min()), int(known[1].max()) + 1
    return _rows(amap, x0, y0, x1, y1)


def _rows(amap: AreaMap, x0: int, y0: int, x1: int, y1: int) -> list[str]:
    """Rows of characters of ``amap``'s cells ``[y0:y1, x0:x1]`` (outside it: unknown)."""
    h, w = amap.kinds.shape
    out = np.full((max(0, y1 - y0), max(0, x1 - x0)), ord(" "), np.uint8)
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if cx1 > cx0 and cy1 > cy0:
        kinds = amap.kinds[cy0:cy1, cx0:cx1]
        chars = _CODES[kinds]
        chars[(amap.visits[cy0:cy1, cx0:cx1] > 0) & (kinds == CellKind.WALKABLE)] = ord("o")
        out[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0] = chars
    return [row.tobytes().decode("ascii") for row in out]


def overlay_cells(agent: Agent, values: Mapping[str, int] | None,
                  screen: tuple[int, int]) -> dict[str, Any] | None:
    """What the agent knows of the cells on screen, for a page to draw over the frame:
    the camera (map pixel at the screen's top-left), the cell size, the meaning of each
    visible cell (:data:`MAP_CHARS`), the player and the things seen. Cheap (a slice of
    the map): no image is drawn here. None off the map."""
    area, cell = agent._area, agent._cell
    if area is None or cell is None:
        return None
    cam = agent.sight.camera(values if values is not None else agent._values)
    k = max(1, int(agent.sight.cell_px))
    if cam is None:
        return None
    x0, y0 = cam[0] // k, cam[1] // k
    x1, y1 = (cam[0] + screen[0] - 1) // k + 1, (cam[1] + screen[1] - 1) // k + 1
    amap = agent.world.area(area)
    things = [list(t.cell) for t in agent.world.curiosity.things_in(area)
              if x0 <= t.cell[0] < x1 and y0 <= t.cell[1] < y1]
    return {"cam": [int(cam[0]), int(cam[1])], "cell_px": k, "x0": int(x0), "y0": int(y0),
            "rows": _rows(amap, x0, y0, x1, y1), "player": list(cell), "things": things,
            "screen": list(screen)}


def _name(key: Any) -> str | None:
    return None if key is None else str(key)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
