"""What the world model knows, as a JSON document that outlives the process.

:func:`export_world` turns a :class:`~eevee.world.model.WorldModel` into a JSON-safe
document — areas with their cell maps (what each cell meant, visits, looks, what was
seen), doors and where they lead, the people and items seen, the look book (what each
look has meant), healers — and :func:`import_world` puts one back. A knowledge store
(:mod:`eevee.world.store`) keeps these documents per game; the agent reads one at start
and works from its in-memory copy.

What a *new* game remembers is what stays true when the game starts again: maps,
doors, looks, where people stand, healers. What was tried and answered belongs to one
play-through and is not carried (the people have not been talked to in the new game).

>>> import numpy as np
>>> w = WorldModel(default_size=(4, 3))
>>> w.observe(0, 7, (1, 1))
>>> w.learn_transition(5, 7, (2, 1), 8, (0, 0))
>>> doc = export_world(w)
>>> doc["schema"], [a["key"] for a in doc["areas"]], len(doc["transitions"])
(1, [7, 8], 1)
>>> w2 = WorldModel(default_size=(4, 3))
>>> import_world(w2, doc)
>>> bool(w2.area(7).visits[1, 1]), w2.transitions[(7, (2, 1))].to_area
(True, 8)
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Hashable
from typing import Any

import numpy as np

from eevee.errors import StorageError
from eevee.world.curiosity import Thing
from eevee.world.leads import Leads
from eevee.world.leads import from_json as leads_of
from eevee.world.leads import to_json as leads_json
from eevee.world.looks import LookStats
from eevee.world.model import AreaMap, Transition, WorldModel

SCHEMA = 1
# the per-cell arrays of an area that are knowledge, with their types
ARRAYS = {"kinds": np.uint8, "visits": np.uint32, "looks": np.int64, "seen": np.bool_,
          "judged": np.bool_}


def export_world(world: WorldModel) -> dict[str, Any]:
    """The world model's knowledge as a JSON-safe document (see the module doc)."""
    areas = []
    for key, amap in world.areas.items():
        h, w = amap.kinds.shape
        entry: dict[str, Any] = {"key": encode_key(key), "name": world.names.get(key, ""),
                                 "size": [w, h]}
        for name, dtype in ARRAYS.items():
            arr = getattr(amap, name)
            if arr is not None:
                entry[name] = _pack(np.ascontiguousarray(arr, dtype=dtype))
        areas.append(entry)
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "areas": areas,
        "transitions": [{"area": encode_key(t.area), "cell": list(t.cell),
                         "to_area": encode_key(t.to_area),
                         "to_cell": list(t.to_cell) if t.to_cell is not None else None}
                        for t in world.transitions.values() if t.learned],
        "things": [{"area": encode_key(t.area), "home": list(t.home), "cell": list(t.cell),
                    **({"size": t.size} if t.size != 1 else {})}  # (a figure of more cells)
                   for things in world.curiosity.things.values() for t in things],
        "looks": {str(look): list(s.counts) for look, s in world.book.stats.items()},
        # (a healer is a person, by area and order seen, or a cell pressed with A)
        "healers": [encode_key(h) for h in sorted(world.curiosity.healers, key=repr)],
        # what moved the game on, in order (:mod:`eevee.world.leads`)
        "leads": world.leads.export(encode_key),
    }
    if world.keys:  # (what names the areas: the profile's ids, or pixels)
        doc["keys"] = world.keys
    return doc


