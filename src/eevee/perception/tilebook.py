"""A per-game book of 8×8 tiles: pixel hash → stable tile id, bounded, saved between runs.

Tile ids are small integers handed out in order of first sight and never reused, so
beliefs keyed by id stay valid across runs (the book is saved and loaded with the game).
The book stays bounded on animated or noisy screens: past ``capacity`` entries it evicts
tiles seen in few frames and long ago first.

Lookups are vectorised: the book keeps its keys sorted and resolves a whole frame of
hashes with one ``searchsorted``.

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

_FORMAT = 1


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
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted
        self._ids = np.zeros(0, dtype=np.int32)
        self._count = np.zeros(0, dtype=np.int64)  # frames each tile was seen in
        self._last = np.zeros(0, dtype=np.int64)  # tick of last sight

    def __len__(self) -> int:
        return int(self._keys.size)

    # ---- lookup ------------------------------------------------------------------------
    def lookup(self, hashes: np.ndarray, *, learn: bool = True) -> np.ndarray:
        """Tile ids for ``hashes`` (any shape, uint64), same shape, int32.

        With ``learn=False`` unknown hashes map to :data:`UNKNOWN` and nothing changes
        (use it on fade frames, so transient colours do not fill the book).
        """
        flat = hashes.reshape(-1)
        self.tick += 1
        pos, found = self._find(flat)
        if learn and not found.all():
            self._insert(np.unique(flat[~found]), flat)
            pos, found = self._find(flat)
        ids = self._ids[pos]
        if not found.all():
            ids = np.where(found, ids, UNKNOWN).astype(np.int32)
            pos = pos[found]
        # per-frame bookkeeping: one count per distinct tile in the frame (a fancy-indexed
        # ``+=`` adds once per distinct index), work per cell, not per book entry
        self._count[pos] += 1
        self._last[pos] = self.tick
        return ids.reshape(hashes.shape)

    def _find(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = self._keys
        if keys.size == 0:
            return np.zeros(flat.size, dtype=np.intp), np.zeros(flat.size, dtype=bool)
        pos = np.searchsorted(keys, flat)
        np.minimum(pos, keys.size - 1, out=pos)
        return pos, keys[pos] == flat

    def _insert(self, new: np.ndarray, frame: np.ndarray) -> None:
        room = self.capacity - self._keys.size
        if new.size > room:
            self._evict(new.size - room, keep=frame)
        if new.size > self.capacity - self._keys.size:  # a single frame larger than the book
            new = new[: self.capacity - self._keys.size]
        ids = np.arange(self.next_id, self.next_id + new.size, dtype=np.int32)
        self.next_id += int(new.size)
        keys = np.concatenate([self._keys, new])
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._ids = np.concatenate([self._ids, ids])[order]
        self._count = np.concatenate([self._count, np.zeros(new.size, np.int64)])[order]
        self._last = np.concatenate([self._last, np.full(new.size, self.tick, np.int64)])[order]

    def _evict(self, n: int, keep: np.ndarray) -> None:
        protected = np.isin(self._keys, keep)
        # fewest frames seen first, then oldest; protected (current frame) last of all
        order = np.lexsort((self._last, self._count, protected))
        drop = order[:n]
        drop = drop[~protected[drop]]
        alive = np.ones(self._keys.size, dtype=bool)
        alive[drop] = False
        self.evicted += int(drop.size)
        self._keys = self._keys[alive]
        self._ids = self._ids[alive]
        self._count = self._count[alive]
        self._last = self._last[alive]

    # ---- queries -----------------------------------------------------------------------
    def key_of(self, tile_id: int) -> int | None:
        """The pixel hash behind ``tile_id`` (None if unknown or evicted)."""
        hit = np.flatnonzero(self._ids == tile_id)
        return int(self._keys[hit[0]]) if hit.size else None

    def seen_count(self, tile_id: int) -> int:
        """In how many frames ``tile_id`` was seen (0 if unknown)."""
        hit = np.flatnonzero(self._ids == tile_id)
        return int(self._count[hit[0]]) if hit.size else 0

    # ---- persistence -------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the book to ``path`` atomically (a temporary file, then a rename)."""
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
                        f"{path}: tile book format {int(data['format'][0])} is not {_FORMAT}; "
                        "delete the file to start a new book"
                    )
                capacity, tick, next_id, evicted = (int(v) for v in data["meta"])
                book = cls(capacity)
                book.tick, book.next_id, book.evicted = tick, next_id, evicted
                book._keys = data["keys"].astype(np.uint64)
                book._ids = data["ids"].astype(np.int32)
                book._count = data["count"].astype(np.int64)
                book._last = data["last"].astype(np.int64)
        except FileNotFoundError:
            raise PerceptionError(
                f"{path}: no tile book there; create one with TileBook()"
            ) from None
        except (OSError, KeyError, ValueError) as exc:
            raise PerceptionError(
                f"{path}: not a tile book ({exc}); delete it to start anew"
            ) from None
        if not np.all(book._keys[1:] > book._keys[:-1]):
            raise PerceptionError(f"{path}: tile book keys are not sorted; delete it to start anew")
        return book

    @classmethod
    def open(cls, path: str | os.PathLike[str], capacity: int = 8192) -> TileBook:
        """Load the book at ``path`` if there is one, else a new empty book."""
        return cls.load(path) if Path(path).is_file() else cls(capacity)
