"""What kind of screen a frame shows: title, overworld, dialogue, menu, battle, transition.

Three sources, best first:

1. a profile hint: the game's ``game_mode`` variable and its documented values
   (``"0 title, 1 overworld, 2 dialogue ..."`` is parsed into a value → kind map);
2. learned tile votes: every frame seen with a hint votes, for each tile id on screen,
   for the kind; later, without the hint, tiles that only ever appeared on one kind
   (text-box borders, letters, battle art, fade colours) name it. The votes are plain
   arrays saved with the game (:meth:`ScreenClassifier.to_dict`);
3. pixel rules that need nothing: a flat or near-black frame is a transition; before the
   player has ever moved the screen is the title; a changed band across the bottom over an
   unchanged scene is a dialogue box, a changed box at one side is a menu, a whole screen
   of tiles never seen in play is a battle.

>>> import numpy as np
>>> kinds = ScreenClassifier()
>>> kinds.classify(np.zeros((160, 240, 3), np.uint8)).value
'transition'
>>> parse_mode_doc("0 title, 1 playing, 2 room transition, 6 escaped (end screen)")
{0: 'title', 1: 'overworld', 2: 'transition', 6: 'title'}
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from eevee.perception.tilegrid import TileGrid


class ScreenKind(str, enum.Enum):
    """The kinds of screen perception tells apart."""

    TITLE = "title"
    OVERWORLD = "overworld"
    DIALOGUE = "dialogue"
    MENU = "menu"
    BATTLE = "battle"
    TRANSITION = "transition"


KINDS: tuple[ScreenKind, ...] = tuple(ScreenKind)
_INDEX = {k: i for i, k in enumerate(KINDS)}

_WORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("title", ScreenKind.TITLE),
    ("end", ScreenKind.TITLE),
    ("game over", ScreenKind.TITLE),
    ("overworld", ScreenKind.OVERWORLD),
    ("playing", ScreenKind.OVERWORLD),
    ("field", ScreenKind.OVERWORLD),
    ("dialog", ScreenKind.DIALOGUE),
    ("text", ScreenKind.DIALOGUE),
    ("menu", ScreenKind.MENU),
    ("battle", ScreenKind.BATTLE),
    ("fight", ScreenKind.BATTLE),
    ("transition", ScreenKind.TRANSITION),
    ("fade", ScreenKind.TRANSITION),
)


def parse_mode_doc(doc: str) -> dict[int, str]:
    """Value → kind name from a ``game_mode`` doc like ``"0 title, 1 overworld, 2 ..."``."""
    out: dict[int, str] = {}
    for value, words in re.findall(r"(\d+)\s*[:=]?\s*([^,;]+)", doc):
        text = words.lower()
        for word, kind in _WORDS:
            if word in text:
                out[int(value)] = kind.value
                break
    return out


@dataclass
class KindEvidence:
    """Why a kind was chosen (for logs and the annotated frame)."""

    kind: ScreenKind
    source: str  # "hint", "votes", "pixels"
    confidence: float


class ScreenClassifier:
    """Classifies frames; learns tile votes from hinted frames.

    ``mode_map``: game_mode value → kind (from :func:`parse_mode_doc` of the profile).
    """

    def __init__(self, mode_map: dict[int, str] | None = None, capacity: int = 1 << 16) -> None:
        self.mode_map = {int(k): ScreenKind(v) for k, v in (mode_map or {}).items()}
        self.votes = np.zeros((capacity, len(KINDS)), dtype=np.float32)
        self.played = False  # the player has moved at least once (not the title any more)
        self._scene: np.ndarray | None = None  # last overworld grid
        self._scene_scroll: tuple[int, int] | None = None
        self._seen_play = np.zeros(capacity, dtype=bool)  # ids seen on play screens
        self.last: KindEvidence = KindEvidence(ScreenKind.TITLE, "pixels", 0.0)
        self._start_pressed = False

    @classmethod
    def for_profile(cls, profile: Any) -> ScreenClassifier:
        """A classifier using ``profile``'s ``game_mode`` doc (None: no hints)."""
        var = getattr(profile, "variables", {}).get("game_mode") if profile else None
        mapping = parse_mode_doc(var.doc) if var is not None else {}
        hinted = profile.hint("screen_kinds") if profile is not None else None
        if isinstance(hinted, dict):
            mapping.update({int(k): str(v) for k, v in hinted.items()})
        return cls(mapping)

    # ---- public ----------------------------------------------------------------------
    def classify(
        self,
        frame: np.ndarray,
        grid: TileGrid | None = None,
        *,
        game_mode: int | None = None,
        brightness: int = 0,
    ) -> ScreenKind:
        """The kind of ``frame`` (its tile ``grid`` makes the learned and overlay rules work).

        ``game_mode``: the profile's variable when there is one (ground truth, and it
        trains the votes). ``brightness``: the GBA fade level from memory, when known.
        """
        if game_mode is not None and game_mode in self.mode_map:
            kind = self.mode_map[game_mode]
            if grid is not None:
                self.learn(grid, kind)
            self._after(kind, grid)
            self.last = KindEvidence(kind, "hint", 1.0)
            return kind
        kind, source, conf = self._from_pixels(frame, grid, brightness)
        self._after(kind, grid)
        self.last = KindEvidence(kind, source, conf)
        return kind

    def learn(self, grid: TileGrid, kind: ScreenKind) -> None:
        """Record that ``grid``'s tiles were on a screen of ``kind``."""
        ids = grid.ids.reshape(-1)
        ids = ids[(ids >= 0) & (ids < self.votes.shape[0])]
        self.votes[ids, _INDEX[kind]] += 1.0

    def note_buttons(self, buttons: int) -> None:
        """Buttons held this frame: START/A on the title, then a transition, starts play."""
        if not self.played and buttons & 0x9:  # A or START
            self._start_pressed = True

    def note_moved(self) -> None:
        """Tell the classifier the player moved under d-pad control (gameplay started)."""
        self.played = True

    # ---- internals -------------------------------------------------------------------
    def _after(self, kind: ScreenKind, grid: TileGrid | None) -> None:
        if kind in (ScreenKind.OVERWORLD, ScreenKind.DIALOGUE, ScreenKind.MENU,
                    ScreenKind.BATTLE):
            self.played = True
        if kind is ScreenKind.OVERWORLD and grid is not None:
            self._scene = grid.ids.copy()
            self._scene_scroll = grid.scroll
            ids = grid.ids.reshape(-1)
            self._seen_play[ids[(ids >= 0) & (ids < self._seen_play.size)]] = True

    def _from_pixels(
        self, frame: np.ndarray, grid: TileGrid | None, brightness: int
    ) -> tuple[ScreenKind, str, float]:
        small = frame[::4, ::4, 1]  # green carries most of the luminance
        mean = float(small.mean())
        std = float(small.std())
        if std < 6.0 or mean < 20.0 or abs(brightness) >= 4:
            if self._start_pressed:
                self.played = True
            return ScreenKind.TRANSITION, "pixels", 0.9
        if grid is not None:
            voted = self._vote(grid)
            if voted is not None:
                return voted
            overlay = self._overlay(grid)
            if overlay is not None:
                return overlay, "pixels", 0.6
        if not self.played:
            return ScreenKind.TITLE, "pixels", 0.5
        return ScreenKind.OVERWORLD, "pixels", 0.5

    def _vote(self, grid: TileGrid) -> tuple[ScreenKind, str, float] | None:
        ids = grid.ids.reshape(-1)
        ids = ids[(ids >= 0) & (ids < self.votes.shape[0])]
        v = self.votes[ids]
        total = v.sum(axis=1)
        known = total > 0
        if np.count_nonzero(known) < ids.size // 4:
            return None
        share = v[known] / total[known, None]
        exclusive = (share >= 0.9).sum(axis=0)  # cells whose tile belongs to one kind
        mean_share = share.mean(axis=0)
        over = _INDEX[ScreenKind.OVERWORLD]
        exclusive[over] = 0
        best = int(np.argmax(exclusive))
        if exclusive[best] >= 6:
            return KINDS[best], "votes", float(mean_share[best])
        top = int(np.argmax(mean_share))
        return KINDS[top], "votes", float(mean_share[top])

    def _overlay(self, grid: TileGrid) -> ScreenKind | None:
        """Dialogue/menu/battle from which cells changed against the last overworld scene."""
        if self._scene is None or grid.scroll != self._scene_scroll:
            return None
        changed = grid.ids != self._scene
        frac = float(changed.mean())
        if frac < 0.04:
            return None
        rows, cols = changed.shape
        row_frac = changed.mean(axis=1)
        col_frac = changed.mean(axis=0)
        band = np.flatnonzero(row_frac > 0.6)
        if band.size and band.min() >= rows // 3 and frac < 0.5:
            return ScreenKind.DIALOGUE
        box_cols = np.flatnonzero(col_frac > 0.3)
        if box_cols.size and box_cols.size < cols * 0.7 and frac < 0.5:
            return ScreenKind.MENU
        return None

    # ---- persistence -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the mode map and the non-zero votes."""
        rows = np.flatnonzero(self.votes.any(axis=1))
        return {
            "format": 1,
            "mode_map": {str(k): v.value for k, v in self.mode_map.items()},
            "votes": {str(int(r)): [round(float(x), 2) for x in self.votes[r]] for r in rows},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScreenClassifier:
        out = cls({int(k): str(v) for k, v in data.get("mode_map", {}).items()})
        for key, row in data.get("votes", {}).items():
            if int(key) < out.votes.shape[0]:
                out.votes[int(key)] = row
        return out
