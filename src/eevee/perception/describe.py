"""A compact spatial description of the scene, as text and as the same facts in a dict.

>>> import numpy as np
>>> from eevee.perception.player import Player
>>> from eevee.perception.screenkind import ScreenKind
>>> m = np.zeros((20, 30), np.int8)           # all walkable
>>> m[5, 15] = 3                              # something interactive
>>> p = Player(screen=(124, 68), cell=(15, 8), source="ram", facing="north")
>>> facts = describe(p, m, ScreenKind.DIALOGUE, area="Town", hp=(12, 20))
>>> for part in facts.parts: print(part)
Player at (15,8) facing north
walkable 2 tiles ahead
interactive at (15,5)
area Town
HP 12/20
dialogue open
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eevee.perception.player import Player
from eevee.perception.screenkind import ScreenKind
from eevee.perception.semantics import MEANINGS

_STEP = {"north": (0, -1), "south": (0, 1), "west": (-1, 0), "east": (1, 0)}


@dataclass
class Description:
    """The facts (JSON-ready dict) and their one-line text."""

    facts: dict[str, Any]
    text: str = ""
    parts: list[str] = field(default_factory=list)


def describe(
    player: Player | None,
    meanings: np.ndarray | None,
    kind: ScreenKind,
    *,
    area: str | int | None = None,
    hp: tuple[int, int] | None = None,
    objects: Sequence[tuple[str, tuple[int, int]]] = (),
    doors: Mapping[tuple[int, int], str] | None = None,
    step: int = 1,
    limit: int = 4,
) -> Description:
    """Describe the scene around ``player``.

    ``meanings``: per-cell meaning codes (-1 unknown); ``objects``: named things at cells
    (``("NPC", (15, 5))``); ``doors``: cell → where it leads; ``step``: grid cells per
    game step (2 for 16-pixel games), so "3 tiles ahead" counts game tiles.
    """
    facts: dict[str, Any] = {"screen": kind.value}
    parts: list[str] = []
    if player is not None:
        facts["player"] = {"cell": list(player.cell), "screen": list(player.screen),
                           "source": player.source}
        text = f"Player at ({player.cell[0]},{player.cell[1]})"
        if player.world is not None:
            facts["player"]["world"] = list(player.world)
        if player.facing:
            facts["player"]["facing"] = player.facing
            text += f" facing {player.facing}"
        parts.append(text)
        if player.facing and meanings is not None:
            ahead = _walkable_ahead(meanings, player.cell, _STEP[player.facing], step)
            facts["walkable_ahead"] = ahead
            parts.append(f"walkable {ahead} tile{'s' if ahead != 1 else ''} ahead")
    near: list[dict[str, Any]] = []
    for name, cell in objects:
        near.append({"what": name, "cell": list(cell)})
    if meanings is not None and player is not None:
        for code in (MEANINGS.index("interactive"), MEANINGS.index("door"),
                     MEANINGS.index("hazard")):
            cells = np.argwhere(meanings == code)
            if cells.size:
                d = np.abs(cells - [player.cell[1], player.cell[0]]).sum(axis=1)
                for r, c in cells[np.argsort(d, kind="stable")][:limit]:
                    near.append({"what": MEANINGS[code], "cell": [int(c), int(r)]})
    for entry in near[: limit * 2]:
        cell = tuple(entry["cell"])
        label = f"{entry['what']} at ({cell[0]},{cell[1]})"
        if doors and cell in doors:
            entry["leads_to"] = doors[cell]
            label += f" leads to {doors[cell]}"
        parts.append(label)
    facts["nearby"] = near
    if area is not None:
        facts["area"] = area
        parts.append(f"area {area}")
    if hp is not None:
        facts["hp"] = list(hp)
        parts.append(f"HP {hp[0]}/{hp[1]}")
    if kind in (ScreenKind.DIALOGUE, ScreenKind.MENU):
        parts.append(f"{kind.value} open")
    elif kind is not ScreenKind.OVERWORLD:
        parts.append(f"{kind.value} screen")
    return Description(facts=facts, text=" | ".join(parts), parts=parts)


def _walkable_ahead(meanings: np.ndarray, cell: tuple[int, int], d: tuple[int, int],
                    step: int) -> int:
    rows, cols = meanings.shape
    walk = MEANINGS.index("walkable")
    c, r = cell
    n = 0
    while True:
        c, r = c + d[0] * step, r + d[1] * step
        if not (0 <= c < cols and 0 <= r < rows) or meanings[r, c] != walk:
            return n
        n += 1
        if n >= 9:
            return n
