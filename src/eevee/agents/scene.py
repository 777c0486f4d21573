"""The scene for a strategist that looks: the annotated frame and the spatial description.

A model strategist (SPEC part 6) reads an image and a text, not the world model's
arrays. This module draws what the agent knows onto the current frame — the 8×8 grid
tinted by what each map cell has meant so far (walkable, wall, door, interactive,
hazard), the player, the things seen — with :func:`eevee.perception.annotate.render`,
and words it with :func:`eevee.perception.describe.describe`. The built-in strategist does
not look (it reads the todos), so this runs only for strategists that say
``wants_scene = True``, on their calls, never on every frame.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import partial

import numpy as np

from eevee.perception import Percept
from eevee.perception.annotate import Marker, render
from eevee.perception.describe import describe
from eevee.perception.player import Player
from eevee.perception.screenkind import ScreenKind
from eevee.perception.tilegrid import TileGrid
from eevee.world.model import CellKind, WorldModel

Cell = tuple[int, int]
# world cell kinds -> perception's meaning codes (walkable, wall, door, interactive, hazard)
_CODE = np.full(len(CellKind), -1, dtype=np.int8)
for _kind, _code in ((CellKind.WALKABLE, 0), (CellKind.SLOW, 0), (CellKind.WALL, 1),
                     (CellKind.DOOR, 2), (CellKind.INTERACTIVE, 3), (CellKind.HAZARD, 4)):
    _CODE[_kind] = _code


def scene(screen: np.ndarray, p: Percept, world: WorldModel, area: Hashable, cell: Cell,
          cam: Cell, cell_px: int,
          values: Mapping[str, int]) -> Callable[[], tuple[np.ndarray, str]]:
    """What is on ``screen`` (``p``: its percept; ``cam``: the map pixel at the screen's
    top-left), gathered now (copies: cheap, in the frame); call the result for (the
    annotated frame as an RGB array, the description) — the drawing, which takes
    milliseconds, so the strategist's thread does it, never the frame."""
    g = p.grid
    rows, cols = g.shape
    amap = world.area(area)
    # the map cell under each 8×8 tile of the screen, and what it has meant
    xs = (cam[0] + g.origin[0] + 8 * np.arange(cols) + 4) // cell_px
    ys = (cam[1] + g.origin[1] + 8 * np.arange(rows) + 4) // cell_px
    h, w = amap.kinds.shape
    inside = (ys[:, None] >= 0) & (ys[:, None] < h) & (xs[None, :] >= 0) & (xs[None, :] < w)
    kinds = amap.kinds[np.clip(ys, 0, h - 1)[:, None], np.clip(xs, 0, w - 1)[None, :]]
    meanings = np.where(inside, _CODE[kinds], -1).astype(np.int8)
    px = (cell[0] * cell_px - cam[0] + cell_px // 2, cell[1] * cell_px - cam[1] + cell_px // 2)
    player = Player(screen=px, cell=g.cell_at(*px), source="agent", world=cell,
                    facing=p.player.facing if p.player is not None else None)
    markers, objects = [], []
    for t in world.curiosity.things_in(area):
        at = (t.cell[0] * cell_px - cam[0] + cell_px // 2,
              t.cell[1] * cell_px - cam[1] + cell_px // 2)
        if 0 <= at[0] < 8 * cols and 0 <= at[1] < 8 * rows:
            markers.append(Marker(*g.cell_at(*at), "thing"))
            objects.append(("thing", g.cell_at(*at)))
    doors = {g.cell_at(t.cell[0] * cell_px - cam[0] + 4, t.cell[1] * cell_px - cam[1] + 4):
             f"area {t.to_area}" for t in world.doors_of(area)}
    hp = (values["hp"], values["max_hp"]) if "hp" in values and "max_hp" in values else None
    return partial(_draw, screen.copy(), g, meanings, player, markers, p.kind,
                   str(world.names.get(area, area)), hp, objects, doors, max(1, cell_px // 8))


def _draw(screen: np.ndarray, g: TileGrid, meanings: np.ndarray, player: Player,
          markers: list[Marker], kind: ScreenKind, area: str, hp: tuple[int, int] | None,
          objects: list[tuple[str, Cell]], doors: dict[Cell, str],
          step: int) -> tuple[np.ndarray, str]:
    text = describe(player, meanings, kind, area=area, hp=hp, objects=objects, doors=doors,
                    step=step).text
    return np.asarray(render(screen, g, meanings, player, markers, scale=2)), text
