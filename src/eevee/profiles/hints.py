"""The typed schema of a profile's ``hints``: what a game's manual and status screen say.

Every hint a profile may carry is declared once, in :class:`ProfileHints`, with its type
(nested :class:`~typing.TypedDict` s give the shape of structured hints) and a one-line
doc as ``Annotated`` metadata. The same declaration types :attr:`Profile.typed_hints
<eevee.profiles.profile.Profile.typed_hints>` for mypy and drives :func:`check_hints`,
which rejects, with one line naming the file, the key and the fix:

* an unknown hint key (declare it here, or fix its spelling);
* a malformed hint (wrong type or shape, a structured hint missing a required field);
* walkthrough data (:data:`WALKTHROUGH_KEYS`: quest steps, door lists, healer location,
  area sizes, NPC counts), which belongs in a cartridge's ``solver.json`` (how to win) or
  ``truth.json`` (the map), files only tests and benchmarks read.

>>> check_hints({"step_frames": 8}, "p.json")
{'step_frames': 8}
>>> check_hints({"doors": []}, "p.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
eevee.errors.ProfileError: p.json: hints.doors: ...
"""

from __future__ import annotations

import copy
import difflib
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union, is_typeddict

from eevee.errors import ProfileError

#: walkthrough keys (which file of the cartridge's data they belong in); never in a profile
WALKTHROUGH_KEYS: dict[str, str] = {
    "quest_steps": "solver.json (walkthrough.quest_steps)",
    "healer_target": "solver.json (walkthrough.healer_target)",
    "doors": "truth.json (map_hints.doors)",
    "area_sizes": "truth.json (map_hints.area_sizes)",
    "npc_counts": "truth.json (map_hints.npc_counts)",
}


@dataclass(frozen=True)
class Check:
    """Extra ``Annotated`` metadata: a predicate the value must pass, and what it expects."""

    ok: Callable[[Any], bool]
    expects: str


def _is_address(value: Any) -> bool:
    if isinstance(value, str):
        try:
            int(value, 0)
        except ValueError:
            return False
    return True


Address = Annotated[
    int | str, Check(_is_address, "an integer or a hex string like '0x02000000'")
]
Pair = tuple[int, int]
Box = tuple[int, int, int, int]


class NpcTable(typing.TypedDict):
    """The NPCs of the current area in RAM: ``count`` records of ``stride`` u8 fields."""

    address: Address
    count: int
    stride: int
    fields: list[str]


class NpcTableDoc(NpcTable, total=False):
    doc: str


class HazardField(typing.TypedDict):
    offset: int
    type: str


class HazardTable(typing.TypedDict):
    """Moving hazards in RAM: ``count`` records of ``stride`` bytes, laid out by ``fields``."""

    address: Address
    count: int
    stride: int
    fields: dict[str, HazardField]


class HazardTableDoc(HazardTable, total=False):
    kinds: Annotated[dict[str, str], "what each value of the kind field means"]
    velocity_units: str
    hitboxes: Annotated[dict[str, Box], "per kind: x, y, width, height inside the sprite"]


class PlayerArea(typing.TypedDict):
    x_min: int
    x_max: int
    y_min: int
    y_max: int