def import_world(world: WorldModel, doc: dict[str, Any]) -> None:
    """Put ``doc``'s knowledge into ``world`` (a fresh one). A document of another
    schema is a one-line error."""
    if doc.get("schema") != SCHEMA:
        raise StorageError(f"knowledge of schema {doc.get('schema')!r}, this Eevee reads "
                           f"{SCHEMA}: export it with the Eevee that made it, or forget it "
                           "(eevee knowledge forget GAME)")
    world.rescalable = False  # (in the cells of the run that learned it)
    for a in doc.get("areas", []):
        key = decode_key(a["key"])
        w, h = (int(x) for x in a["size"])
        world.sizes[key] = (w, h)
        if a.get("name"):
            world.names[key] = str(a["name"])
        amap = AreaMap.blank(key, (w, h), world.names.get(key, ""))
        for name, dtype in ARRAYS.items():
            if name in a:
                setattr(amap, name, _unpack(a[name], dtype, (h, w)))
        world.areas[key] = amap  # (not explored: that is true of one play-through)
    for t in doc.get("transitions", []):
        area, cell = decode_key(t["area"]), _cell(t["cell"])
        world.transitions[(area, cell)] = Transition(
            area, cell, decode_key(t["to_area"]),
            _cell(t["to_cell"]) if t.get("to_cell") is not None else None)
    for t in doc.get("things", []):
        area = decode_key(t["area"])
        known = world.curiosity.things.setdefault(area, [])
        known.append(Thing((area, len(known)), area, _cell(t["home"]), _cell(t["cell"]), -1,
                           size=max(1, int(t.get("size", 1)))))
    for look, counts in doc.get("looks", {}).items():
        world.book.stats[int(look)] = LookStats([int(c) for c in counts])
    for h in doc.get("healers", []):
        target = decode_key(h)
        if isinstance(target, tuple) and len(target) == 2 and isinstance(target[0], str):
            world.curiosity.healers.add((target[0], target[1]))
    if isinstance(doc.get("keys"), str):
        world.keys = doc["keys"]
    leads = doc.get("leads", [])
    if isinstance(leads, list):
        world.leads.recall(leads, decode_key)


def encode_key(key: Hashable) -> Any:
    """An area key (or a target made of them) as JSON: ints and strings as they are,
    tuples tagged."""
    if key is None or isinstance(key, str):
        return key
    if isinstance(key, (int, np.integer)):
        return int(key)
    if isinstance(key, tuple):
        return {"tuple": [encode_key(k) for k in key]}
    raise StorageError(f"area key {key!r} cannot be stored; areas are named by ints, "
                       "strings or tuples of them")


def decode_key(value: Any) -> Hashable:
    if isinstance(value, dict) and isinstance(value.get("tuple"), list):
        return tuple(decode_key(v) for v in value["tuple"])
    if value is None or isinstance(value, (int, str)):
        return value
    raise StorageError(f"knowledge names an area {value!r}: not an area key; the store "
                       "is damaged (eevee knowledge forget GAME)")


def _cell(value: Any) -> tuple[int, int]:
    return (int(value[0]), int(value[1]))


def _pack(arr: np.ndarray) -> str:
    return base64.b64encode(zlib.compress(arr.tobytes(), 6)).decode("ascii")


def _unpack(text: str, dtype: Any, shape: tuple[int, int]) -> np.ndarray:
    try:
        raw = zlib.decompress(base64.b64decode(text))
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    except (ValueError, zlib.error) as exc:
        raise StorageError(f"knowledge has a damaged cell map ({exc}); the store is "
                           "damaged (eevee knowledge forget GAME)") from exc


# ---------------------------------------------------------------------- a play-through
# (for a session that resumes the same game: what was tried and answered, what was
# given up, the progress epoch — true of this play-through only, never of a new game)

def export_playthrough(world: WorldModel) -> dict[str, Any]:
    """What :func:`export_world` leaves out because it belongs to this play-through."""
    cur = world.curiosity
    return {
        "epoch": cur.epoch,
        "tries": [{"target": encode_key(k), "epoch": t.epoch, "answered": t.answered,
                   "signature": t.signature, "settled": t.settled, "tries": t.tries}
                  for k, t in cur.tries.items()],
        "ways": [encode_key(w) for w in sorted(cur.ways, key=repr)],
        "unreached": [encode_key(w) for w in sorted(cur.unreached, key=repr)],
        "taken": [[encode_key(t.area), i] for things in cur.things.values()
                  for i, t in enumerate(things) if t.taken],
        "given_up": {json_key(k): _pack(np.ascontiguousarray(a.given_up, dtype=np.bool_))
                     for k, a in world.areas.items() if a.given_up is not None
                     and a.given_up.any()},
        "changed": {json_key(k): [list(c) for c in sorted(a.changed)]
                    for k, a in world.areas.items() if a.changed},
        # the looks when progress happened here (what progress redraws is told by them)
        "before": {json_key(k): _pack(np.ascontiguousarray(a.before, dtype=np.int64))
                   for k, a in world.areas.items() if a.before is not None},
        "npcs": [[encode_key(a), int(i), list(c)] for a, people in world.npcs.items()
                 for i, c in people.items()],
        "items": [[encode_key(a), list(c)] for a, cells in world.items.items()
                  for c in sorted(cells)],
        "entered": [encode_key(k) for k in sorted(world.entered, key=repr)],
        "explored": [encode_key(k) for k, a in world.areas.items() if a.explored],
        # what was noticed in each area left behind (searched for once after leaving)
        "noticed": [[encode_key(k), list(a.noticed) if a.noticed is not None else None]
                    for k, a in world.areas.items() if not a.noticed_due],
        "first_epoch": [[encode_key(k), e] for k, e in world.first_epoch.items()],
        "hints": [{"area": encode_key(t.area), "cell": list(t.cell),
                   "to_area": encode_key(t.to_area),
                   "to_cell": list(t.to_cell) if t.to_cell is not None else None}
                  for t in world.transitions.values() if not t.learned],
        "leads": {"made": leads_json(world.leads.made, encode_key),
                  "recalled": leads_json(world.leads.recalled, encode_key),
                  "done": sorted(world.leads.done)},
        "last": [encode_key(world.last_area),
                 list(world.last_cell) if world.last_cell is not None else None],
    }


