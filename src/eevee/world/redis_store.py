"""The knowledge store on a Redis server, shared live between processes.

:class:`RedisStore` has the interface of :class:`~eevee.world.store.KnowledgeStore`
(``eevee play --knowledge redis://HOST:PORT[/DB]``). A game's knowledge is kept in keys
under ``eevee:knowledge:<sha1>:``:

================  ======  ============================================================
``meta``          hash    ``sha1``, ``name``, ``schema``, ``saved``, ``keys``
``areas``         hash    an area's key (as JSON text) → the area's JSON document
``area_keys``     list    the area keys (JSON text) in the document's order
``transitions``   list    one JSON object a door: ``area``, ``cell``, ``to_area``,
                          ``to_cell``
``things``        list    one JSON object a person or item: ``area``, ``home``, ``cell``
``looks``         hash    a look (decimal) → its counts (JSON list)
``healers``       list    one JSON value a healer
``leads``         list    one JSON object a try that moved the game on: ``kind``,
                          ``area``, ``cell`` (in the order progress happened)
================  ======  ============================================================

``save`` deletes and writes these keys in one MULTI/EXEC transaction, so a reader never
sees half of a save, and ends the transaction by PUBLISHing ``{"sha1", "saved",
"areas"}`` (the area keys) on the channel ``eevee:knowledge:<sha1>``: the message goes
out only once the new knowledge is in place. ``load`` reads the keys in one transaction
too. :meth:`RedisStore.watch` subscribes to that channel and hands each newly saved
document to a callback on a daemon thread, so another process (a dashboard, a second
agent) sees discoveries as they are saved. ``games`` finds the games by SCAN for
``eevee:knowledge:*:meta``; nothing else is kept outside a game's keys.

``redis`` (redis-py) is imported when a store is made; without it, or with the server
down, the error is one line saying what to do.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from eevee.errors import StorageError
from eevee.world.knowledge import SCHEMA
from eevee.world.store import GameKnowledge, check_sha1, find_game, now, with_keys
from eevee.world.stores import (
    missing_package,
    one_line,
    redact,
    unreachable,
)

PREFIX = "eevee:knowledge:"
_PARTS = ("meta", "areas", "area_keys", "transitions", "things", "looks", "healers",
          "leads")


def game_keys(sha1: str) -> dict[str, str]:
    """The Redis keys of a game's knowledge, by part (see the module doc)."""
    return {part: f"{PREFIX}{sha1}:{part}" for part in _PARTS}


def channel(sha1: str) -> str:
    """The channel a save of the game is announced on."""
    return f"{PREFIX}{sha1}"


def import_redis(url: str) -> Any:
    """The ``redis`` module, or the one-line error naming the install."""
    try:
        import redis
    except ImportError as exc:
        raise missing_package("redis", "redis", url) from exc
    return redis


@contextmanager
def redis_errors(url: str, server: str = "Redis") -> Iterator[None]:
    """Turn redis-py's errors into one-line StorageErrors about the store at ``url``."""
    redis = import_redis(url)
    try:
        yield
    except redis.exceptions.AuthenticationError as exc:
        raise StorageError(f"the knowledge store at {url} refused the login "
                           f"({one_line(exc)}): put the password in the URL "
                           "(redis://:PASSWORD@HOST:PORT)") from exc
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        raise StorageError(unreachable(url, exc)) from exc
    except redis.exceptions.ResponseError as exc:
        text = one_line(exc)
        if "NOAUTH" in text or "WRONGPASS" in text:
            fix = "put the password in the URL (redis://:PASSWORD@HOST:PORT)"
        elif "unknown command" in text.lower():
            text = text.split(", with args", 1)[0]
            fix = f"is it a {server} server? choose another --knowledge"
        else:
            fix = "check the server's log"
        raise StorageError(f"the knowledge store at {url} refused a command ({text}); "
                           f"{fix}") from exc
    except redis.exceptions.RedisError as exc:
        raise StorageError(f"the knowledge store at {url} failed ({one_line(exc)}); "
                           "check the server") from exc


