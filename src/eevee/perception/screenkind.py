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
   - framed boxes (:func:`find_boxes`: top and bottom edges drawn as stacked one-colour
     lines, one-colour sides): two boxes side by side at different heights (the foe's
     and the player's panels) is a battle, a box across the bottom is a dialogue, a tall
     box that is not full width is a menu; anything else is the overworld.

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


# ---- pixel features ----------------------------------------------------------------------
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive) in screen pixels


_BUFS: dict[tuple[str, int, int], np.ndarray] = {}


def _buffer(name: str, shape: tuple[int, int], dtype: type, fill: int = 0) -> np.ndarray:
    """A module-level reused buffer (one per name and shape): no per-frame allocation."""
    key = (name, shape[0], shape[1])
    buf = _BUFS.get(key)
    if buf is None:
        buf = _BUFS[key] = np.full(shape, fill, dtype=dtype)
    return buf


_PACKERS: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def pack_lines(frame: np.ndarray, step: int = 2) -> np.ndarray:
    """Every ``step``-th line of an RGB frame as one uint32 colour per pixel, shape
    (lines, width), in a reused buffer (copy it to keep it): the lines are copied into a
    padded byte buffer, read as unaligned little-endian uint32 at every 3rd byte, and the
    4th byte masked off (no per-channel work).

    >>> f = np.zeros((4, 3, 3), np.uint8); f[2, 1] = (1, 2, 3)
    >>> hex(int(pack_lines(f)[1, 1]))
    '0x30201'
    """
    h, w = frame.shape[:2]
    n = (h + step - 1) // step
    key = (n, w, step)
    packer = _PACKERS.get(key)
    if packer is None:
        raw = np.zeros((n, w * 3 + 4), np.uint8)
        view = np.ndarray((n, w), dtype="<u4", buffer=raw, strides=(w * 3 + 4, 3))
        packer = _PACKERS[key] = (raw, view, np.empty((n, w), np.uint32))
    raw, view, out = packer
    if frame.flags.c_contiguous and frame.dtype == np.uint8 and (n - 1) * step <= h - 2:
        # read straight from the frame: the 4th byte of the last pixel of a line is the
        # first byte of the next line, which exists
        view = np.ndarray((n, w), dtype="<u4", buffer=frame, strides=(w * 3 * step, 3))
    else:
        np.copyto(raw[:, : w * 3], frame[::step].reshape(n, w * 3))
    np.bitwise_and(view, 0xFFFFFF, out=out)
    return out


def _runs_packed(u: np.ndarray, min_len: int, step: int) -> tuple[np.ndarray, ...]:
    n, w = u.shape
    b = _buffer("edges", (n, w + 1), np.bool_, 1)  # columns 0 and w stay True
    np.not_equal(u[:, 1:], u[:, :-1], out=b[:, 1:w])
    pos = np.flatnonzero(b)
    row, col = np.divmod(pos, w + 1)
    lens = col[1:] - col[:-1]
    keep = (row[1:] == row[:-1]) & (lens >= min_len)
    return row[:-1][keep] * step, col[:-1][keep], col[1:][keep]


_ARANGE = np.arange(4096)
_NO_ROWS = np.zeros(0, dtype=np.intp)


