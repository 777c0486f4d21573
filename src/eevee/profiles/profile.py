"""Game profiles: what Eevee knows about a game, as a data file (never code).

A profile is JSON, in the spirit of stable-retro's ``data.json``::

    {"format": 1, "name": "quest", "platform": "gba",
     "rom": {"sha1": "…", "game_code": "EVQT", "title": "EEVEE QUEST"},
     "variables": {"hp": {"address": "0x02000010", "type": "|u1", "doc": "…"}},
     "milestones": [{"name": "got_key", "quest": "main", "step": 2,
                     "when": [{"var": "inventory", "op": "&", "value": 4}]}],
     "hints": {"step_frames": 8}}

Every problem is reported with the file, the key and what is wrong. Hints are checked
against their schema in :mod:`eevee.profiles.hints`: a profile says what the game's
manual and status screen say, never how to win.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from eevee.emulator.base import parse_type
from eevee.emulator.platform import PLATFORMS
from eevee.errors import ProfileError
from eevee.profiles.hints import ProfileHints, check_hints

OPS: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "&": lambda v, mask: (v & mask) == mask,
}

@dataclass(frozen=True)
class Variable:
    """A named value in game memory."""

    name: str
    address: int
    type: str
    doc: str = ""

    @property
    def size(self) -> int:
        return parse_type(self.type).itemsize


@dataclass(frozen=True)
class Condition:
    var: str
    op: str
    value: int

    def holds(self, values: Mapping[str, int]) -> bool:
        return OPS[self.op](values[self.var], self.value)


@dataclass(frozen=True)
class Milestone:
    """A named point of progress: true when every condition holds."""

    name: str
    quest: str
    step: int
    when: tuple[Condition, ...]
    doc: str = ""

    def reached(self, values: Mapping[str, int]) -> bool:
        return all(c.holds(values) for c in self.when)


@dataclass(frozen=True)
class Profile:
    """A validated game profile."""

    name: str
    platform: str
    sha1: str
    game_code: str
    title: str
    variables: dict[str, Variable]
    milestones: tuple[Milestone, ...]
    #: the validated hints (see :mod:`eevee.profiles.hints`), read-only
    hints: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None

    def hint(self, key: str, default: Any = None) -> Any:
        return self.hints.get(key, default)

    @property
    def typed_hints(self) -> ProfileHints:
        """The hints, typed by their schema (a copy: changing it changes nothing here)."""
        return cast(ProfileHints, dict(self.hints))


class _Checker:
    """Collects context (file, key) for error messages."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: {key}: {problem}")

    def get(
        self, obj: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...]
    ) -> Any:
        if key not in obj:
            return self._missing(where, key)
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            if isinstance(kind, type):
                names = kind.__name__
            else:
                names = " or ".join(k.__name__ for k in kind)
            raise self.fail(f"{where}.{key}" if where else key, f"must be {names}, got {value!r}")
        return value

    def _missing(self, where: str, key: str) -> Any:
        raise self.fail(f"{where}.{key}" if where else key, "missing required key")


