"""The knowledge store as a graph, on FalkorDB or Neo4j, with the same Cypher for both.

:class:`GraphStore` has the interface of :class:`~eevee.world.store.KnowledgeStore`
(``eevee play --knowledge falkordb://HOST:PORT[/GRAPH]`` — graph ``eevee`` by default —
or ``neo4j://USER:PASSWORD@HOST:PORT[/DATABASE]``, also ``bolt://``). A game is::

    (:Game {sha1, name, schema, saved, keys, looks, healers})
      -[:HAS_AREA]->(:Area {game, key, name, width, height, doc, i})
    (:Area)-[:LEADS_TO {x, y, to_cell, i}]->(:Area)          a door at (x, y)
    (:Thing {game, home_x, home_y, x, y, i})-[:LOCATED_IN]->(:Area)
    (:Game)-[:HAS_OBJECTIVE]->(:Objective {game, kind, x, y, i})-[:LOCATED_IN]->(:Area)

An ``Objective`` is a lead (:mod:`eevee.world.leads`): a try that moved the game on, in
the order ``i`` progress happened.

``Area.key`` is the area's key as JSON text (keys are ints, strings or tagged tuples),
``Area.doc`` the area's whole JSON document (its cell maps are base64 inside), ``i`` the
place in the document's lists (Cypher keeps no order), ``to_cell`` JSON text (a cell or
null). Looks and healers are properties of the Game as JSON text: the agent reads and
writes them whole and no query looks inside them. A door or a thing in an area the
document has no map of hangs on a stub ``Area {game, key}`` with no ``doc`` and no
``HAS_AREA``, which ``load`` does not list as an area. Every node carries its game's
SHA-1 (``Game.sha1``, else ``game``), so a game's subgraph is found without a walk.
There are no indexes: a game is tens of areas and the store holds a few games (and the
two servers spell "create it if missing" differently).

``save`` replaces the game's subgraph — DETACH DELETE of its things, areas and game,
then CREATE, the rows passed as list parameters to UNWIND — in one transaction: a Neo4j
write transaction (rolled back whole on error, retried by the driver on transient
errors), or on FalkorDB the GRAPH.QUERY commands in one MULTI/EXEC, so no other client
runs between them (FalkorDB has no rollback: a query failing midway, which only a
server fault would cause, leaves those before it). ``load`` is one query. Values are
only ever parameters, never formatted into the Cypher: FalkorDB takes them in its
``CYPHER name=value`` header, built by the falkordb client's own quoting.

The client packages (``falkordb``, ``neo4j``) are imported when a store is made; a
missing one, a dead server or a refused login is one line saying what to do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

from eevee.errors import StorageError
from eevee.world.knowledge import SCHEMA
from eevee.world.redis_store import redis_errors
from eevee.world.store import GameKnowledge, check_sha1, find_game, now, with_keys
from eevee.world.stores import (
    missing_package,
    one_line,
    redact,
    unreachable,
)

Statement = tuple[str, dict[str, Any]]

DELETE = [
    "MATCH (o:Objective {game: $sha1}) DETACH DELETE o",
    "MATCH (t:Thing {game: $sha1}) DETACH DELETE t",
    "MATCH (a:Area {game: $sha1}) DETACH DELETE a",
    "MATCH (g:Game {sha1: $sha1}) DETACH DELETE g",
]
CREATE_GAME = ("CREATE (:Game {sha1: $sha1, name: $name, schema: $schema, saved: $saved, "
               "keys: $keys, looks: $looks, healers: $healers})")
CREATE_AREAS = ("MATCH (g:Game {sha1: $sha1}) UNWIND $rows AS r "
                "CREATE (g)-[:HAS_AREA]->(:Area {game: $sha1, key: r.key, name: r.name, "
                "width: r.width, height: r.height, doc: r.doc, i: r.i})")
CREATE_DOORS = ("UNWIND $rows AS r "
                "MERGE (a:Area {game: $sha1, key: r.area}) "
                "MERGE (b:Area {game: $sha1, key: r.to_area}) "
                "CREATE (a)-[:LEADS_TO {x: r.x, y: r.y, to_cell: r.to_cell, i: r.i}]->(b)")
CREATE_THINGS = ("UNWIND $rows AS r "
                 "MERGE (a:Area {game: $sha1, key: r.area}) "
                 "CREATE (:Thing {game: $sha1, home_x: r.home_x, home_y: r.home_y, "
                 "x: r.x, y: r.y, i: r.i})-[:LOCATED_IN]->(a)")
CREATE_LEADS = ("MATCH (g:Game {sha1: $sha1}) UNWIND $rows AS r "
                "MERGE (a:Area {game: $sha1, key: r.area}) "
                "CREATE (g)-[:HAS_OBJECTIVE]->(:Objective {game: $sha1, kind: r.kind, x: r.x, "
                "y: r.y, i: r.i})-[:LOCATED_IN]->(a)")
# one query, so one consistent read; the OPTIONAL MATCHes give [null, ...] rows when a
# game has none, dropped by their null ``i``
LOAD = """
MATCH (g:Game {sha1: $sha1})
OPTIONAL MATCH (g)-[:HAS_AREA]->(a:Area)
WITH g, collect([a.i, a.doc]) AS areas
OPTIONAL MATCH (s:Area {game: $sha1})-[d:LEADS_TO]->(t:Area)
WITH g, areas, collect([d.i, s.key, d.x, d.y, t.key, d.to_cell]) AS doors
OPTIONAL MATCH (h:Thing {game: $sha1})-[:LOCATED_IN]->(p:Area)
WITH g, areas, doors, collect([h.i, p.key, h.home_x, h.home_y, h.x, h.y]) AS things
OPTIONAL MATCH (g)-[:HAS_OBJECTIVE]->(o:Objective)-[:LOCATED_IN]->(q:Area)
RETURN g.schema, g.keys, g.looks, g.healers, areas, doors, things,
       collect([o.i, o.kind, q.key, o.x, o.y]) AS leads
