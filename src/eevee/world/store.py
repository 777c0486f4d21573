"""The knowledge store: what the agent learned about each game, kept in SQLite.

One SQLite file per game (named by the ROM's SHA-1) in a folder (``eevee play
--knowledge DIR``; the command line's default is :func:`default_dir`). Areas, doors,
things seen, looks and healers are rows (``eevee knowledge show`` reads them; queries are
parameterised); a document of :mod:`eevee.world.knowledge` goes in and comes out whole.
WAL journaling; each save is one transaction, so a kill mid-save leaves the previous
knowledge. The agent reads the store once at start and works from its in-memory copy;
saves are made by the run's writer thread, never inside a frame.

>>> import tempfile
>>> store = KnowledgeStore(tempfile.mkdtemp())
>>> store.save("ab" * 20, "quest", {"schema": 1, "areas": [], "transitions": [],
...     "things": [], "looks": {"5": [1, 0, 0, 0, 0, 0]}, "healers": []})
>>> [(g.name, g.areas) for g in store.games()], store.load("ab" * 20)["looks"]
([('quest', 0)], {'5': [1, 0, 0, 0, 0, 0]})
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eevee.errors import StorageError
from eevee.runtime.files import data_dir
from eevee.world.knowledge import SCHEMA

SHA1 = re.compile(r"^[0-9a-f]{40}$")
_TABLES = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS areas(key TEXT PRIMARY KEY, name TEXT, width INTEGER,
    height INTEGER, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transitions(area TEXT, x INTEGER, y INTEGER, to_area TEXT,
    to_cell TEXT, PRIMARY KEY(area, x, y));
CREATE TABLE IF NOT EXISTS things(area TEXT, home_x INTEGER, home_y INTEGER, x INTEGER,
    y INTEGER);
CREATE TABLE IF NOT EXISTS looks(look INTEGER PRIMARY KEY, counts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS healers(target TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS leads(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, area TEXT,
    x INTEGER, y INTEGER);
"""


def default_dir() -> Path:
    """``$EEVEE_DATA/knowledge``, else ``$XDG_DATA_HOME/eevee/knowledge``, else
    ``~/.local/share/eevee/knowledge``."""
    return data_dir() / "knowledge"


@dataclass(frozen=True)
class GameKnowledge:
    """One game in the store, as ``eevee knowledge list`` shows it."""

    sha1: str
    name: str
    areas: int
    doors: int
    things: int
    saved: str


# ---------------------------------------------------------------- shared by every store

def check_sha1(sha1: str) -> str:
    """``sha1`` if it is a ROM SHA-1 (40 lower-case hex digits), else a StorageError."""
    if not SHA1.match(sha1):
        raise StorageError(f"{sha1!r} is not a ROM SHA-1 (40 hex digits): name a game "
                           "as eevee knowledge list shows it")
    return sha1


def find_game(games: Iterable[GameKnowledge], name_or_sha1: str,
              where: str) -> GameKnowledge:
    """The one game of ``games`` named ``name_or_sha1`` or whose SHA-1 starts with it."""
    known = list(games)
    found = [g for g in known
             if g.name == name_or_sha1 or g.sha1.startswith(name_or_sha1.lower())]
    if len(found) != 1:
        names = ", ".join(f"{g.name} ({g.sha1[:10]})" for g in known) or "none"
        what = "no game" if not found else "more than one game"
        raise StorageError(f"{what} in {where} matches {name_or_sha1!r}; known: {names}")
    return found[0]


