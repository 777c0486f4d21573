"""A cheap signature of "the same situation", for caching decisions.

The key combines the area, the screen kind, the player's cell and the tiles around the
player, with the tile ids reduced to their *meanings* (or, before anything is known, to
the ids of cells that did not change lately), so animated water or a blinking cursor do
not change it. A 64-bit int and a short hex string.

>>> import numpy as np
>>> from eevee.perception.screenkind import ScreenKind
>>> ids = np.arange(600, dtype=np.int32).reshape(20, 30)
>>> a = situation_key(ScreenKind.OVERWORLD, 3, (15, 8), ids)
>>> b = situation_key(ScreenKind.OVERWORLD, 3, (15, 8), ids.copy())
>>> a == b, a == situation_key(ScreenKind.MENU, 3, (15, 8), ids)
(True, False)
"""

from __future__ import annotations

import hashlib

import numpy as np

from eevee.perception.screenkind import ScreenKind


def situation_key(
    kind: ScreenKind,
    area: int | str | None,
    player_cell: tuple[int, int] | None,
    ids: np.ndarray | None,
    *,
    radius: int = 2,
    stable: np.ndarray | None = None,
    meanings: np.ndarray | None = None,
) -> str:
    """Hex key of the situation. ``stable``: bool mask of cells that count (e.g. not
    animated); ``meanings``: use learned meanings instead of ids near the player."""
    h = hashlib.blake2b(digest_size=8)
    h.update(kind.value.encode())
    h.update(str(area).encode())
    if player_cell is not None:
        c, r = player_cell
        h.update(f"{c},{r}".encode())
        src = meanings if meanings is not None else ids
        if src is not None and kind is ScreenKind.OVERWORLD:
            rows, cols = src.shape
            r0, r1 = max(r - radius, 0), min(r + radius + 1, rows)
            c0, c1 = max(c - radius, 0), min(c + radius + 1, cols)
            patch = np.array(src[r0:r1, c0:c1], dtype=np.int32)
            if stable is not None:
                patch = np.where(stable[r0:r1, c0:c1], patch, -2)
            h.update(patch.tobytes())
    return h.hexdigest()
