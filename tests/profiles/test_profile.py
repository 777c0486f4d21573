"""Profiles: valid ones load and evaluate; every malformed one names file, key and problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eevee.errors import ProfileError
from eevee.profiles import load_profile, parse_profile
from eevee.profiles.registry import find_profile, resolve_profile

GOOD: dict[str, Any] = {
    "format": 1,
    "name": "demo",
    "platform": "gba",
    "rom": {"sha1": "a" * 40, "game_code": "EVDM", "title": "DEMO"},
    "variables": {
        "hp": {"address": "0x02000010", "type": "|u1", "doc": "health"},
        "flags": {"address": 0x02000012, "type": "<u2"},
        "signed": {"address": "0x03000000", "type": "<i2"},
    },
    "milestones": [
        {"name": "healthy", "quest": "main", "step": 1,
         "when": [{"var": "hp", "op": ">=", "value": 10}]},
        {"name": "both_flags", "quest": "side", "step": 1,
         "when": [{"var": "flags", "op": "&", "value": 5}, {"var": "hp", "op": "!=", "value": 0}]},
    ],
    "hints": {"step_frames": 8},
}


def write(tmp_path: Path, data: Any, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_good_profile_loads_and_evaluates(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.variables["hp"].address == 0x02000010
    assert profile.variables["flags"].size == 2
    assert profile.hint("step_frames") == 8
    healthy, both = profile.milestones
    assert healthy.reached({"hp": 12, "flags": 0})
    assert not healthy.reached({"hp": 3, "flags": 0})
    assert both.reached({"hp": 1, "flags": 0b111})
    assert not both.reached({"hp": 1, "flags": 0b100})  # & needs every bit of the mask


def broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (broken(lambda d: d["variables"]["hp"].update(address="0x09000000")),
         "variables.hp.address: 0x9000000 is not in readable gba memory"),
        (broken(lambda d: d["variables"]["hp"].update(address="here")),
         "variables.hp.address: address must be an integer or a hex string"),
        (broken(lambda d: d["variables"]["hp"].update(type="u8")),
         "variables.hp.type: bad type 'u8'"),
        (broken(lambda d: d["variables"]["hp"].update(type="|u2")),
         "variables.hp.type: bad type '|u2'"),
        (broken(lambda d: d["variables"]["hp"].pop("type")),
         "variables.hp.type: missing required key"),
        (broken(lambda d: d["variables"]["hp"].pop("address")),
         "variables.hp.address: missing required key"),
        (broken(lambda d: d.pop("rom")), "rom: missing required key"),
        (broken(lambda d: d["rom"].update(sha1="xyz")), "rom.sha1: must be 40 hex digits"),
        (broken(lambda d: d.update(platform="snes")), "platform: must be 'gba' or 'gb'"),
        (broken(lambda d: d.update(format=2)), "format: must be 1"),
        (broken(lambda d: d["milestones"][0]["when"][0].update(var="mana")),
         "milestones[0].when[0].var: unknown variable 'mana'"),
        (broken(lambda d: d["milestones"][0]["when"][0].update(op="=~")),
         "milestones[0].when[0].op: unknown op '=~'"),
        (broken(lambda d: d["milestones"][1].update(when=[])),
         "milestones[1].when: needs at least one condition"),
    ],
)
def test_bad_profile_message_names_file_key_and_problem(
    tmp_path: Path, data: dict[str, Any], expected: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    assert message.startswith(str(path) + ": ")
    assert expected in message
    assert "\n" not in message


def test_gb_profile_rejects_gba_address() -> None:
    data = broken(lambda d: d.update(platform="gb"))
    with pytest.raises(ProfileError, match="not in readable gb memory"):
        parse_profile(data, "gb.json")


def test_unreadable_profiles(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile file not found"):
        load_profile(tmp_path / "missing.json")
    with pytest.raises(ProfileError, match=r"not valid JSON \(line 1, column 2"):
        load_profile(write(tmp_path, "{nope"))
    with pytest.raises(ProfileError, match="must be a JSON object"):
        load_profile(write(tmp_path, "[1, 2]"))


def test_profile_found_by_sha1_and_checked_against_rom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, GOOD, "demo.json")
    monkeypatch.setenv("EEVEE_PROFILE_PATH", str(tmp_path))
    found = find_profile("A" * 40)
    assert found is not None and found.name == "demo"
    assert find_profile("b" * 40) is None
    with pytest.raises(ProfileError, match="this profile is for another ROM"):
        resolve_profile("b" * 40, tmp_path / "demo.json")