def with_keys(keys: str, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with what its area keys are (``"profile"`` or ``"pixels"``; see
    :meth:`eevee.agents.three_layer.Agent.knowledge`) when the save said."""
    if keys:
        doc["keys"] = keys
    return doc


def now() -> str:
    """The time of a save, as the SQLite store writes it (UTC, whole seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class KnowledgeStore:
    """Knowledge documents per game under ``folder`` (see the module doc)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path(self, sha1: str) -> Path:
        return self.folder / f"{check_sha1(sha1)}.sqlite"

    @contextmanager
    def _db(self, sha1: str, *, create: bool) -> Iterator[sqlite3.Connection]:
        path = self.path(sha1)
        if not create and not path.is_file():
            raise StorageError(f"no knowledge of game {sha1} in {self.folder}")
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(path, timeout=10)) as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_TABLES)
                found = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if found is not None and int(found[0]) != SCHEMA:
                    raise StorageError(f"{path} holds knowledge of schema {found[0]}, this "
                                       f"Eevee reads {SCHEMA}: forget it (eevee knowledge "
                                       "forget GAME) or use the Eevee that made it")
                yield db
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"the knowledge store {path} is damaged ({exc}): move it "
                               "away or forget it (eevee knowledge forget GAME)") from exc
        except OSError as exc:
            raise StorageError(f"cannot open the knowledge store {path}: "
                               f"{exc.strerror or exc}; choose another --knowledge "
                               "folder") from exc

    def save(self, sha1: str, name: str, doc: dict[str, Any]) -> None:
        """Replace the game's knowledge with ``doc``, in one transaction."""
        with self._db(sha1, create=True) as db, db:
            for table in ("areas", "transitions", "things", "looks", "healers", "leads"):
                db.execute(f"DELETE FROM {table}")  # (table names are ours, not input)
            db.executemany("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO "
                           "UPDATE SET value=excluded.value",
                           [("schema", str(SCHEMA)), ("sha1", sha1), ("name", name),
                            ("saved", now()), ("keys", str(doc.get("keys", "")))])
            db.executemany("INSERT INTO areas VALUES(?, ?, ?, ?, ?)",
                           [(json.dumps(a["key"]), a.get("name", ""), a["size"][0],
                             a["size"][1], json.dumps(a)) for a in doc.get("areas", [])])
            db.executemany("INSERT OR REPLACE INTO transitions VALUES(?, ?, ?, ?, ?)",
                           [(json.dumps(t["area"]), t["cell"][0], t["cell"][1],
                             json.dumps(t["to_area"]), json.dumps(t.get("to_cell")))
                            for t in doc.get("transitions", [])])
            db.executemany("INSERT INTO things VALUES(?, ?, ?, ?, ?)",
                           [(json.dumps(t["area"]), *t["home"], *t["cell"])
                            for t in doc.get("things", [])])
            db.executemany("INSERT INTO looks VALUES(?, ?)",
                           [(int(k), json.dumps(v)) for k, v in doc.get("looks", {}).items()])
            db.executemany("INSERT OR IGNORE INTO healers VALUES(?)",
                           [(json.dumps(h),) for h in doc.get("healers", [])])
            db.executemany("INSERT INTO leads(kind, area, x, y) VALUES(?, ?, ?, ?)",
                           [(d["kind"], json.dumps(d["area"]), *d["cell"])
                            for d in doc.get("leads", [])])

    def load(self, sha1: str) -> dict[str, Any] | None:
        """The game's knowledge document, or None if the store knows nothing of it."""
        if not self.path(sha1).is_file():
            return None
        with self._db(sha1, create=False) as db:
            if db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() is None:
                return None
            keys = db.execute("SELECT value FROM meta WHERE key='keys'").fetchone()
            return with_keys(keys[0] if keys else "", {
                "schema": SCHEMA,
                "areas": [json.loads(d) for (d,) in db.execute(
                    "SELECT doc FROM areas ORDER BY rowid")],
                "transitions": [{"area": json.loads(a), "cell": [x, y],
                                 "to_area": json.loads(ta), "to_cell": json.loads(tc)}
                                for a, x, y, ta, tc in db.execute(
                                    "SELECT * FROM transitions ORDER BY rowid")],
                "things": [{"area": json.loads(a), "home": [hx, hy], "cell": [x, y]}
                           for a, hx, hy, x, y in db.execute(
                               "SELECT * FROM things ORDER BY rowid")],
                "looks": {str(k): json.loads(c) for k, c in db.execute(
                    "SELECT look, counts FROM looks ORDER BY look")},
                "healers": [json.loads(h) for (h,) in db.execute(
                    "SELECT target FROM healers ORDER BY rowid")],
                "leads": [{"kind": k, "area": json.loads(a), "cell": [x, y]}
                          for k, a, x, y in db.execute(
                              "SELECT kind, area, x, y FROM leads ORDER BY seq")],
            })

    def games(self) -> list[GameKnowledge]:
        """Every game the store holds knowledge of."""
        out = []
        for path in sorted(self.folder.glob("*.sqlite")):
            sha1 = path.stem
            if not SHA1.match(sha1):
                continue
            with self._db(sha1, create=False) as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                count = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                         for t in ("areas", "transitions", "things")]
            out.append(GameKnowledge(sha1, meta.get("name", "?"), count[0], count[1],
                                     count[2], meta.get("saved", "")))
        return out

    def find(self, name_or_sha1: str) -> GameKnowledge:
        """A game by its name or a prefix of its SHA-1 (exactly one must match)."""
        return find_game(self.games(), name_or_sha1, str(self.folder))

    def forget(self, sha1: str) -> None:
        """Delete everything the store knows of the game."""
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path(sha1)) + suffix)
            try:
                p.unlink(missing_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot delete {p}: {exc.strerror or exc}") from exc
