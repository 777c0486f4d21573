"""A model's answer is untrusted text: parsed strictly into a :class:`Strategy`, or refused.

Two shapes are accepted, nothing else (nothing is evaluated or executed):

- **JSON**, the shape :func:`answer_schema` describes (servers that constrain output to
  a schema — llama.cpp, vLLM — are asked for it)::

    {"reasoning": "...", "objective": "...", "actions": [{"do": "talk", "at": [6, 2]}],
     "fallback": "explore", "confidence": 0.75}

- **Lines**, for models that write prose better than JSON::

    STRATEGY: talk to the person by the well
    ACTIONS: talk (6,2); explore
    FALLBACK: explore
    CONFIDENCE: 0.75

Every action is checked against :class:`Allowed`: a known kind, a cell on the area's
map, an area the agent knows a door to. One bad part refuses the whole answer, with an
:class:`AnswerError` that says which part and why (the strategist logs it and the
built-in strategist decides instead).

>>> allowed = Allowed(map_size=(10, 8), things={(6, 2): "old man"})
>>> s = parse_answer('{"objective": "ask the old man", "actions": [{"do": "talk", '
...                  '"at": [6, 2]}], "fallback": "explore", "confidence": 0.5}', allowed)
>>> s.objective.name, s.action.kind, s.action.target.cell, s.action.npc
('ask the old man', 'talk', (6, 2), 'old man')
>>> parse_answer("STRATEGY: look around\\nACTIONS: explore", allowed).action.kind
'explore'
>>> parse_answer('{"objective": "x", "actions": [{"do": "walk", "at": [40, 2]}]}', allowed)
Traceback (most recent call last):
...
eevee.strategists.answer.AnswerError: action 1: cell (40, 2) is off the map (10x8)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eevee.errors import EeveeError
from eevee.goals.quests import PRIORITY, Action, Objective, Target
from eevee.strategists.base import Strategy

Cell = tuple[int, int]
#: what a model may ask for, and what each needs
KINDS: dict[str, str] = {
    "goto": "cell",   # walk next to a cell
    "walk": "cell",   # walk onto a cell
    "talk": "cell",   # face the person or thing at a cell and press A
    "use": "cell",    # face a cell and press A (a sign, a chest, a switch)
    "enter": "area",  # go through a known door to an area
    "explore": "",    # go where the map is unknown
}
FALLBACKS = ("explore", "wait")
CONFIDENCES = (0.25, 0.5, 0.75, 1.0)
MAX_TEXT = 8000  # characters: a longer answer is refused unread
MAX_ACTIONS = 4
MAX_NAME = 80
# the schema's texts: plain words, bounded (a pattern rather than maxLength: a grammar built
# from maxLength alone lets control characters through)
TEXT = "^[A-Za-z0-9 ,.'!?:;()-]{{{},{}}}$"
_KEYS = {"reasoning", "objective", "actions", "fallback", "confidence"}
_LINE = re.compile(r"^(STRATEGY|OBJECTIVE|ACTIONS|FALLBACK|CONFIDENCE|REASONING)\s*:\s*(.*)$",
                   re.IGNORECASE)
_ACTION = re.compile(r"^([a-z]+)(?:\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)|\s+(.+))?$",
                     re.IGNORECASE)


class AnswerError(EeveeError):
    """A model's answer that cannot be used; the message says which part and why."""


@dataclass(frozen=True)
class Allowed:
    """What an answer may name here: the map's size, the things on it (cell → key), the
    areas known doors lead to (name → id), and the todos (by name, to keep their
    priority when the model picks one)."""

    map_size: tuple[int, int] | None = None  # (width, height) in cells
    things: Mapping[Cell, Hashable] = field(default_factory=dict)
    areas: Mapping[str, Hashable] = field(default_factory=dict)
    todos: Mapping[str, Objective] = field(default_factory=dict)
    area: Hashable | None = None