class RedisStore:
    """Knowledge documents per game on a Redis server (see the module doc)."""

    def __init__(self, url: str) -> None:
        self.url = redact(url)  # (for messages)
        redis = import_redis(self.url)
        try:
            self._redis = redis.Redis.from_url(url, decode_responses=True,
                                               socket_connect_timeout=5, socket_timeout=30)
        except ValueError as exc:
            raise StorageError(f"{self.url!r} is not a Redis URL ({one_line(exc)}): write "
                               "redis://HOST:PORT[/DB]") from exc

    def close(self) -> None:
        """Close the connections (a later call opens them again)."""
        self._redis.close()

    def save(self, sha1: str, name: str, doc: dict[str, Any]) -> None:
        """Replace the game's knowledge with ``doc`` in one transaction, then announce it
        on the game's channel (in the same transaction)."""
        keys = game_keys(check_sha1(sha1))
        areas = {json.dumps(a["key"]): a for a in doc.get("areas", [])}
        saved = now()
        with redis_errors(self.url):
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(*keys.values())
            pipe.hset(keys["meta"], mapping={"sha1": sha1, "name": name,
                                             "schema": str(SCHEMA), "saved": saved,
                                             "keys": str(doc.get("keys", ""))})
            if areas:
                pipe.hset(keys["areas"], mapping={k: json.dumps(a) for k, a in areas.items()})
                pipe.rpush(keys["area_keys"], *areas)
            transitions = [json.dumps({"area": t["area"], "cell": list(t["cell"]),
                                       "to_area": t["to_area"], "to_cell": t.get("to_cell")})
                           for t in doc.get("transitions", [])]
            if transitions:
                pipe.rpush(keys["transitions"], *transitions)
            things = [json.dumps({"area": t["area"], "home": list(t["home"]),
                                  "cell": list(t["cell"])}) for t in doc.get("things", [])]
            if things:
                pipe.rpush(keys["things"], *things)
            looks = {str(int(k)): json.dumps(v) for k, v in doc.get("looks", {}).items()}
            if looks:
                pipe.hset(keys["looks"], mapping=looks)
            healers = [json.dumps(h) for h in doc.get("healers", [])]
            if healers:
                pipe.rpush(keys["healers"], *healers)
            leads = [json.dumps({"kind": d["kind"], "area": d["area"], "cell": list(d["cell"])})
                     for d in doc.get("leads", [])]
            if leads:
                pipe.rpush(keys["leads"], *leads)
            pipe.publish(channel(sha1), json.dumps(
                {"sha1": sha1, "saved": saved, "areas": [a["key"] for a in areas.values()]}))
            pipe.execute()

    def load(self, sha1: str) -> dict[str, Any] | None:
        """The game's knowledge document, or None if the store knows nothing of it."""
        keys = game_keys(check_sha1(sha1))
        with redis_errors(self.url):
            pipe = self._redis.pipeline(transaction=True)
            pipe.hgetall(keys["meta"])
            pipe.lrange(keys["area_keys"], 0, -1)
            pipe.hgetall(keys["areas"])
            for part in ("transitions", "things"):
                pipe.lrange(keys[part], 0, -1)
            pipe.hgetall(keys["looks"])
            pipe.lrange(keys["healers"], 0, -1)
            pipe.lrange(keys["leads"], 0, -1)
            meta, order, areas, transitions, things, looks, healers, leads = pipe.execute()
        if not meta:
            return None
        if meta.get("schema") != str(SCHEMA):
            raise StorageError(f"{self.url} holds knowledge of game {sha1} of schema "
                               f"{meta.get('schema')}, this Eevee reads {SCHEMA}: forget it "
                               "(eevee knowledge forget GAME) or use the Eevee that made it")
        try:
            return with_keys(meta.get("keys", ""), {
                "schema": SCHEMA,
                "areas": [json.loads(areas[k]) for k in order],
                "transitions": [json.loads(t) for t in transitions],
                "things": [json.loads(t) for t in things],
                "looks": {str(k): json.loads(looks[str(k)])
                          for k in sorted(int(k) for k in looks)},
                "healers": [json.loads(h) for h in healers],
                "leads": [json.loads(d) for d in leads],
            })
        except (KeyError, ValueError) as exc:
            raise StorageError(f"the knowledge of game {sha1} at {self.url} is damaged "
                               f"({one_line(exc)}): forget it (eevee knowledge forget "
                               "GAME)") from exc

    def games(self) -> list[GameKnowledge]:
        """Every game the store holds knowledge of."""
        with redis_errors(self.url):
            found = sorted(k[len(PREFIX):-len(":meta")]
                           for k in self._redis.scan_iter(match=f"{PREFIX}*:meta", count=500))
            found = [s for s in found if ":" not in s]
            pipe = self._redis.pipeline(transaction=True)
            for sha1 in found:
                keys = game_keys(sha1)
                pipe.hgetall(keys["meta"])
                pipe.hlen(keys["areas"])
                pipe.llen(keys["transitions"])
                pipe.llen(keys["things"])
            answers = pipe.execute()
        out = []
        for i, sha1 in enumerate(found):
            meta, areas, doors, things = answers[4 * i:4 * i + 4]
            if meta:  # (forgotten since the scan)
                out.append(GameKnowledge(sha1, meta.get("name", "?"), areas, doors, things,
                                         meta.get("saved", "")))
        return out

    def find(self, name_or_sha1: str) -> GameKnowledge:
        """A game by its name or a prefix of its SHA-1 (exactly one must match)."""
        return find_game(self.games(), name_or_sha1, self.url)

    def forget(self, sha1: str) -> None:
        """Delete everything the store knows of the game."""
        with redis_errors(self.url):
            self._redis.delete(*game_keys(check_sha1(sha1)).values())

    def watch(self, sha1: str, callback: Callable[[dict[str, Any]], None], *,
              stop: threading.Event) -> threading.Thread:
        """Call ``callback(doc)`` with the game's knowledge each time a process saves it,
        on a daemon thread, until ``stop`` is set. Subscribed before it returns (a save
        after this call is seen); a lost connection is retried every half second."""
        check_sha1(sha1)
        with redis_errors(self.url):
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(channel(sha1))
        thread = threading.Thread(target=self._listen, args=(pubsub, sha1, callback, stop),
                                  name=f"knowledge-watch-{sha1[:8]}", daemon=True)
        thread.start()
        return thread

    def _listen(self, pubsub: Any, sha1: str, callback: Callable[[dict[str, Any]], None],
                stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    with redis_errors(self.url):
                        message = pubsub.get_message(timeout=0.1)
                        if message is None or message.get("type") != "message":
                            continue
                        while pubsub.get_message(timeout=0) is not None:
                            pass  # (saves that came together: the last is what counts)
                    doc = self.load(sha1)
                except StorageError:
                    stop.wait(0.5)  # (the server went away: redis-py reconnects)
                    continue
                if doc is not None:
                    callback(doc)
        finally:
            with suppress(Exception):  # (closing a dead connection: nothing to keep)
                pubsub.close()