def _parse_address(chk: _Checker, key: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise chk.fail(key, f"address must be an integer or a hex string, got {raw!r}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        try:
            return int(raw, 0)
        except ValueError:
            pass
    raise chk.fail(
        key, f"address must be an integer or a hex string like '0x02000000', got {raw!r}"
    )


def _parse_header(chk: _Checker, data: Any) -> tuple[str, str, str, str, str]:
    """``(name, platform, sha1, game_code, title)`` of a profile."""
    if not isinstance(data, dict):
        raise chk.fail("(top level)", "must be a JSON object")
    if data.get("format") != 1:
        raise chk.fail("format", f"must be 1, got {data.get('format')!r}")
    name = chk.get(data, "name", "", str)
    platform_name = chk.get(data, "platform", "", str)
    if platform_name not in PLATFORMS:
        raise chk.fail("platform", f"must be 'gba' or 'gb', got {platform_name!r}")
    rom = chk.get(data, "rom", "", dict)
    sha1 = chk.get(rom, "sha1", "rom", str).lower()
    if len(sha1) != 40 or any(c not in "0123456789abcdef" for c in sha1):
        raise chk.fail("rom.sha1", f"must be 40 hex digits, got {sha1!r}")
    return name, platform_name, sha1, str(rom.get("game_code", "")), str(rom.get("title", ""))


def _parse_variable(chk: _Checker, platform_name: str, var_name: str, spec: Any) -> Variable:
    where = f"variables.{var_name}"
    if not isinstance(spec, dict):
        raise chk.fail(where, f"must be an object with address and type, got {spec!r}")
    if "address" not in spec:
        raise chk.fail(f"{where}.address", "missing required key")
    address = _parse_address(chk, f"{where}.address", spec["address"])
    type_code = chk.get(spec, "type", where, str)
    try:
        size = parse_type(type_code).itemsize
    except ValueError as exc:
        raise chk.fail(f"{where}.type", str(exc)) from None
    platform = PLATFORMS[platform_name]
    if platform.region_of(address, size) is None:
        regions = ", ".join(
            f"{r.name} 0x{r.start:X}-0x{r.end - 1:X}" for r in platform.regions.values()
        )
        raise chk.fail(
            f"{where}.address",
            f"0x{address:X} is not in readable {platform_name} memory ({regions})",
        )
    return Variable(var_name, address, type_code, str(spec.get("doc", "")))


def _parse_milestone(
    chk: _Checker, variables: Mapping[str, Variable], i: int, ms: Any
) -> Milestone:
    where = f"milestones[{i}]"
    if not isinstance(ms, dict):
        raise chk.fail(where, "must be an object")
    ms_name = chk.get(ms, "name", where, str)
    conditions: list[Condition] = []
    for j, cond in enumerate(chk.get(ms, "when", where, list)):
        cwhere = f"{where}.when[{j}]"
        if not isinstance(cond, dict):
            raise chk.fail(cwhere, "must be an object {var, op, value}")
        var = chk.get(cond, "var", cwhere, str)
        if var not in variables:
            raise chk.fail(f"{cwhere}.var", f"unknown variable {var!r}")
        op = chk.get(cond, "op", cwhere, str)
        if op not in OPS:
            raise chk.fail(f"{cwhere}.op", f"unknown op {op!r}; use one of {' '.join(OPS)}")
        conditions.append(Condition(var, op, chk.get(cond, "value", cwhere, int)))
    if not conditions:
        raise chk.fail(f"{where}.when", "needs at least one condition")
    return Milestone(
        name=ms_name,
        quest=str(ms.get("quest", "main")),
        step=int(ms.get("step", 0)),
        when=tuple(conditions),
        doc=str(ms.get("doc", "")),
    )


def parse_profile(data: Any, path: Path | str = "<profile>") -> Profile:
    """Validate already-decoded JSON ``data`` as a profile."""
    chk = _Checker(path)
    name, platform_name, sha1, game_code, title = _parse_header(chk, data)
    variables = {
        var_name: _parse_variable(chk, platform_name, var_name, spec)
        for var_name, spec in chk.get(data, "variables", "", dict).items()
    }
    milestones = tuple(
        _parse_milestone(chk, variables, i, ms) for i, ms in enumerate(data.get("milestones", []))
    )
    return Profile(
        name=name,
        platform=platform_name,
        sha1=sha1,
        game_code=game_code,
        title=title,
        variables=variables,
        milestones=milestones,
        hints=MappingProxyType(check_hints(data.get("hints", {}), chk.path)),
        path=Path(path) if not isinstance(path, Path) else path,
    )


MAX_PROFILE_BYTES = 1 << 20  # no profile is larger
MAX_DEPTH = 32  # nor nested deeper


def read_profile_json(path: Path | str) -> Any:
    """The JSON in a profile file, checked before and while reading: a regular file of at
    most :data:`MAX_PROFILE_BYTES`, UTF-8, nested at most :data:`MAX_DEPTH` deep; every
    problem one :class:`ProfileError` line."""
    import stat as stat_

    p = Path(path)
    try:
        st = p.stat()
        if not stat_.S_ISREG(st.st_mode):
            raise ProfileError(f"{p}: not a regular file; a profile is a .json file")
        if st.st_size > MAX_PROFILE_BYTES:
            raise ProfileError(f"{p}: {st.st_size} bytes, larger than any profile "
                               f"({MAX_PROFILE_BYTES} at most); is it the right file?")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{p}: profile file not found; check the path") from None
    except OSError as exc:
        raise ProfileError(f"{p}: cannot read profile ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8") \
            from None
    depth = 0
    for ch in text:  # (deep nesting would exhaust the JSON parser's recursion)
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ProfileError(f"{p}: nested more than {MAX_DEPTH} deep; a profile is "
                                   "a flat table of variables and milestones")
        elif ch in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def load_profile(path: Path | str) -> Profile:
    """Read and validate the profile at ``path``."""
    p = Path(path)
    data = read_profile_json(p)
    return parse_profile(data, p)