def parse_answer(text: str, allowed: Allowed, *, frame: int = 0,
                 situation: str = "") -> Strategy:
    """The strategy ``text`` says, checked against ``allowed`` (module doc)."""
    if not isinstance(text, str) or not text.strip():
        raise AnswerError("empty answer")
    if len(text) > MAX_TEXT:
        raise AnswerError(f"answer too long ({len(text)} characters, at most {MAX_TEXT})")
    body = _unfence(text.strip())
    fields = _from_json(body) if body.startswith(("{", "[")) else _from_lines(body)
    return _strategy(fields, allowed, frame, situation)


def _unfence(text: str) -> str:
    """The text inside one Markdown code fence, if the whole answer is one."""
    m = re.fullmatch(r"```(?:json)?\s*\n?(.*?)\n?```", text, re.DOTALL)
    return m.group(1).strip() if m else text


def _from_json(body: str) -> dict[str, Any]:
    try:
        # (strict=False: a control character inside a string is no reason to refuse the
        # answer — grammar-constrained servers let them through; they are blanked below)
        data = json.loads(body, parse_constant=_no_constant, strict=False)
    except (ValueError, RecursionError) as exc:
        raise AnswerError(f"not valid JSON: {str(exc)[:80]}") from None
    if not isinstance(data, dict):
        raise AnswerError("the JSON answer is not an object")
    extra = set(data) - _KEYS
    if extra:
        raise AnswerError(f"unknown field(s) {', '.join(sorted(map(str, extra)))[:80]}")
    acts = data.get("actions")
    if not isinstance(acts, list):
        raise AnswerError("'actions' must be a list")
    data["actions"] = [_json_action(i, a) for i, a in enumerate(acts, 1)]
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _json_action(i: int, a: Any) -> tuple[str, Any]:
    if not isinstance(a, dict) or not isinstance(a.get("do"), str):
        raise AnswerError(f"action {i}: needs a 'do' field naming the action")
    extra = set(a) - {"do", "at", "area"}
    if extra:
        raise AnswerError(f"action {i}: unknown field(s) {', '.join(sorted(map(str, extra)))}")
    arg = a.get("at", a.get("area"))
    return a["do"], arg