def _edge_rows(u: np.ndarray, min_len: int, tol: int) -> np.ndarray:
    """Indices of the lines of ``u`` (:func:`pack_lines`, step 2) that can hold the edge
    lines of a box, from samples every ``stride`` pixels; empty when no box can exist.

    An edge line (a run of at least ``min_len`` over one of another colour and nearly the
    same extent on the next line) makes two consecutive samples equal on each line and
    different between the lines: a candidate. A box's top and bottom edges share an
    interval at least ``min_len - 4 * tol`` long, so they have candidates in the same
    sample column at least 4 lines apart. A superset of the lines :func:`find_boxes` can
    pair; the rest cannot matter."""
    stride = max(1, (min_len - 4 * tol) // 2)
    s = u[:, ::stride]
    same = s[:, 1:] == s[:, :-1]
    cand = same[:-1] & same[1:]
    cand &= s[:-1, 1:] != s[1:, 1:]
    n, m = cand.shape
    first = np.argmax(cand, axis=0)
    last = n - 1 - np.argmax(cand[::-1], axis=0)
    # a column without candidates has first = 0 and cand[0] False there
    if not np.any((last - first >= 4) & cand[first, _ARANGE[:m]]):
        return _NO_ROWS
    hit = cand.any(axis=1)
    mask = np.zeros(u.shape[0], dtype=bool)
    mask[:-1] = hit
    mask[1:] |= hit
    return np.flatnonzero(mask)


def long_runs(frame: np.ndarray, min_len: int, step: int = 2) -> tuple[np.ndarray, ...]:
    """Horizontal runs of one colour at least ``min_len`` long on every ``step``-th line:
    (y, x0, x1) arrays, ordered by y then x0.

    >>> f = np.zeros((4, 100, 3), np.uint8); f[2, 10:70] = 9
    >>> [a.tolist() for a in long_runs(f, 50)]
    [[0, 2], [0, 10], [100, 70]]
    """
    return _runs_packed(pack_lines(frame, step), min_len, step)


def _column_solid(frame: np.ndarray, x: int, y0: int, y1: int, spread: int = 1) -> bool:
    """Whether one of the columns x-spread..x+spread is mostly (text may cross a border)
    one colour from y0 to y1."""
    for c in range(x - spread, x + spread + 1):
        if 0 <= c < frame.shape[1]:
            col = frame[y0:y1:2, c]
            n = col.shape[0]
            if n and np.count_nonzero((col == col[n // 2]).all(axis=1)) >= 0.6 * n:
                return True
    return False


def _column_solid_packed(u: np.ndarray, x: int, y0: int, y1: int, spread: int = 1) -> bool:
    """:func:`_column_solid` on :func:`pack_lines` (step 2) of the frame, for even ``y0``."""
    lo, hi = y0 // 2, max(y0 // 2, (y1 + 1) // 2)
    for c in range(x - spread, x + spread + 1):
        if 0 <= c < u.shape[1]:
            col = u[lo:hi, c]
            n = col.shape[0]
            if n and np.count_nonzero(col == col[n // 2]) >= 0.6 * n:
                return True
    return False


def find_boxes(frame: np.ndarray, *, min_len: int | None = None, step: int = 2,
               tol: int = 3) -> list[Box]:
    """Framed boxes (text boxes, menus, battle panels): a rectangle whose top and bottom
    edges are bands of stacked one-colour lines of different colours (a border drawn in
    layers), at the same x extent, joined by one-colour vertical edges.

    >>> f = np.full((160, 240, 3), 90, np.uint8)
    >>> f[::2, ::2] = 30                                   # a textured scene
    >>> f[110:158, 4:236] = 250; f[110:158, 4:6] = 20; f[156:158, 4:236] = 20
    >>> f[110:112, 4:236] = 20; f[112:114, 6:234] = 200; f[152:154, 6:234] = 200
    >>> f[110:158, 234:236] = 20
    >>> find_boxes(f)
    [(4, 110, 236, 156)]
    """
    u = pack_lines(frame, step)
    return _boxes_packed(frame, u, min_len=min_len, step=step, tol=tol)


def _boxes_packed(frame: np.ndarray, u: np.ndarray, *, min_len: int | None = None,
                  step: int = 2, tol: int = 3) -> list[Box]:
    """:func:`find_boxes` given ``u = pack_lines(frame, step)``."""
    w = frame.shape[1]
    min_len = max(min_len or w // 5, 2 * tol + 1)
    rows = _edge_rows(u, min_len, tol)
    if rows.size < 4:
        return []
    y, x0, x1 = _runs_packed(u[rows], min_len, 1)
    if y.size < 4:
        return []
    y = rows[y] * step
    colour = u[y // step, x0]
    # an edge line: a run over a run of nearly the same extent on the next line, another
    # colour. Runs are sorted by (y, x0) and those of one line are disjoint and at least
    # min_len > 2 * tol long, so at most one run of the next line starts within tol.
    key = y * 1024 + x0
    want = key + step * 1024
    k = np.searchsorted(key, want - tol)
    np.minimum(k, key.size - 1, out=k)
    ok = (np.abs(key[k] - want) <= tol) & (np.abs(x1[k] - x1) <= tol) & (colour[k] != colour)
    i = np.flatnonzero(ok)
    if i.size < 2:
        return []
    k = k[i]
    ey = y[i].tolist()
    ex0 = np.minimum(x0[i], x0[k]).tolist()
    ex1 = np.maximum(x1[i], x1[k]).tolist()
    bands: list[list[int]] = []  # [y_first, y_last, x0, x1]
    for yy, a, b in sorted(zip(ey, ex0, ex1)):
        for band in bands:
            if yy - band[1] <= 2 * step and abs(a - band[2]) <= tol and abs(b - band[3]) <= tol:
                band[1] = yy
                break
        else:
            bands.append([yy, yy, a, b])
    if step == 2:
        def solid(x: int, y0: int, y1: int, spread: int = 1) -> bool:
            return _column_solid_packed(u, x, y0, y1, spread)
    else:
        def solid(x: int, y0: int, y1: int, spread: int = 1) -> bool:
            return _column_solid(frame, x, y0, y1, spread)
    boxes: list[Box] = []
    used: set[int] = set()
    for a in range(len(bands)):
        if a in used:
            continue
        top = bands[a]
        for c in range(a + 1, len(bands)):
            bot = bands[c]
            if c in used or bot[0] - top[1] < 8:
                continue
            if abs(top[2] - bot[2]) > tol or abs(top[3] - bot[3]) > tol:
                continue
            bx0, bx1 = min(top[2], bot[2]), max(top[3], bot[3])
            ya, yb = top[1] + step, bot[0]
            if (solid(bx0, ya, yb) and solid(bx1 - 1, ya, yb)
                    and solid(bx0 + 6, ya, yb, 0) and solid(bx1 - 7, ya, yb, 0)):
                boxes.append((bx0, top[0], bx1, bot[1] + step))
                used.update((a, c))
                break
    return boxes


class BoxFinder:
    """:func:`find_boxes` with memory: a frame whose sampled lines equal the last frame's
    gets the last answer (one compare of the packed lines), so still text boxes, menus and
    battle screens cost a copy and a compare."""

    def __init__(self) -> None:
        self._last: np.ndarray | None = None
        self._boxes: list[Box] = []
        self.hits = 0

    def __call__(self, frame: np.ndarray) -> list[Box]:
        u = pack_lines(frame, 2)
        last = self._last
        if last is not None and last.shape == u.shape and np.array_equal(u, last):
            self.hits += 1
            return list(self._boxes)
        if last is None or last.shape != u.shape:
            last = self._last = np.empty_like(u)
        self._boxes = _boxes_packed(frame, u)
        np.copyto(last, u)
        return list(self._boxes)


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
    now = sub[..., 0].astype(np.int16)  # per channel: a reduce over 3 is many times slower
    now += sub[..., 1]
    now += sub[..., 2]
    g = sub[..., 1].astype(np.float64).reshape(-1)  # float sums of bytes are exact here
    n_px = g.size
    s1, s2 = int(g.sum()), int(np.dot(g, g))
    mean = s1 / n_px
    std = float(np.sqrt(max(0, n_px * s2 - s1 * s1))) / n_px
    change = same_way = 0.0
    if prev_small is not None and prev_small.shape == now.shape:
        d = now - prev_small
        up = int(np.count_nonzero(d > 12))
        n = up + int(np.count_nonzero(d < -12))
        # black or white in both frames cannot show a fade: leave such pixels out
        extreme = int(np.count_nonzero((d == 0) & ((now == 0) | (now >= 744))))
        change = n / max(1, d.size - extreme)
        if n:
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
        self.played = False  # the player has moved at least once (not the title any more)
        self._scene: np.ndarray | None = None  # last overworld grid
        self._scene_scroll: tuple[int, int] | None = None
        self._seen_play = np.zeros(capacity, dtype=bool)  # ids seen on play screens
        self.last: KindEvidence = KindEvidence(ScreenKind.TITLE, "pixels", 0.0)
        self._start_pressed = False
        self.use_votes = use_votes  # let learned tile votes overrule the pixel rules
        self._prev_small: np.ndarray | None = None
        self._finder = BoxFinder()
        self._fading = 0
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
        if buttons & 0x9:  # A or START
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
        had_prev = self._prev_small is not None
        feats, self._prev_small = frame_features(frame, self._prev_small, boxes=False)
        self.last_features = feats
        if not self.played and (not self._start_pressed or (
                had_prev and self.last.kind is ScreenKind.TITLE and feats.change < 0.02)):
            return ScreenKind.TITLE, "pixels", 0.6  # until START/A changes the screen
        fade = feats.change >= 0.6 and feats.same_way >= 0.9
        if feats.std < 6.0 or feats.mean < 20.0 or abs(brightness) >= 4 or fade:
            return ScreenKind.TRANSITION, "pixels", 0.9
        if self.use_votes and grid is not None:
            voted = self._vote(grid)
            if voted is not None:
                return voted
        # boxes only now: title and transition frames never need them
        feats.boxes = self._finder(frame)
        h, w = frame.shape[:2]
        kind = kind_of_boxes(feats.boxes, w, h)
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