def import_playthrough(world: WorldModel, doc: dict[str, Any]) -> None:
    """Put back what :func:`export_playthrough` kept (after :func:`import_world`)."""
    from eevee.world.curiosity import Tried

    cur = world.curiosity
    cur.epoch = int(doc.get("epoch", 0))
    for t in doc.get("tries", []):
        cur.tries[decode_key(t["target"])] = Tried(  # type: ignore[index]
            int(t["epoch"]), bool(t["answered"]), int(t["signature"]), bool(t["settled"]),
            int(t["tries"]))
    cur.ways.update(decode_key(w) for w in doc.get("ways", []))  # type: ignore[misc]
    cur.unreached.update(decode_key(w) for w in doc.get("unreached", []))  # type: ignore[misc]
    for area, i in doc.get("taken", []):
        things = cur.things.get(decode_key(area), [])
        if 0 <= int(i) < len(things):
            things[int(i)].taken = True
    for key, packed in doc.get("given_up", {}).items():
        amap = world.areas.get(decode_key(json_unkey(key)))
        if amap is not None:
            amap.given_up = _unpack(packed, np.bool_, amap.kinds.shape)
    for key, cells in doc.get("changed", {}).items():
        amap = world.areas.get(decode_key(json_unkey(key)))
        if amap is not None:
            amap.changed = {_cell(c) for c in cells}
    for key, packed in doc.get("before", {}).items():
        amap = world.areas.get(decode_key(json_unkey(key)))
        if amap is not None:
            amap.before = _unpack(packed, np.int64, amap.kinds.shape)
    for area, i, cell in doc.get("npcs", []):
        world.npcs.setdefault(decode_key(area), {})[int(i)] = _cell(cell)
    for area, cell in doc.get("items", []):
        world.items.setdefault(decode_key(area), set()).add(_cell(cell))
    world.entered.update(decode_key(k) for k in doc.get("entered", []))
    for key in doc.get("explored", []):
        amap = world.areas.get(decode_key(key))
        if amap is not None:
            amap.explored = True
    for key, cell in doc.get("noticed", []):
        amap = world.areas.get(decode_key(key))
        if amap is not None:
            amap.noticed_due = False
            amap.noticed = _cell(cell) if cell is not None else None
    world.first_epoch.update({decode_key(k): int(e) for k, e in doc.get("first_epoch", [])})
    for t in doc.get("hints", []):
        world.add_hint_transition(Transition(
            decode_key(t["area"]), _cell(t["cell"]), decode_key(t["to_area"]),
            _cell(t["to_cell"]) if t.get("to_cell") is not None else None, learned=False))
    leads = doc.get("leads")
    if isinstance(leads, dict):  # (the world's import took the made ones as recalled)
        recalled = leads_of(leads.get("recalled", []), decode_key)
        world.leads = Leads(leads_of(leads.get("made", []), decode_key), recalled,
                            {int(i) for i in leads.get("done", [])
                             if 0 <= int(i) < len(recalled)})
    area, cell = doc.get("last", [None, None])
    world.last_area = decode_key(area)
    world.last_cell = _cell(cell) if cell is not None else None


def json_key(key: Hashable) -> str:
    """An area key as a JSON object key (text)."""
    return json.dumps(encode_key(key), sort_keys=True)


def json_unkey(text: str) -> Any:
    return json.loads(text)
