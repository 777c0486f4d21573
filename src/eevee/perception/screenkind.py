"""What kind of screen a frame shows: title, overworld, dialogue, menu, battle, transition.

Three sources, best first:

1. a profile hint: the game's ``game_mode`` variable and its documented values
   (``"0 title, 1 overworld, 2 dialogue ..."`` is parsed into a value → kind map);
2. learned tile votes: every frame seen with a hint votes, for each tile id on screen,
   for the kind; later, without the hint, tiles that only ever appeared on one kind
   (text-box borders, letters, battle art, fade colours) name it. The votes are plain
   arrays saved with the game (:meth:`ScreenClassifier.to_dict`);
3. pixel rules that need nothing (the default without a hint; votes are only kept):

   - before the first START/A press (or d-pad motion) the screen is the title;
   - a flat or near-black frame, or a global fade (most pixels change, all the same way,
     against the previous frame) is a transition;
   - framed boxes (top and bottom edges drawn as stacked one-colour lines, one-colour
     sides): two boxes side by side at different heights (the foe's and the player's
     panels) is a battle, a box across the bottom is a dialogue, a tall box that is not
     full width is a menu; anything else is the overworld.

Boxes are found on the tile grid (:func:`tile_boxes`): every tile gets edge flags once,
when the tile book first sees it (rows of one colour stacked: a horizontal edge; columns:
a vertical one), so a frame's boxes are runs of flagged cells, paired, with flagged
sides: array lookups and a few byte searches, no pixel scans. On the VRAM path the
decoded layers' grids are used the same way (no hashing of the frame). Without a grid,
:func:`find_boxes` looks at the pixels (the same rule at pixel precision, slower). A
frame whose grid repeats the last one reuses its statistics and boxes. The box finders
live in :mod:`~eevee.perception.tileboxes` and :mod:`~eevee.perception.boxes`, the packed
pixel reads under them in :mod:`~eevee.perception.packing`; their names are importable
from here too.

>>> import numpy as np
>>> kinds = ScreenClassifier()
>>> kinds.classify(np.zeros((160, 240, 3), np.uint8)).value
'title'
>>> kinds.note_buttons(0x8)                       # START, and the screen changes
>>> kinds.classify(np.full((160, 240, 3), 255, np.uint8)).value
'transition'
>>> parse_mode_doc("0 title, 1 playing, 2 room transition, 6 escaped (end screen)")
{0: 'title', 1: 'overworld', 2: 'transition', 6: 'title'}
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from eevee.perception.boxes import Box, BoxFinder, find_boxes
from eevee.perception.packing import long_runs, pack_grid, pack_lines
from eevee.perception.tileboxes import TileBoxFinder, tile_boxes
from eevee.perception.tilegrid import TileGrid

__all__ = [
    "KINDS",
    "Box",
    "BoxFinder",
    "Cells",
    "FrameFeatures",
    "KindEvidence",
    "ScreenClassifier",
    "ScreenKind",
    "TileBoxFinder",
    "find_boxes",
    "frame_features",
    "kind_of_boxes",
    "long_runs",
    "pack_grid",
    "pack_lines",
    "parse_mode_doc",
    "tile_boxes",
]

#: what :meth:`ScreenClassifier.classify` finds boxes on: a grid with tile flags, or several
Cells: TypeAlias = "TileGrid | Sequence[TileGrid]"


class ScreenKind(str, enum.Enum):
    """The kinds of screen perception tells apart."""

    TITLE = "title"
    OVERWORLD = "overworld"
    DIALOGUE = "dialogue"
    MENU = "menu"
    BATTLE = "battle"
    TRANSITION = "transition"


KINDS: tuple[ScreenKind, ...] = tuple(ScreenKind)
DARK_STD = 16.0  # grey spread below which a dark screen (mean under 20) is a fade
BAR_TALL = 0.18  # a box across the bottom under this share of the screen tall: a bar?
HUD_BOXES = 8  # status bars remembered
HUD_LOOKS = 600  # box-finding looks a thin box stayed for, at least, to be a status bar
HUD_EDGE = 8  # pixels (a tile row) a status bar may stand off the screen's top or bottom
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



@dataclass
class FrameFeatures:
    """What the pixel rules look at (kept on the classifier as ``last_features``)."""

    mean: float
    std: float
    change: float  # share of sampled pixels that changed against the previous frame
    same_way: float  # of those, how one-sided the change is (1.0: all brighter or all darker)
    boxes: list[Box]


def frame_features(
    frame: np.ndarray,
    prev_small: np.ndarray | None,
    finder: BoxFinder | None = None,
    *,
    boxes: bool = True,
) -> tuple[FrameFeatures, np.ndarray]:
    """Features of ``frame`` and its subsample (pass it back as ``prev_small`` next time):
    the per-pixel sums of every 4th pixel of every 4th line, int16. ``finder``: a
    :class:`BoxFinder` to reuse the last frame's boxes when nothing changed; ``boxes=False``
    leaves the (costly) box search out."""
    sub = frame[::4, ::4]
    now = np.add(sub[..., 0], sub[..., 1], dtype=np.int16)  # per channel: a reduce over 3
    now += sub[..., 2]  # is many times slower
    g = sub[..., 1].astype(np.float64).reshape(-1)  # float sums of bytes are exact here
    n_px = g.size
    s1, s2 = int(g.sum()), int(np.dot(g, g))
    mean = s1 / n_px
    std = float(np.sqrt(max(0, n_px * s2 - s1 * s1))) / n_px
    change = same_way = 0.0
    if prev_small is not None and prev_small.shape == now.shape:
        d = now - prev_small
        n = int(np.count_nonzero(np.abs(d) > 12))
        if n:
            up = int(np.count_nonzero(d > 12))
            # black or white in both frames cannot show a fade: leave such pixels out
            extreme = int(np.count_nonzero((d == 0) & ((now == 0) | (now >= 744))))
            change = n / max(1, d.size - extreme)
            same_way = abs(up * 2 - n) / n
    found: list[Box] = []
    if boxes and std >= 6.0:
        found = finder(frame) if finder is not None else find_boxes(frame)
    return FrameFeatures(mean, std, change, same_way, found), now


def kind_of_boxes(boxes: list[Box], width: int, height: int) -> ScreenKind | None:
    """Battle, dialogue or menu from framed boxes (None: no telling box).

    >>> kind_of_boxes([(10, 8, 110, 38), (130, 64, 230, 102), (2, 112, 238, 158)], 240, 160)
    <ScreenKind.BATTLE: 'battle'>
    >>> kind_of_boxes([(2, 0, 110, 22), (2, 112, 238, 158)], 240, 160)
    <ScreenKind.DIALOGUE: 'dialogue'>
    >>> kind_of_boxes([(162, 0, 238, 70)], 240, 160)
    <ScreenKind.MENU: 'menu'>
    >>> kind_of_boxes([(2, 0, 134, 22), (170, 0, 238, 22)], 240, 160) is None
    True
    """
    mid = width / 2
    for a in boxes:  # the foe's panel on one side, the player's lower on the other
        for b in boxes:
            if (a[2] <= mid + 8 and b[0] >= mid - 8 and a[2] - a[0] >= width / 4
                    and b[2] - b[0] >= width / 4 and b[1] - a[3] >= -8
                    and b[1] - a[1] >= height / 5 and b[3] <= height * 0.8):
                return ScreenKind.BATTLE
    for x0, y0, x1, y1 in boxes:
        if x1 - x0 >= width * 0.7 and y1 >= height * 0.85 and y0 >= height / 2:
            return ScreenKind.DIALOGUE
    for x0, y0, x1, y1 in boxes:
        if x1 - x0 < width * 0.7 and y1 - y0 >= height * 0.3:
            return ScreenKind.MENU
    return None



class ScreenClassifier:
    """Classifies frames; learns tile votes from hinted frames.

    ``mode_map``: game_mode value → kind (from :func:`parse_mode_doc` of the profile).
    """

    def __init__(
        self,
        mode_map: dict[int, str] | None = None,
        capacity: int = 1 << 16,
        *,
        use_votes: bool = False,
    ) -> None:
        self.mode_map = {int(k): ScreenKind(v) for k, v in (mode_map or {}).items()}
        self.votes = np.zeros((capacity, len(KINDS)), dtype=np.float32)
        self._learned: tuple[np.ndarray | None, ScreenKind | None] = (None, None)
        self._seen = 0  # frames learned from or skipped
        self.played = False  # the player has moved at least once (not the title any more)
        self.last: KindEvidence = KindEvidence(ScreenKind.TITLE, "pixels", 0.0)
        self._start_pressed = False
        self.use_votes = use_votes  # let learned tile votes overrule the pixel rules
        self._prev_small: np.ndarray | None = None
        self._finder = BoxFinder()
        self._tile_finders: list[TileBoxFinder] = []  # one per grid of cells
        self._features_key: bytes | None = None  # the tile hashes the last statistics had
        self._hud: list[Box] = []  # boxes the player walked beside: status bars, not text
        self._looks = 0  # frames boxes were looked for
        self._boxes_since: dict[Box, int] = {}  # the boxes of the last look: since when
        self._height = 160  # the screen's, in pixels
        self.last_features: FrameFeatures | None = None

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
        cells: Cells | Callable[[], Cells] | None = None,
    ) -> ScreenKind:
        """The kind of ``frame`` (its tile ``grid`` makes the learned and overlay rules work).

        ``game_mode``: the profile's variable when there is one (ground truth, and it
        trains the votes). ``brightness``: the GBA fade level from memory, when known.
        Boxes are found from a pixel grid's tile flags (:func:`tile_boxes`): ``grid``'s
        when it has them, else ``cells``' (a grid with flags, or several, e.g. a GBA
        frame's layers, or a function making them, called only when boxes are needed),
        else from the pixels (:func:`find_boxes`, slower).
        """
        if game_mode is not None and game_mode in self.mode_map:
            kind = self.mode_map[game_mode]
            if grid is not None:
                self.learn(grid, kind)
            self._after(kind, grid)
            self.last = KindEvidence(kind, "hint", 1.0)
            return kind
        kind, source, conf = self._from_pixels(frame, grid, brightness, cells)
        self._after(kind, grid)
        self.last = KindEvidence(kind, source, conf)
        return kind

    def learn(self, grid: TileGrid, kind: ScreenKind) -> None:
        """Record that ``grid``'s tiles were on a screen of ``kind``."""
        self._seen += 1
        if kind is self._learned[1] and (grid.ids is self._learned[0] or self._seen % 4):
            # the very same tiles again, or a frame like the last ones: every fourth
            # frame of a kind teaches as much (votes are relative)
            return
        self._learned = (grid.ids, kind)
        ids = grid.ids.reshape(-1)
        ids = ids[(ids >= 0) & (ids < self.votes.shape[0])]
        self.votes[ids, _INDEX[kind]] += 1.0

    def note_buttons(self, buttons: int) -> None:
        """Buttons held this frame: START/A on the title, then a transition, starts play."""
        if buttons & 0x9:  # A or START
            self._start_pressed = True

    def note_moved(self) -> None:
        """Tell the classifier the player moved under d-pad control (gameplay started).

        On a screen taken for a text box, a thin box (under :data:`BAR_TALL` of the
        screen tall) along the screen's top or bottom edge that has stayed for
        :data:`HUD_LOOKS` looks is a status bar (a level and hearts, drawn framed): the
        player walks while it shows, as no game lets it behind a text box.
        It is a text box no more, here or again. (A message that shows for a while as
        the game goes on, YOU GOT THE KEY!, comes and goes: still a text box; so is one
        in the middle of the screen, where no status bar stands.)"""
        self.played = True
        if self.last.kind is ScreenKind.DIALOGUE:
            h = self._height
            for box, since in self._boxes_since.items():
                edge = box[1] <= HUD_EDGE or box[3] >= h - HUD_EDGE
                if edge and box[3] - box[1] < h * BAR_TALL and box not in self._hud \
                        and self._looks - since >= HUD_LOOKS:
                    self._hud = [*self._hud[1 - HUD_BOXES:], box]

    # ---- internals -------------------------------------------------------------------
    def _after(self, kind: ScreenKind, grid: TileGrid | None) -> None:
        if kind in (ScreenKind.OVERWORLD, ScreenKind.DIALOGUE, ScreenKind.MENU,
                    ScreenKind.BATTLE):
            self.played = True

    def _from_pixels(
        self, frame: np.ndarray, grid: TileGrid | None, brightness: int,
        cells: Cells | Callable[[], Cells] | None = None,
    ) -> tuple[ScreenKind, str, float]:
        had_prev = self._prev_small is not None
        if grid is not None and grid.flags is not None:
            cells = grid
        # a pixel grid made already tells a repeated frame: same tile hashes at origin (0, 0)
        # (no screen pixels outside the cells) is the same frame, its statistics the last
        # ones and no change (one compare instead of the sampled statistics)
        tiles = cells if isinstance(cells, TileGrid) else None
        key = tiles.hashes.tobytes() if tiles is not None and tiles.hashes is not None \
            and tiles.origin == (0, 0) else None
        last = self.last_features
        if key is not None and key == self._features_key and last is not None:
            feats = FrameFeatures(last.mean, last.std, 0.0, 0.0, [])
        else:
            feats, self._prev_small = frame_features(frame, self._prev_small, boxes=False)
        self._features_key = key
        self.last_features = feats
        if not self.played and (not self._start_pressed or (
                had_prev and self.last.kind is ScreenKind.TITLE and feats.change < 0.02)):
            return ScreenKind.TITLE, "pixels", 0.6  # until START/A changes the screen
        fade = feats.change >= 0.6 and feats.same_way >= 0.9
        # (a dark room with lit walls is dark but not flat: a fade darkens everything)
        dark = feats.mean < 20.0 and feats.std < DARK_STD
        if feats.std < 6.0 or dark or abs(brightness) >= 4 or fade:
            return ScreenKind.TRANSITION, "pixels", 0.9
        if self.use_votes and grid is not None:
            voted = self._vote(grid)
            if voted is not None:
                return voted
        # boxes only now: title and transition frames never need them
        if callable(cells):
            cells = cells()
        grids = [cells] if isinstance(cells, TileGrid) else list(cells or ())
        grids = [g for g in grids if g.flags is not None]
        if grids:
            while len(self._tile_finders) < len(grids):
                self._tile_finders.append(TileBoxFinder())
            feats.boxes = []
            for g, finder in zip(grids, self._tile_finders):
                feats.boxes += finder(g, frame)
        else:
            feats.boxes = self._finder(frame)
        h, w = frame.shape[:2]
        self._height = h
        boxes = feats.boxes
        self._looks += 1
        since = self._boxes_since
        if len(boxes) != len(since) or any(b not in since for b in boxes):
            # (a box came or went; most looks find the same boxes, or none: no new dict)
            self._boxes_since = {b: since.get(b, self._looks) for b in boxes}
        if self._hud:
            boxes = [b for b in boxes if b not in self._hud]
        kind = kind_of_boxes(boxes, w, h)
        if kind is not None:
            return kind, "pixels", 0.8
        return ScreenKind.OVERWORLD, "pixels", 0.6

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