def _from_lines(body: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        if m is None:
            raise AnswerError(f"unexpected line {line[:60]!r} (want STRATEGY:/ACTIONS:/"
                              "FALLBACK:/CONFIDENCE: lines or one JSON object)")
        key, value = m.group(1).lower(), m.group(2).strip()
        key = {"strategy": "objective"}.get(key, key)
        if key in out:
            raise AnswerError(f"{key.upper()} given twice")
        out[key] = value
    if "objective" not in out:
        raise AnswerError("no STRATEGY line")
    acts = [p.strip() for p in out.get("actions", "explore").split(";") if p.strip()]
    out["actions"] = [_line_action(i, p) for i, p in enumerate(acts, 1)]
    if "confidence" in out:
        try:
            out["confidence"] = float(out["confidence"])
        except ValueError:
            raise AnswerError(f"CONFIDENCE {out['confidence'][:20]!r} is not a number") from None
    return out


def _line_action(i: int, part: str) -> tuple[str, Any]:
    m = _ACTION.match(part)
    if m is None:
        raise AnswerError(f"action {i}: cannot read {part[:40]!r} (want e.g. 'talk (6,2)')")
    kind, x, y, word = m.groups()
    kind = kind.lower()
    if x is not None:
        return kind, [int(x), int(y)]
    return kind, word


def _strategy(f: Mapping[str, Any], allowed: Allowed, frame: int, situation: str) -> Strategy:
    name = f.get("objective")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise AnswerError(f"'objective' must be a short text (1 to {MAX_NAME} characters)")
    acts = f.get("actions") or [("explore", None)]
    if len(acts) > MAX_ACTIONS:
        raise AnswerError(f"{len(acts)} actions (at most {MAX_ACTIONS})")
    actions = tuple(_action(i, kind, arg, allowed) for i, (kind, arg) in enumerate(acts, 1))
    fallback = f.get("fallback", "explore")
    if fallback not in FALLBACKS:
        raise AnswerError(f"fallback {str(fallback)[:20]!r} is not one of {', '.join(FALLBACKS)}")
    conf = f.get("confidence", 0.5)
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not math.isfinite(conf) \
            or not 0 <= conf <= 1:
        raise AnswerError(f"confidence {str(conf)[:20]} is not a number in [0, 1]")
    why = f.get("reasoning", "")
    if not isinstance(why, str):
        raise AnswerError("'reasoning' must be text")
    todo = {k.lower(): v for k, v in allowed.todos.items()}.get(name.strip().lower())
    first = actions[0]
    objective = todo if todo is not None and todo.action == first.kind else Objective(
        _printable(name), PRIORITY.get(first.kind, 5), first.kind, first.target, "model",
        first.npc)
    return Strategy(objective, actions, fallback, float(conf), situation, frame,
                    _printable(why)[:300])


def _action(i: int, kind: Any, arg: Any, allowed: Allowed) -> Action:
    if not isinstance(kind, str) or kind not in KINDS:
        raise AnswerError(f"action {i}: unknown action {str(kind)[:20]!r}; allowed: "
                          f"{', '.join(KINDS)}")
    need = KINDS[kind]
    if need == "":
        return Action(kind)
    if need == "area":
        if not isinstance(arg, str) or arg not in allowed.areas:
            known = ", ".join(sorted(allowed.areas)) or "none known yet"
            raise AnswerError(f"action {i}: enter needs a known area ({known}), got "
                              f"{str(arg)[:30]!r}")
        return Action(kind, Target(allowed.areas[arg]))
    cell = _cell(i, arg)
    if allowed.map_size is not None:
        w, h = allowed.map_size
        if not (0 <= cell[0] < w and 0 <= cell[1] < h):
            raise AnswerError(f"action {i}: cell {cell} is off the map ({w}x{h})")
    npc = allowed.things.get(cell) if kind in ("talk", "use") else None
    return Action(kind, Target(allowed.area, cell), npc)


def _cell(i: int, arg: Any) -> Cell:
    if (not isinstance(arg, (list, tuple)) or len(arg) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in arg)):
        raise AnswerError(f"action {i}: needs a cell [x, y] of two integers, got "
                          f"{str(arg)[:30]}")
    return int(arg[0]), int(arg[1])


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text).strip()


def answer_schema(allowed: Allowed) -> dict[str, Any]:
    """The JSON schema of an answer here (cells bounded by the map; areas by name), for
    servers that constrain their output to one."""
    w, h = allowed.map_size or (256, 256)
    cell = {"type": "array", "minItems": 2, "maxItems": 2,
            "items": {"type": "integer", "enum": list(range(max(w, h)))}}
    # one shape per kind of action, each with exactly the arguments it needs
    shapes: list[dict[str, Any]] = [
        {"type": "object", "required": ["do"], "additionalProperties": False,
         "properties": {"do": {"type": "string", "enum": ["explore"]}}},
        {"type": "object", "required": ["do", "at"], "additionalProperties": False,
         "properties": {"do": {"type": "string",
                               "enum": [k for k, need in KINDS.items() if need == "cell"]},
                        "at": cell}},
    ]
    if allowed.areas:
        shapes.append({"type": "object", "required": ["do", "area"],
                       "additionalProperties": False,
                       "properties": {"do": {"type": "string", "enum": ["enter"]},
                                      "area": {"type": "string",
                                               "enum": sorted(allowed.areas)}}})
    action = {"anyOf": shapes}
    return {
        "type": "object",
        "properties": {
            "reasoning": {"type": "string", "pattern": TEXT.format(0, 120)},
            "objective": {"type": "string", "pattern": TEXT.format(1, 60)},
            "actions": {"type": "array", "minItems": 1, "maxItems": 3, "items": action},
            "fallback": {"type": "string", "enum": list(FALLBACKS)},
            "confidence": {"type": "number", "enum": list(CONFIDENCES)},
        },
        "required": ["reasoning", "objective", "actions", "fallback", "confidence"],
    }