class ProfileHints(typing.TypedDict, total=False):
    """Every hint a profile may carry (all optional)."""

    # ---- grid, timing and screen ----
    cell_pixels: Annotated[int, "pixels per map cell (one step of the player)"]
    step_frames: Annotated[int, "frames one step takes while a direction is held"]
    transition_frames: Annotated[int, "frames a room or area change takes"]
    screen_cells: Annotated[Pair, "cells visible on screen: columns, rows"]
    room_cells: Annotated[Pair, "cells of one room (one screen): columns, rows"]
    room_origin_pixels: Annotated[Pair, "screen pixel of a room's top-left cell"]
    hud_rows_pixels: Annotated[Pair, "screen rows (first, end) taken by the status bar"]
    screen_lag_frames: Annotated[int, "frames the screen shows the RAM state late"]
    screen_note: Annotated[str, "how the screen relates to RAM, in words"]
    frame_timing: Annotated[str, "when in a frame the game logic runs, in words"]
    boot_frames_max: Annotated[int, "frames from power-on to the title screen, at most"]
    screen_kinds: Annotated[dict[str, str], "game_mode value -> screen kind name"]
    # ---- the player sprite ----
    player_oam_index: Annotated[int, "OAM entry of the player sprite"]
    player_oam: Annotated[str, "which OAM entries draw the player and where, in words"]
    sprite_offset: Annotated[Pair, "pixel offset of the player sprite from its cell"]
    sprite_formula: Annotated[str, "player sprite position from RAM, in words"]
    player_speed: Annotated[float, "pixels the player moves per frame"]
    player_size: Annotated[int, "player sprite size in pixels"]
    player_hitbox: Annotated[Box, "player hitbox inside its sprite: x, y, width, height"]
    player_area: Annotated[PlayerArea, "pixel bounds the player can move within"]
    # ---- RAM layouts and value meanings ----
    npc_table: Annotated[NpcTableDoc, "RAM table of the current area's NPCs"]
    hazards: Annotated[HazardTableDoc, "RAM table of the moving hazards"]
    hitboxes: Annotated[dict[str, Box], "hazard hitboxes per kind (else hazards.hitboxes)"]
    inventory_bits: Annotated[dict[str, int], "item name -> bit of the inventory variable"]
    quest_flag_bits: Annotated[dict[str, int], "flag name -> bit of the quest_flags variable"]
    modes: Annotated[dict[str, int], "screen mode -> game_mode value (-1: the game has none)"]
    battle_menu: Annotated[dict[str, int], "battle menu entry -> cursor value (menu_phase)"]
    facing_codes: Annotated[dict[str, int], "direction -> value of the facing variable"]
    var_aliases: Annotated[dict[str, str], "standard variable name -> this game's name"]
    hazard_counters: Annotated[list[str], "variables that count hazard hits (falls)"]
    # ---- the manual: names, controls and rules ----
    areas: Annotated[list[str], "area names, by area number (as the status screen shows)"]
    rooms: Annotated[int, "number of rooms"]
    controls: Annotated[str, "what each button does, in words"]
    title_needs: Annotated[str, "button that leaves the title screen"]
    start_button: Annotated[str, "button that starts the game"]
    movement: Annotated[str, "how the player moves, in words"]
    door_note: Annotated[str, "how doors work, in words"]
    locked_door: Annotated[str, "how locked doors open, in words"]
    hazard: Annotated[str, "what hurts the player, in words"]
    healer: Annotated[str, "who heals the player, in words"]
    encounters: Annotated[str, "when battles start, in words"]
    text_reveal: Annotated[str, "how dialogue text appears, in words"]
    level_frames: Annotated[int, "frames between difficulty levels"]
    score: Annotated[str, "what the score counts, in words"]
    restart: Annotated[str, "how to start a new run, in words"]


def _strip(tp: Any) -> tuple[Any, list[Any]]:
    """``Annotated[T, *meta]`` → ``(T, meta)``; any other type → ``(tp, [])``."""
    if typing.get_origin(tp) is Annotated:
        base, *meta = typing.get_args(tp)
        return base, meta
    return tp, []


@functools.cache
def _fields(td: Any) -> dict[str, Any]:
    """A TypedDict's field types (``Annotated`` kept), resolved once."""
    return typing.get_type_hints(td, include_extras=True)


#: the type of every declared hint (``Annotated``: with its doc)
HINT_TYPES: dict[str, Any] = dict(_fields(ProfileHints))
#: one-line doc of every declared hint
HINT_DOCS: dict[str, str] = {
    key: next((m for m in _strip(tp)[1] if isinstance(m, str)), "")
    for key, tp in HINT_TYPES.items()
}


