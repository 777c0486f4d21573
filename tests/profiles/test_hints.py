"""Profile hints follow their typed schema; walkthrough data is refused with one line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eevee.errors import ProfileError
from eevee.profiles import load_profile
from eevee.profiles.hints import (
    HINT_DOCS,
    HINT_TYPES,
    WALKTHROUGH_KEYS,
    ProfileHints,
    describe,
)
from eevee.profiles.registry import CARTRIDGE_DATA_DIR

GOOD: dict[str, Any] = {
    "format": 1,
    "name": "demo",
    "platform": "gba",
    "rom": {"sha1": "a" * 40},
    "variables": {"hp": {"address": "0x02000010", "type": "|u1"}},
    "milestones": [],
    "hints": {
        "step_frames": 8,
        "screen_cells": [15, 10],
        "player_speed": 1.5,
        "modes": {"title": 0, "overworld": 1, "battle": -1},
        "npc_table": {"address": "0x0200002E", "count": 6, "stride": 5,
                      "fields": ["x", "y"], "doc": "NPCs"},
        "hazards": {"address": 0x02000024, "count": 16, "stride": 12,
                    "fields": {"x": {"offset": 2, "type": "<i2"}},
                    "hitboxes": {"1": [3, 3, 10, 10]}},
    },
}


def write(tmp_path: Path, hints: Any) -> Path:
    data = copy.deepcopy(GOOD)
    data["hints"] = hints
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    return path


def with_hint(key: str, value: Any) -> dict[str, Any]:
    return {**copy.deepcopy(GOOD["hints"]), key: value}


def npc_table_without(field: str) -> dict[str, Any]:
    table = copy.deepcopy(GOOD["hints"]["npc_table"])
    del table[field]
    return with_hint("npc_table", table)


def test_bundled_profiles_load_with_every_hint_declared() -> None:
    paths = sorted(CARTRIDGE_DATA_DIR.glob("*/profile.json"))
    assert {p.parent.name for p in paths} >= {"quest", "maze", "dodge"}
    for path in paths:
        profile = load_profile(path)
        on_disk = json.loads(path.read_text(encoding="utf-8"))["hints"]
        assert dict(profile.hints) == on_disk, path
        assert not set(profile.hints) & set(WALKTHROUGH_KEYS), path


def test_every_hint_has_a_type_and_a_one_line_doc() -> None:
    assert set(HINT_DOCS) == set(ProfileHints.__annotations__)
    for key, doc in HINT_DOCS.items():
        assert doc and "\n" not in doc, f"hint {key} needs a one-line doc"
    assert not set(HINT_DOCS) & set(WALKTHROUGH_KEYS)
    assert describe(HINT_TYPES["screen_cells"]) == "a list of 2 integers"


def test_hints_are_a_read_only_mapping_with_the_file_values(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GOOD["hints"]))
    assert profile.hints == GOOD["hints"]
    assert profile.hint("screen_cells") == [15, 10]
    assert profile.hints.get("missing", 3) == 3
    with pytest.raises(TypeError):
        profile.hints["step_frames"] = 9  # type: ignore[index]
    typed = profile.typed_hints
    assert typed["npc_table"]["stride"] == 5
    typed["step_frames"] = 1
    assert profile.hints["step_frames"] == 8


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        ({"step_frame": 8}, "hints.step_frame: unknown hint; did you mean 'step_frames'?"),
        ({"how_to_win": "x"}, "hints.how_to_win: unknown hint; fix its name, or declare it"),
        ([1, 2], "hints: must be an object of hint names to values"),
        (with_hint("cell_pixels", "16"), "hints.cell_pixels: must be an integer, got '16'"),
        (with_hint("cell_pixels", True), "hints.cell_pixels: must be an integer, got True"),
        (with_hint("screen_cells", [15]), "hints.screen_cells: must be a list of 2 integers"),
        (with_hint("areas", ["Town", 3]), "hints.areas[1]: must be a string, got 3"),
        (with_hint("modes", {"title": "zero"}), "hints.modes.title: must be an integer"),
        (npc_table_without("address"),
         "hints.npc_table.address: missing required key; npc_table must be an object with "
         "keys address, count, stride, fields"),
        (npc_table_without("stride"), "hints.npc_table.stride: missing required key"),
        (with_hint("npc_table", {**GOOD["hints"]["npc_table"], "address": "here"}),
         "hints.npc_table.address: must be an integer or a hex string like '0x02000000'"),
        (with_hint("npc_table", {**GOOD["hints"]["npc_table"], "size": 5}),
         "hints.npc_table.size: unknown key; npc_table must be an object with keys"),
        (with_hint("npc_table", 7), "hints.npc_table: must be an object with keys address"),
        (with_hint("hazards", {**GOOD["hints"]["hazards"], "fields": {"x": {"offset": "2",
                                                                            "type": "<i2"}}}),
         "hints.hazards.fields.x.offset: must be an integer, got '2'"),
        (with_hint("player_hitbox", [1, 2, 3]), "hints.player_hitbox: must be a list of 4"),
    ],
)
def test_bad_hint_is_one_line_naming_file_key_and_fix(
    tmp_path: Path, hints: Any, expected: str
) -> None:
    path = write(tmp_path, hints)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    assert message.startswith(f"{path}: hints")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize("key", sorted(WALKTHROUGH_KEYS))
def test_walkthrough_keys_are_refused_and_sent_to_solver_or_truth(
    tmp_path: Path, key: str
) -> None:
    path = write(tmp_path, with_hint(key, []))
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    assert message.startswith(f"{path}: hints.{key}: walkthrough data")
    home = "solver.json" if key in ("quest_steps", "healer_target") else "truth.json"
    assert f"move it to the cartridge's {home}" in message
    assert "\n" not in message
