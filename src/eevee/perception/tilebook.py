"""A per-game book of 8×8 tiles: pixel hash → stable tile id, bounded, saved between runs.

Tile ids are small integers handed out in order of first sight and never reused, so
beliefs keyed by id stay valid across runs (the book is saved and loaded with the game).
The book stays bounded on animated or noisy screens: past ``capacity`` entries it evicts
tiles seen in few frames and long ago first.

Lookups are vectorised: entries stay where they were added (until an eviction compacts
them) and a direct-mapped index, picked by a hash's top bits, holds each entry's place, so
a whole frame of hashes resolves with two gathers and a compare; the few keys that share
an index slot with an earlier key are found in a small sorted array. A frame with the
same hashes as the last one reuses its answer (one compare).

Each tile also carries feature flags (:data:`HEDGE`, :data:`VEDGE`, :data:`FLAT`), set
once from its pixels by the tiler when the tile is first seen, so per-frame work that
looks at what tiles are (the screen classifier's boxes) is array lookups over the grid.

>>> import numpy as np
>>> book = TileBook(capacity=16)
>>> book.lookup(np.array([7, 9, 7], dtype=np.uint64)).tolist()
[0, 1, 0]
>>> len(book)
2
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np

from eevee.perception.errors import PerceptionError

#: the id of "no tile" (an unknown hash looked up with ``learn=False``)
UNKNOWN = -1

# tile feature flags (uint8), see :func:`eevee.perception.tilegrid.tile_flags`
#: rows are one colour each, at least two adjacent ones differ, columns are not: a
#: horizontal edge (the top or bottom border of a framed box)
HEDGE = 1
#: the same for columns: a vertical edge (a box's side)
VEDGE = 2
#: one colour
FLAT = 4
#: the flags of this tile have been computed (a new tile's have not: the tiler computes
#: them from its pixels right after the lookup that added it)
FEATURED = 128

#: the file format; 2 added the flags and came with a cheaper tile hash (format 1 books'
#: keys would never match a frame again)
_FORMAT = 2


class TileBook:
    """Hash → id map with bounded size, LRU/seen-once eviction and atomic persistence.

    ``capacity`` is the most tiles kept. When a frame brings new tiles into a full book,
    the entries seen in the fewest frames (then the least recently seen) are evicted,
    never the ones of the current frame.
    """

    def __init__(self, capacity: int = 8192) -> None:
        if capacity < 16:
            raise PerceptionError(f"tile book capacity must be at least 16, got {capacity}")
        self.capacity = capacity
        self.tick = 0  # frames looked up so far
        self.next_id = 0
        self.evicted = 0
        self._keys = np.zeros(0, dtype=np.uint64)  # in order of addition
        self._ids = np.zeros(0, dtype=np.int32)
        self._count = np.zeros(0, dtype=np.int64)  # frames each tile was seen in
        self._last = np.zeros(0, dtype=np.int64)  # tick of last sight
        self._flags = np.zeros(0, dtype=np.uint8)  # feature flags (FEATURED when set)
        self.unfeatured = 0  # entries whose flags are not computed yet
        # the last lookup, reused while frames repeat: hashes, positions, answer
        self._prev: bytes | None = None
        self._prev_pos = np.zeros(0, dtype=np.intp)
        self._prev_ids = np.zeros(0, dtype=np.int32)
        self._prev_flags = np.zeros(0, dtype=np.uint8)
        self._prev_complete = False  # the last lookup knew every tile
        self._repeats = 0  # frames since the last bookkeeping that repeated the last one
        self._repeat_tick = 0  # the tick of the last of them
        # the index: slot (a hash's top bits) -> entry, -1 free; keys whose slot an earlier
        # key holds ("victims") are in a sorted side array
        bits = max(12, (capacity - 1).bit_length() + 5)  # about 32 slots per entry
        self._shift = np.uint64(64 - bits)
        self._slots = np.full(1 << bits, -1, dtype=np.intp)  # intp: no casts when indexing
        self._vkeys = np.zeros(0, dtype=np.uint64)
        self._vpos = np.zeros(0, dtype=np.intp)

    def __len__(self) -> int:
        return int(self._keys.size)

    # ---- lookup ------------------------------------------------------------------------
    def lookup(self, hashes: np.ndarray, *, learn: bool = True) -> np.ndarray:
        """Tile ids for ``hashes`` (any shape, uint64), same shape, int32.

        With ``learn=False`` unknown hashes map to :data:`UNKNOWN` and nothing changes
        (use it on fade frames, so transient colours do not fill the book).
        """
        return self.lookup_flags(hashes, learn=learn)[0]

    def lookup_flags(
        self, hashes: np.ndarray, *, learn: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, feature flags) for ``hashes``, both of ``hashes``' shape (fresh arrays).

        Unknown tiles have flags ``FEATURED`` (nothing known); new ones ``0`` until
        :meth:`set_flags`. A frame whose hashes equal the last lookup's costs one compare:
        its per-tile bookkeeping is added when the frames stop repeating."""
        flat = hashes.reshape(-1)
        self.tick += 1
        raw = flat.tobytes()  # compares as bytes: far cheaper than an array compare
        if raw == self._prev and (self._prev_complete or not learn):
            self._repeats += 1
            self._repeat_tick = self.tick
            return (self._prev_ids.reshape(hashes.shape).copy(),
                    self._prev_flags.reshape(hashes.shape).copy())
        self._settle()
        pos, found = self._find(flat)
        complete = bool(found.all())
        if learn and not complete:
            self._insert(np.unique(flat[~found]), flat)
            pos, found = self._find(flat)
            complete = bool(found.all())
        if not self._keys.size:  # nothing known (and nothing learned)
            pos = pos[:0]
            ids = np.full(flat.size, UNKNOWN, dtype=np.int32)
            flags = np.full(flat.size, FEATURED, dtype=np.uint8)
        elif complete:
            ids = self._ids.take(pos)
            flags = self._flags.take(pos)
        else:
            ids = np.where(found, self._ids.take(pos), UNKNOWN).astype(np.int32)
            flags = np.where(found, self._flags.take(pos), FEATURED).astype(np.uint8)
            pos = pos[found]
        # per-frame bookkeeping: one count per distinct tile in the frame (a fancy-indexed
        # ``+=`` adds once per distinct index), work per cell, not per book entry
        self._count[pos] += 1
        self._last[pos] = self.tick
        self._prev = raw
        self._prev_pos, self._prev_ids, self._prev_flags = pos, ids, flags
        self._prev_complete = complete
        return ids.reshape(hashes.shape), flags.reshape(hashes.shape)

    def _settle(self) -> None:
        """Add the bookkeeping of the frames that repeated the last lookup."""
        if self._repeats:
            pos = self._prev_pos
            self._count[pos] += self._repeats
            self._last[pos] = self._repeat_tick
            self._repeats = 0

    def _forget_last(self) -> None:
        """Settle and drop the remembered last lookup (before entries move or change)."""
        self._settle()
        self._prev = None

    def set_flags(self, hashes: np.ndarray, flags: np.ndarray) -> None:
        """Store the feature flags of the (known) tiles ``hashes`` (they get ``FEATURED``)."""
        self._prev = None  # a repeat of the last frame must see the new flags
        pos, found = self._find(hashes.reshape(-1))
        pos, flags = pos[found], flags.reshape(-1)[found]
        self.unfeatured -= int(np.count_nonzero((self._flags[np.unique(pos)] & FEATURED) == 0))
        self._flags[pos] = flags | FEATURED

    def _find(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, found) of the hashes ``flat``: the index, then the victims."""
        keys = self._keys
        if keys.size == 0:
            return np.zeros(flat.size, dtype=np.intp), np.zeros(flat.size, dtype=bool)
        pos = self._slots.take(np.right_shift(flat, self._shift).view(np.int64))
        found = keys.take(pos) == flat  # a free slot (-1) reads the last key: no match
        if self._vkeys.size and not found.all():
            miss = np.flatnonzero(~found)
            want = flat.take(miss)
            v = np.searchsorted(self._vkeys, want)
            np.minimum(v, self._vkeys.size - 1, out=v)
            hit = self._vkeys.take(v) == want
            pos[miss[hit]] = self._vpos.take(v[hit])
            found[miss[hit]] = True
        return pos, found

    def _index(self, keys: np.ndarray, pos: np.ndarray) -> None:
        """Add entries (``keys`` at ``pos``) to the index: a free slot goes to one of the
        keys wanting it, the others become victims."""
        slot = np.right_shift(keys, self._shift).view(np.int64)
        free = self._slots.take(slot) < 0
        self._slots[slot[free]] = pos[free]  # of keys wanting one slot, one gets it
        lost = self._slots.take(slot) != pos
        if lost.any():
            vkeys = np.concatenate([self._vkeys, keys[lost]])
            order = np.argsort(vkeys)
            self._vkeys = vkeys[order]
            self._vpos = np.concatenate([self._vpos, pos[lost].astype(np.intp)])[order]

    def _reindex(self) -> None:
        """Build the index again (after entries moved)."""
        self._slots.fill(-1)
        self._vkeys = np.zeros(0, dtype=np.uint64)
        self._vpos = np.zeros(0, dtype=np.intp)
        self._index(self._keys, np.arange(self._keys.size, dtype=np.intp))

    def _insert(self, new: np.ndarray, frame: np.ndarray) -> None:
        self._forget_last()
        room = self.capacity - self._keys.size
        if new.size > room:
            self._evict(new.size - room, keep=frame)
        if new.size > self.capacity - self._keys.size:  # a single frame larger than the book
            new = new[: self.capacity - self._keys.size]
        ids = np.arange(self.next_id, self.next_id + new.size, dtype=np.int32)
        self.next_id += int(new.size)
        start = self._keys.size
        self._keys = np.concatenate([self._keys, new])
        self._ids = np.concatenate([self._ids, ids])
        self._count = np.concatenate([self._count, np.zeros(new.size, np.int64)])
        self._last = np.concatenate([self._last, np.full(new.size, self.tick, np.int64)])
        self._flags = np.concatenate([self._flags, np.zeros(new.size, np.uint8)])
        self.unfeatured += int(new.size)
        self._index(new, np.arange(start, start + new.size, dtype=np.intp))

    def _evict(self, n: int, keep: np.ndarray) -> None:
        protected = np.isin(self._keys, keep)
        # fewest frames seen first, then oldest; protected (current frame) last of all
        order = np.lexsort((self._last, self._count, protected))
        drop = order[:n]
        drop = drop[~protected[drop]]
        alive = np.ones(self._keys.size, dtype=bool)
        alive[drop] = False
        self.evicted += int(drop.size)
        self.unfeatured -= int(np.count_nonzero((self._flags[drop] & FEATURED) == 0))
        self._prev = None
        # the index follows the entries as they close up: the dropped leave their slots,
        # the others' slots get their new places (no rebuild of the whole index)
        moved = np.cumsum(alive) - 1
        slot = np.right_shift(self._keys, self._shift).view(np.int64)
        home = self._slots.take(slot) == np.arange(self._keys.size)
        self._slots[slot[home & ~alive]] = -1
        keep = home & alive
        self._slots[slot[keep]] = moved[keep]
        if self._vpos.size:
            live = alive[self._vpos]
            self._vkeys, self._vpos = self._vkeys[live], moved[self._vpos[live]]
        self._keys = self._keys[alive]
        self._ids = self._ids[alive]
        self._count = self._count[alive]
        self._last = self._last[alive]
        self._flags = self._flags[alive]

    # ---- queries -----------------------------------------------------------------------
    def key_of(self, tile_id: int) -> int | None:
        """The pixel hash behind ``tile_id`` (None if unknown or evicted)."""
        hit = np.flatnonzero(self._ids == tile_id)
        return int(self._keys[hit[0]]) if hit.size else None

    def seen_count(self, tile_id: int) -> int:
        """In how many frames ``tile_id`` was seen (0 if unknown)."""
        self._settle()
        hit = np.flatnonzero(self._ids == tile_id)
        return int(self._count[hit[0]]) if hit.size else 0

    def flags_of(self, tile_id: int) -> int:
        """The feature flags of ``tile_id`` (0 if unknown or not computed yet)."""
        hit = np.flatnonzero(self._ids == tile_id)
        return int(self._flags[hit[0]]) if hit.size else 0

    # ---- persistence -------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the book to ``path`` atomically (a temporary file, then a rename)."""
        self._settle()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez(
            buf,
            format=np.array([_FORMAT]),
            meta=np.array([self.capacity, self.tick, self.next_id, self.evicted], np.int64),
            keys=self._keys,
            ids=self._ids,
            count=self._count,
            last=self._last,
            flags=self._flags,
        )
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(buf.getvalue())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TileBook:
        """Read a book written by :meth:`save`; a bad file raises :class:`PerceptionError`."""
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                if int(data["format"][0]) != _FORMAT:
                    raise PerceptionError(
                        f"{path}: tile book format {int(data['format'][0])} is not {_FORMAT} "
                        "(older books hash tiles differently); delete the file to start a "
                        "new book"
                    )
                capacity, tick, next_id, evicted = (int(v) for v in data["meta"])
                book = cls(capacity)
                book.tick, book.next_id, book.evicted = tick, next_id, evicted
                book._keys = data["keys"].astype(np.uint64)
                book._ids = data["ids"].astype(np.int32)
                book._count = data["count"].astype(np.int64)
                book._last = data["last"].astype(np.int64)
                book._flags = data["flags"].astype(np.uint8)
                book.unfeatured = int(np.count_nonzero((book._flags & FEATURED) == 0))
                if not (book._ids.size == book._count.size == book._last.size
                        == book._flags.size == book._keys.size):
                    raise ValueError("arrays of different lengths")
                if np.unique(book._keys).size != book._keys.size:
                    raise ValueError("a tile hash twice")
                book._reindex()
        except FileNotFoundError:
            raise PerceptionError(
                f"{path}: no tile book there; create one with TileBook()"
            ) from None
        except (OSError, KeyError, ValueError) as exc:
            raise PerceptionError(
                f"{path}: not a tile book ({exc}); delete it to start anew"
            ) from None
        return book

    @classmethod
    def open(cls, path: str | os.PathLike[str], capacity: int = 8192) -> TileBook:
        """Load the book at ``path`` if there is one, else a new empty book."""
        return cls.load(path) if Path(path).is_file() else cls(capacity)