"""
GAMES = """
MATCH (g:Game)
OPTIONAL MATCH (g)-[:HAS_AREA]->(a:Area)
WITH g, count(a) AS areas
OPTIONAL MATCH (:Area {game: g.sha1})-[d:LEADS_TO]->(:Area)
WITH g, areas, count(d) AS doors
OPTIONAL MATCH (t:Thing {game: g.sha1})
RETURN g.sha1 AS sha1, g.name AS name, g.saved AS saved, areas, doors, count(t) AS things
ORDER BY sha1
"""


class GraphStore:
    """Knowledge documents per game in a graph database (see the module doc)."""

    def __init__(self, url: str) -> None:
        self.url = redact(url)  # (for messages)
        scheme = url.split("://", 1)[0].lower()
        self._db: _Falkor | _Neo4j = (_Falkor(url) if scheme in ("falkordb", "falkor")
                                      else _Neo4j(url))

    def close(self) -> None:
        """Close the connections (a later call opens them again on FalkorDB only)."""
        self._db.close()

    def save(self, sha1: str, name: str, doc: dict[str, Any]) -> None:
        """Replace the game's subgraph with ``doc``, in one transaction."""
        check_sha1(sha1)
        game = {"sha1": sha1, "name": name, "schema": SCHEMA, "saved": now(),
                "keys": str(doc.get("keys", "")),
                "looks": json.dumps({str(int(k)): v for k, v in doc.get("looks", {}).items()}),
                "healers": json.dumps(doc.get("healers", []))}
        areas = [{"key": json.dumps(a["key"]), "name": str(a.get("name", "")),
                  "width": int(a["size"][0]), "height": int(a["size"][1]),
                  "doc": json.dumps(a), "i": i} for i, a in enumerate(doc.get("areas", []))]
        doors = [{"area": json.dumps(t["area"]), "x": int(t["cell"][0]), "y": int(t["cell"][1]),
                  "to_area": json.dumps(t["to_area"]), "to_cell": json.dumps(t.get("to_cell")),
                  "i": i} for i, t in enumerate(doc.get("transitions", []))]
        things = [{"area": json.dumps(t["area"]), "home_x": int(t["home"][0]),
                   "home_y": int(t["home"][1]), "x": int(t["cell"][0]), "y": int(t["cell"][1]),
                   "i": i} for i, t in enumerate(doc.get("things", []))]
        leads = [{"kind": str(d["kind"]), "area": json.dumps(d["area"]),
                  "x": int(d["cell"][0]), "y": int(d["cell"][1]), "i": i}
                 for i, d in enumerate(doc.get("leads", []))]
        statements: list[Statement] = [(q, {"sha1": sha1}) for q in DELETE]
        statements.append((CREATE_GAME, game))
        for query, rows in ((CREATE_AREAS, areas), (CREATE_DOORS, doors),
                            (CREATE_THINGS, things), (CREATE_LEADS, leads)):
            if rows:
                statements.append((query, {"sha1": sha1, "rows": rows}))
        self._db.write(statements)

    def load(self, sha1: str) -> dict[str, Any] | None:
        """The game's knowledge document, or None if the store knows nothing of it."""
        rows = self._db.read(LOAD, {"sha1": check_sha1(sha1)})
        if not rows:
            return None
        schema, keys, looks, healers, areas, doors, things, leads = rows[0]
        if schema != SCHEMA:
            raise StorageError(f"{self.url} holds knowledge of game {sha1} of schema "
                               f"{schema}, this Eevee reads {SCHEMA}: forget it (eevee "
                               "knowledge forget GAME) or use the Eevee that made it")

        def ordered(items: list[list[Any]]) -> list[list[Any]]:
            return sorted((r for r in items if r[0] is not None), key=lambda r: r[0])

        try:
            return with_keys(keys or "", {
                "schema": SCHEMA,
                "areas": [json.loads(d) for _, d in ordered(areas)],
                "transitions": [{"area": json.loads(a), "cell": [x, y],
                                 "to_area": json.loads(b), "to_cell": json.loads(c)}
                                for _, a, x, y, b, c in ordered(doors)],
                "things": [{"area": json.loads(a), "home": [hx, hy], "cell": [x, y]}
                           for _, a, hx, hy, x, y in ordered(things)],
                "looks": json.loads(looks),
                "healers": json.loads(healers),
                "leads": [{"kind": k, "area": json.loads(a), "cell": [x, y]}
                          for _, k, a, x, y in ordered(leads)],
            })
        except (TypeError, ValueError) as exc:
            raise StorageError(f"the knowledge of game {sha1} at {self.url} is damaged "
                               f"({one_line(exc)}): forget it (eevee knowledge forget "
                               "GAME)") from exc

    def games(self) -> list[GameKnowledge]:
        """Every game the store holds knowledge of."""
        return [GameKnowledge(sha1, name or "?", areas, doors, things, saved or "")
                for sha1, name, saved, areas, doors, things in self._db.read(GAMES, {})]

    def find(self, name_or_sha1: str) -> GameKnowledge:
        """A game by its name or a prefix of its SHA-1 (exactly one must match)."""
        return find_game(self.games(), name_or_sha1, self.url)

    def forget(self, sha1: str) -> None:
        """Delete everything the store knows of the game."""
        self._db.write([(q, {"sha1": check_sha1(sha1)}) for q in DELETE])


