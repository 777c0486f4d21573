"""``eevee knowledge``: what the agent learned of each game, in the knowledge store.

``list`` the games; ``show GAME`` its areas, doors and people; ``export GAME --json``
the whole document; ``import FILE`` a document (from an export) into the store;
``forget GAME``. GAME is a game's name or a prefix of its ROM's SHA-1. ``--knowledge
DIR`` picks the store: a folder (SQLite), ``redis://HOST:PORT``, ``falkordb://HOST:PORT`` or
``neo4j://…`` (default as ``eevee play``'s).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from eevee.errors import StorageError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("knowledge", help="what the agent learned of each game")
    p.add_argument("--knowledge", default=None, metavar="STORE",
                   help="a folder (SQLite), or redis://, falkordb://, neo4j:// URL")
    ksub = p.add_subparsers(dest="action", metavar="ACTION")
    ksub.required = True
    ksub.add_parser("list", help="the games the store knows").set_defaults(run=run)
    for name, text in (("show", "a game's areas, doors and people"),
                       ("forget", "delete what the store knows of a game")):
        s = ksub.add_parser(name, help=text)
        s.add_argument("game", help="game name or SHA-1 prefix")
        s.set_defaults(run=run)
    e = ksub.add_parser("export", help="a game's knowledge as one JSON document")
    e.add_argument("game", help="game name or SHA-1 prefix")
    e.add_argument("--json", action="store_true", help="(the only format: JSON)")
    e.add_argument("-o", "--output", default=None, help="write it here (default: stdout)")
    e.set_defaults(run=run)
    i = ksub.add_parser("import", help="a document from eevee knowledge export")
    i.add_argument("file", help="the exported JSON file")
    i.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from eevee.runtime.files import write_atomic
    from eevee.world.store import default_dir
    from eevee.world.stores import open_store

    store = open_store(args.knowledge or str(default_dir()))
    where = getattr(store, "folder", None) or getattr(store, "url", "")
    if args.action == "list":
        games = store.games()
        if not games:
            print(f"no knowledge yet in {where}")
        for g in games:
            print(f"{g.name:12} {g.sha1[:12]}  areas {g.areas:3}  doors {g.doors:3}  "
                  f"things {g.things:3}  saved {g.saved}")
        return 0
    if args.action == "import":
        doc = _read_export(Path(args.file))
        store.save(doc["sha1"], doc["name"], doc["knowledge"])
        print(f"imported {doc['name']} ({doc['sha1'][:12]}) into {where}")
        return 0
    game = store.find(args.game)
    if args.action == "forget":
        store.forget(game.sha1)
        print(f"forgot {game.name} ({game.sha1[:12]})")
        return 0
    doc = store.load(game.sha1) or {}
    if args.action == "export":
        text = json.dumps({"sha1": game.sha1, "name": game.name, "knowledge": doc},
                          indent=1, sort_keys=True) + "\n"
        if args.output:
            write_atomic(Path(args.output), text.encode("utf-8"))
        else:
            sys.stdout.write(text)
        return 0
    _show(game.name, game.sha1, doc)
    return 0


def _show(name: str, sha1: str, doc: dict[str, Any]) -> None:
    print(f"{name} ({sha1})")
    doors: dict[str, list[str]] = {}
    for t in doc.get("transitions", []):
        doors.setdefault(json.dumps(t["area"]), []).append(
            f"{tuple(t['cell'])}->{t['to_area']}")
    people: dict[str, int] = {}
    for t in doc.get("things", []):
        people[json.dumps(t["area"])] = people.get(json.dumps(t["area"]), 0) + 1
    for a in doc.get("areas", []):
        key = json.dumps(a["key"])
        print(f"  area {a['key']} {a.get('name', '')!r}: {a['size'][0]}x{a['size'][1]} cells, "
              f"{people.get(key, 0)} things, doors {', '.join(doors.get(key, [])) or '-'}")
    print(f"  looks {len(doc.get('looks', {}))}, healers {len(doc.get('healers', []))}")
    leads = doc.get("leads", [])
    if leads:  # (what moved the game on, in order: a later run tries these first)
        print("  moved the game on: " + ", ".join(
            f"{d['kind']} {d['area']} {tuple(d['cell'])}" for d in leads))


MAX_EXPORT_BYTES = 256 << 20  # no game's knowledge is larger


def _read_export(path: Path) -> dict[str, Any]:
    """The export at ``path``, checked before reading: a regular file (never a FIFO or a
    device), of at most :data:`MAX_EXPORT_BYTES`, UTF-8 JSON, not absurdly deep."""
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise StorageError(f"{path} is not a regular file; give the .json file "
                               "`eevee knowledge export` wrote")
        if st.st_size > MAX_EXPORT_BYTES:
            raise StorageError(f"{path} is {st.st_size} bytes, larger than any export "
                               f"({MAX_EXPORT_BYTES} at most); is it the right file?")
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise StorageError(f"cannot read {path} as an export: {exc.strerror or exc}") \
            from None
    except (ValueError, RecursionError) as exc:  # (not UTF-8, not JSON, nested too deep)
        why = "nested too deep" if isinstance(exc, RecursionError) else str(exc)[:80]
        raise StorageError(f"{path} is not an eevee knowledge export ({why})") from None
    if not (isinstance(doc, dict) and isinstance(doc.get("knowledge"), dict)
            and isinstance(doc.get("sha1"), str) and isinstance(doc.get("name"), str)):
        raise StorageError(f"{path} is not an eevee knowledge export (it needs sha1, name "
                           "and knowledge)")
    return doc
