"""Where knowledge lives: a folder of SQLite files, a Redis server or a graph database.

Every knowledge store has the interface of :class:`~eevee.world.store.KnowledgeStore`,
written down here as the :class:`Store` protocol: ``save(sha1, name, doc)`` replaces a
game's knowledge with a document of :mod:`eevee.world.knowledge` in one transaction,
``load(sha1)`` gives that document back (or None), ``games()`` and ``find()`` list and
name the games, ``forget(sha1)`` deletes one. :func:`open_store` picks the store from the
``--knowledge`` text:

========================================  ============================================
``DIR`` or ``sqlite:DIR``                 :class:`~eevee.world.store.KnowledgeStore`
                                          (one SQLite file per game)
``redis://HOST:PORT[/DB]``, ``rediss://`` :class:`~eevee.world.redis_store.RedisStore`
                                          (keys ``eevee:knowledge:<sha1>:*``; another
                                          process can watch a game's saves live)
``falkordb://HOST:PORT[/GRAPH]``          :class:`~eevee.world.graph_store.GraphStore`
                                          on FalkorDB (graph ``eevee`` by default)
``neo4j://`` or ``bolt://USER:PW@HOST``   :class:`~eevee.world.graph_store.GraphStore`
                                          on Neo4j (the same Cypher)
========================================  ============================================

The server stores import their client package only when one is opened; a missing one is
a one-line :class:`~eevee.errors.StorageError` that names the ``pip install`` to run, and
so is a server that cannot be reached. The helpers below word those errors for every
store (the SHA-1 check, ``find``'s matching and the save time are in
:mod:`eevee.world.store`).

>>> import tempfile
>>> type(open_store(tempfile.mkdtemp())).__name__, type(open_store("sqlite:k")).__name__
('KnowledgeStore', 'KnowledgeStore')
>>> open_store("ftp://host/k")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
eevee.errors.StorageError: unknown knowledge store 'ftp://host/k': give a folder, sqlite:DIR, ...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from eevee.errors import StorageError
from eevee.world.store import GameKnowledge, KnowledgeStore

REDIS_SCHEMES = ("redis", "rediss")
GRAPH_SCHEMES = ("falkordb", "falkor", "neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s",
                 "bolt+ssc")
_KINDS = ("a folder, sqlite:DIR, redis://HOST:PORT, falkordb://HOST:PORT, "
          "neo4j://HOST:PORT or bolt://HOST:PORT")


@runtime_checkable
class Store(Protocol):
    """What every knowledge store does (see the module doc)."""

    def save(self, sha1: str, name: str, doc: dict[str, Any]) -> None:
        """Replace the game's knowledge with ``doc``, in one transaction."""

    def load(self, sha1: str) -> dict[str, Any] | None:
        """The game's knowledge document, or None if the store knows nothing of it."""

    def games(self) -> list[GameKnowledge]:
        """Every game the store holds knowledge of."""

    def find(self, name_or_sha1: str) -> GameKnowledge:
        """A game by its name or a prefix of its SHA-1 (exactly one must match)."""

    def forget(self, sha1: str) -> None:
        """Delete everything the store knows of the game."""


def open_store(spec: str | os.PathLike[str]) -> Store:
    """The knowledge store that ``spec`` names (see the module doc)."""
    text = os.fspath(spec)
    if text.startswith("sqlite:"):
        path = text[len("sqlite:"):]
        return KnowledgeStore(Path(path[2:] if path.startswith("//") else path).expanduser())
    if "://" not in text:
        return KnowledgeStore(Path(text).expanduser())
    scheme = text.split("://", 1)[0].lower()
    if scheme in REDIS_SCHEMES:
        from eevee.world.redis_store import RedisStore

        return RedisStore(text)
    if scheme in GRAPH_SCHEMES:
        from eevee.world.graph_store import GraphStore

        return GraphStore(text)
    raise StorageError(f"unknown knowledge store {text!r}: give {_KINDS}")


# ---------------------------------------------------------------- shared by the stores

def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message on one line, cut to ``limit`` characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"


def unreachable(url: str, exc: BaseException) -> str:
    """The line for a server that does not answer: the operating system's reason where
    there is one ("Connection refused"), else the client's."""
    reason = one_line(exc)
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.strerror:
            reason = cause.strerror
            break
        cause = cause.__cause__ or cause.__context__
    else:
        for known in ("Connection refused", "Name or service not known", "timed out",
                      "No route to host"):
            if known.lower() in reason.lower():
                reason = known
                break
    return (f"cannot reach the knowledge store at {url}: {reason}; start the server or "
            "choose another --knowledge")


def redact(url: str) -> str:
    """``url`` with its password, if it has one, written ``***`` (for messages).

    >>> redact("redis://:secret@127.0.0.1:6379/0"), redact("neo4j://neo4j:pw@db:7687")
    ('redis://:***@127.0.0.1:6379/0', 'neo4j://neo4j:***@db:7687')
    """
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def missing_package(package: str, extra: str, url: str) -> StorageError:
    """The error for a server store whose client package is not installed."""
    return StorageError(f"the knowledge store {url} needs the Python package {package}: "
                        f"pip install 'eevee[{extra}]'")