class _Falkor:
    """FalkorDB through the ``falkordb`` client (a Redis server with its module)."""

    def __init__(self, url: str) -> None:
        self.url = redact(url)
        try:
            import falkordb
            from falkordb.helpers import stringify_param_value
        except ImportError as exc:
            raise missing_package("falkordb", "graph", self.url) from exc
        self._module, self._quote = falkordb, stringify_param_value
        parts = urlsplit(url)
        try:
            self._where: dict[str, Any] = {
                "host": parts.hostname or "127.0.0.1", "port": parts.port or 6379,
                "username": unquote(parts.username) if parts.username else None,
                "password": unquote(parts.password) if parts.password else None}
        except ValueError as exc:
            raise StorageError(f"{self.url!r} is not a FalkorDB URL ({one_line(exc)}): write "
                               "falkordb://HOST:PORT[/GRAPH]") from exc
        self.graph = parts.path.strip("/") or "eevee"
        self._client: Any = None

    def _connect(self) -> Any:
        if self._client is None:  # (the client talks to the server as it is made)
            self._client = self._module.FalkorDB(**self._where, socket_connect_timeout=5,
                                                 socket_timeout=30)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def read(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        import redis

        with redis_errors(self.url, "FalkorDB"):
            try:
                graph = self._connect().select_graph(self.graph)
                return list(graph.ro_query(query, params).result_set)
            except redis.exceptions.ResponseError as exc:
                if "empty key" in str(exc):  # (no graph yet: nothing saved)
                    return []
                raise

    def write(self, statements: list[Statement]) -> None:
        with redis_errors(self.url, "FalkorDB"):
            pipe = self._connect().connection.pipeline(transaction=True)
            for query, params in statements:
                header = "CYPHER " + "".join(f"{name}={self._quote(value)} "
                                             for name, value in params.items())
                pipe.execute_command("GRAPH.QUERY", self.graph, header + query, "--compact")
            pipe.execute()


class _Neo4j:
    """Neo4j through the official ``neo4j`` driver."""

    def __init__(self, url: str) -> None:
        self.url = redact(url)
        try:
            import neo4j
        except ImportError as exc:
            raise missing_package("neo4j", "graph", self.url) from exc
        self._neo4j = neo4j
        parts = urlsplit(url)
        try:
            address = f"{parts.hostname or '127.0.0.1'}:{parts.port or 7687}"
        except ValueError as exc:
            raise StorageError(f"{self.url!r} is not a Neo4j URL ({one_line(exc)}): write "
                               "neo4j://USER:PASSWORD@HOST:PORT[/DATABASE]") from exc
        auth = ((unquote(parts.username), unquote(parts.password or ""))
                if parts.username else None)
        self.database = parts.path.strip("/") or None
        # (the driver's retry warnings go to the application's logging, if it has any)
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        with self._errors():
            self._driver = neo4j.GraphDatabase.driver(
                f"{parts.scheme}://{address}", auth=auth, connection_timeout=5,
                max_transaction_retry_time=5)
        self._verified = False

    def _ready(self) -> None:
        # a dead server fails at once here, not after the driver's retries
        if not self._verified:
            self._driver.verify_connectivity()
            self._verified = True

    @contextmanager
    def _errors(self) -> Iterator[None]:
        ex = self._neo4j.exceptions
        try:
            yield
        except ex.AuthError as exc:
            raise StorageError(f"the knowledge store at {self.url} refused the login "
                               f"({one_line(exc)}): put the user and password in the URL "
                               "(neo4j://USER:PASSWORD@HOST:PORT)") from exc
        except ex.ServiceUnavailable as exc:
            raise StorageError(unreachable(self.url, exc)) from exc
        except (ex.Neo4jError, ex.DriverError) as exc:
            raise StorageError(f"the knowledge store at {self.url} failed "
                               f"({one_line(exc)}); check the server") from exc
        except ValueError as exc:  # (a malformed URL, caught by the driver)
            raise StorageError(f"{self.url!r} is not a Neo4j URL ({one_line(exc)}): "
                               "write neo4j://USER:PASSWORD@HOST:PORT") from exc

    def close(self) -> None:
        self._driver.close()

    def read(self, query: str, params: dict[str, Any]) -> list[list[Any]]:
        with self._errors():
            self._ready()
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database,
                routing_=self._neo4j.RoutingControl.READ)
            return [list(r.values()) for r in records]

    def write(self, statements: list[Statement]) -> None:
        def work(tx: Any) -> None:
            for query, params in statements:
                tx.run(query, params).consume()

        with self._errors():
            self._ready()
            with self._driver.session(database=self.database) as session:
                session.execute_write(work)
