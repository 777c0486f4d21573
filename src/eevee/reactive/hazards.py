"""The hazard override: read moving hazards from RAM and step aside from collision courses.

For action games whose profile describes a hazards array (``hints.hazards``: address,
count, stride and field offsets; ``hints.hitboxes`` per kind; ``hints.player_hitbox``,
``hints.player_speed`` and ``hints.player_area``), every frame the reactive layer
predicts each of the nine moves (eight directions or standing still) ``HORIZON`` frames
ahead — the player moving at its speed, clamped to its area, the hazards on their
straight lines — and takes the move whose first collision comes last, preferring to
stay near the centre and to keep its current move. A few vectorised numpy operations
over 9 moves × 16 hazards × ``HORIZON`` frames: tens of microseconds.

>>> d = HazardDodger({"hazards": {"count": 1, "stride": 12, "fields": {
...     "kind": {"offset": 0, "type": "|u1"}, "x": {"offset": 2, "type": "<i2"},
...     "y": {"offset": 4, "type": "<i2"}, "vx": {"offset": 6, "type": "<i2"},
...     "vy": {"offset": 8, "type": "<i2"}}}, "hitboxes": {"1": [3, 3, 10, 10]}})
>>> import struct
>>> rock = struct.pack("<BBhhhhBB", 1, 16, 100, 40, 0, 512, 0, 0)  # falling at 2 px/frame
>>> d.decide(100, 100, rock) != 0  # a rock right above: move
True
>>> bool(d.threat)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from eevee.emulator.buttons import Buttons

HORIZON = 30  # frames looked ahead

_MOVES: tuple[tuple[int, int, int], ...] = (
    (0, 0, 0),
    (0, -1, int(Buttons.UP)), (0, 1, int(Buttons.DOWN)),
    (-1, 0, int(Buttons.LEFT)), (1, 0, int(Buttons.RIGHT)),
    (-1, -1, int(Buttons.LEFT | Buttons.UP)), (1, -1, int(Buttons.RIGHT | Buttons.UP)),
    (-1, 1, int(Buttons.LEFT | Buttons.DOWN)), (1, 1, int(Buttons.RIGHT | Buttons.DOWN)),
)


class HazardDodger:
    """Picks, every frame, the move that keeps the player off every hazard's path longest."""

    def __init__(self, hints: Mapping[str, Any]) -> None:
        spec = hints["hazards"]
        fields = spec["fields"]
        names = [n for n in ("kind", "x", "y", "vx", "vy", "fx", "fy") if n in fields]
        self.count = int(spec.get("count", 16))
        self.stride = int(spec["stride"])
        self.address = int(str(spec["address"]), 0) if spec.get("address") else None
        self.dtype = np.dtype({"names": names,
                               "formats": [fields[n]["type"] for n in names],
                               "offsets": [int(fields[n]["offset"]) for n in names],
                               "itemsize": self.stride})
        boxes = {int(k): [int(x) for x in v] for k, v in (hints.get("hitboxes")
                                                          or spec.get("hitboxes") or {}).items()}
        size = max(boxes) + 1 if boxes else 2
        self.box = np.zeros((size, 4), dtype=np.float64)
        for k, b in boxes.items():
            self.box[k] = b
        pb = hints.get("player_hitbox") or [0, 0, 16, 16]
        self.pbox = tuple(float(x) for x in pb)
        area = hints.get("player_area") or {}
        self.xmin, self.xmax = float(area.get("x_min", 0)), float(area.get("x_max", 224))
        self.ymin, self.ymax = float(area.get("y_min", 0)), float(area.get("y_max", 144))
        self.speed = float(hints.get("player_speed", 1))
        t = np.arange(1, HORIZON + 1, dtype=np.float64)
        self._t = t
        mv = np.array([(m[0], m[1]) for m in _MOVES], dtype=np.float64)
        self._buttons = [m[2] for m in _MOVES]
        self._dx = mv[:, 0:1] * self.speed * t  # (9, T) offsets before clamping
        self._dy = mv[:, 1:2] * self.speed * t
        self._last = 0
        self.threat = False

    @property
    def nbytes(self) -> int:
        return self.count * self.stride

    def decide(self, px: int, py: int, raw: bytes) -> int:
        """Buttons for the next frame given the player's top-left and the hazards' bytes."""
        recs = np.frombuffer(raw[: self.nbytes], dtype=self.dtype)
        recs = recs[recs["kind"] != 0]
        x = np.clip(px + self._dx, self.xmin, self.xmax)  # (9, T)
        y = np.clip(py + self._dy, self.ymin, self.ymax)
        bx, by, bw, bh = self.pbox
        cx, cy = (self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2
        if len(recs):
            # only hazards whose path over the horizon can meet the player's reach
            reach = self.speed * HORIZON + 16.0
            hx0 = recs["x"].astype(np.float64)
            hy0 = recs["y"].astype(np.float64)
            hxT = hx0 + recs["vx"] * (HORIZON / 256.0)
            hyT = hy0 + recs["vy"] * (HORIZON / 256.0)
            near = ((np.minimum(hx0, hxT) < px + reach) & (np.maximum(hx0, hxT) + 16 > px - reach)
                    & (np.minimum(hy0, hyT) < py + reach)
                    & (np.maximum(hy0, hyT) + 16 > py - reach))
            recs = recs[near]
        if len(recs) == 0:
            first = np.full(len(_MOVES), HORIZON + 1.0)
        else:
            kinds = np.minimum(recs["kind"].astype(np.int64), len(self.box) - 1)
            hb = self.box[kinds]  # (H, 4)
            fx = recs["fx"] if "fx" in recs.dtype.names else 0
            fy = recs["fy"] if "fy" in recs.dtype.names else 0
            hx0 = recs["x"] * 256.0 + fx
            hy0 = recs["y"] * 256.0 + fy
            # hazard positions (H, T), whole pixels as the game computes them
            hx = np.floor((hx0[:, None] + recs["vx"][:, None] * self._t) / 256.0) + hb[:, 0:1]
            hy = np.floor((hy0[:, None] + recs["vy"][:, None] * self._t) / 256.0) + hb[:, 1:2]
            pxh = x[:, None, :] + bx  # (9, 1, T)
            pyh = y[:, None, :] + by
            hit = ((hx[None] < pxh + bw) & (pxh < hx[None] + hb[None, :, 2:3])
                   & (hy[None] < pyh + bh) & (pyh < hy[None] + hb[None, :, 3:4]))
            any_hit = hit.any(axis=1)  # (9, T)
            first = np.where(any_hit.any(axis=1), any_hit.argmax(axis=1) + 1.0, HORIZON + 1.0)
        safe = first > HORIZON
        stay_ok = bool(safe[0]) and bool(safe[self._index(self._last)])
        self.threat = not bool(safe.all())
        # score: survive longest, then end near the centre, then keep the current move
        end_d = np.abs(x[:, -1] - cx) + np.abs(y[:, -1] - cy)
        score = first * 1000.0 - end_d
        score[self._index(self._last)] += 5.0
        if stay_ok and not self.threat:
            score[0] += 20.0  # nothing coming: no need to move much
        best = int(np.argmax(score))
        self._last = self._buttons[best]
        return self._last

    def _index(self, buttons: int) -> int:
        return self._buttons.index(buttons) if buttons in self._buttons else 0