class _Bad(Exception):
    """A malformed value: where (dotted key under ``hints``) and what is wrong."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where, problem)
        self.where = where
        self.problem = problem


_NOUNS = {int: "integers", float: "numbers", str: "strings", bool: "booleans"}
_NAMES = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}


def describe(tp: Any) -> str:
    """What a value of type ``tp`` looks like in JSON, in words."""
    base, meta = _strip(tp)
    checks = [m for m in meta if isinstance(m, Check)]
    if checks:
        return checks[0].expects
    origin, args = typing.get_origin(base), typing.get_args(base)
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in args)
    if origin is list:
        return f"a list of {_NOUNS.get(args[0]) or describe(args[0])}"
    if origin is tuple:
        return f"a list of {len(args)} {_NOUNS.get(args[0]) or describe(args[0])}"
    if origin is dict:
        return f"an object whose values are {_NOUNS.get(args[1]) or describe(args[1])}"
    if is_typeddict(base):
        required = sorted(base.__required_keys__, key=list(_fields(base)).index)
        optional = [k for k in _fields(base) if k not in base.__required_keys__]
        extra = f" (optional: {', '.join(optional)})" if optional else ""
        return f"an object with keys {', '.join(required)}{extra}"
    return _NAMES.get(base, getattr(base, "__name__", str(base)))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _scalar_ok(base: Any, value: Any) -> bool:
    if base is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if base is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, base) if isinstance(base, type) else False


def _check(tp: Any, value: Any, where: str) -> None:
    """Raise :class:`_Bad` unless ``value`` (decoded JSON) has type ``tp``."""
    base, meta = _strip(tp)
    origin, args = typing.get_origin(base), typing.get_args(base)
    wrong = _Bad(where, f"must be {describe(tp)}, got {_short(value)}")
    if origin in (Union, types.UnionType):
        if not any(_fits(a, value, where) for a in args):
            raise wrong
    elif origin is list or origin is tuple:
        if not isinstance(value, list) or (origin is tuple and len(value) != len(args)):
            raise wrong
        for i, item in enumerate(value):
            _check(args[0] if origin is list else args[i], item, f"{where}[{i}]")
    elif origin is dict:
        if not isinstance(value, dict):
            raise wrong
        for key, item in value.items():
            _check(args[1], item, f"{where}.{key}")
    elif is_typeddict(base):
        _check_object(base, value, where, wrong)
    elif not _scalar_ok(base, value):
        raise wrong
    for check in (m for m in meta if isinstance(m, Check)):
        if not check.ok(value):
            raise wrong


def _fits(tp: Any, value: Any, where: str) -> bool:
    try:
        _check(tp, value, where)
    except _Bad:
        return False
    return True


def _check_object(td: Any, value: Any, where: str, wrong: _Bad) -> None:
    if not isinstance(value, dict):
        raise wrong
    fields = _fields(td)
    shape = describe(td)
    for key in fields:
        if key in td.__required_keys__ and key not in value:
            raise _Bad(f"{where}.{key}", f"missing required key; {where} must be {shape}")
    for key, item in value.items():
        if key not in fields:
            raise _Bad(f"{where}.{key}", f"unknown key; {where} must be {shape}")
        _check(fields[key], item, f"{where}.{key}")


def check_hints(raw: Any, path: str) -> dict[str, Any]:
    """Validate a profile's ``hints`` object (from the file at ``path``); a deep copy.

    Raises :class:`ProfileError` (one line: file, key, fix) for a walkthrough key, an
    unknown key or a malformed value.
    """
    if not isinstance(raw, dict):
        raise ProfileError(f"{path}: hints: must be an object of hint names to values, "
                           f"got {_short(raw)}")
    declared = HINT_TYPES
    for key, value in raw.items():
        if key in WALKTHROUGH_KEYS:
            raise ProfileError(
                f"{path}: hints.{key}: walkthrough data (where things are, how to win) does "
                f"not belong in a profile; move it to the cartridge's {WALKTHROUGH_KEYS[key]}, "
                "which only tests and benchmarks read"
            )
        if key not in declared:
            close = difflib.get_close_matches(str(key), list(declared), n=1)
            guess = f"did you mean {close[0]!r}? " if close else ""
            raise ProfileError(
                f"{path}: hints.{key}: unknown hint; {guess}fix its name, or declare it "
                "(type and doc) in eevee/profiles/hints.py ProfileHints"
            )
        try:
            _check(declared[key], value, str(key))
        except _Bad as bad:
            raise ProfileError(f"{path}: hints.{bad.where}: {bad.problem}") from None
    return copy.deepcopy(raw)

