"""The model strategist's own logic: the frame cache, the breaker's counting, the prompt
templates a user can change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from eevee.errors import ConfigError
from eevee.strategists import BuiltinStrategist
from eevee.strategists.base import StrategyContext
from eevee.strategists.model import BackendError, Guard, ModelStrategist, Reply
from eevee.strategists.prompt import Prompt, Templates

ANSWER = json.dumps({"objective": "look around", "actions": [{"do": "explore"}]})


class Counting:
    """A backend that answers ``ANSWER`` and counts the prompts it got (or fails)."""

    name = "counting"

    def __init__(self, fail: bool = False) -> None:
        self.prompts: list[Prompt] = []
        self.fail = fail

    def complete(self, prompt: Prompt, schema: Any) -> Reply:
        self.prompts.append(prompt)
        if self.fail:
            raise BackendError("http 503", "busy")
        return Reply(ANSWER, 10, 5)

    def close(self) -> None:
        pass


def ctx(frame: int, shade: int, situation: str = "here") -> StrategyContext:
    img = np.full((320, 480, 3), shade, np.uint8)
    return StrategyContext(frame, situation, "somewhere", (), (),
                           scene=lambda: (img, "Player at (1,1)"))


def test_the_same_situation_that_looks_the_same_is_answered_from_the_cache() -> None:
    backend = Counting()
    m = ModelStrategist(backend, BuiltinStrategist())
    first = m.think(ctx(0, 100))
    assert m.think(ctx(60, 102)) is first  # (a frame that looks the same)
    assert m.think(ctx(120, 180)) is not first  # (another frame: asked again)
    assert m.think(ctx(180, 180, "elsewhere")).objective.name == "look around"
    assert m.think(ctx(5000, 180)).made_at == 5000  # (too old an answer: asked again)
    assert len(backend.prompts) == 4
    assert m.stats()["cache_hits"] == 1
    assert backend.prompts[0].images and "Player at (1,1)" in backend.prompts[0].user


def test_the_breaker_skips_the_model_after_three_failures_and_tries_again() -> None:
    backend = Counting(fail=True)
    m = ModelStrategist(backend, BuiltinStrategist(), guard=Guard(retries=0))
    results = []
    for i in range(12):
        m.think(ctx(i * 60, i * 20, f"s{i}"))
        results.extend(r["result"] for r in m.drain_calls())
    assert results[:3] == ["http 503"] * 3
    assert results[3:7] == ["skipped"] * 4  # (4 calls skipped, then one try…)
    assert results[7] == "http 503" and results[8:12] == ["skipped"] * 4  # (… then 8)
    assert len(backend.prompts) == 4


def test_a_users_templates_are_used_and_bad_ones_refused(tmp_path: Path) -> None:
    (tmp_path / "system.txt").write_text("Play well. Actions:\n$actions\n")
    (tmp_path / "user.txt").write_text("At frame $frame: $description\n$todos\n")
    backend = Counting()
    ModelStrategist(backend, BuiltinStrategist(), templates=Templates.read(tmp_path)).think(
        ctx(7, 0))
    assert backend.prompts[0].system.startswith("Play well.")
    assert backend.prompts[0].user.startswith("At frame 7: somewhere")
    (tmp_path / "user.txt").write_text("$frame $secret\n")
    with pytest.raises(ConfigError, match=r"unknown field.*secret"):
        Templates.read(tmp_path)
    (tmp_path / "user.txt").write_text("costs 5$ \n")
    with pytest.raises(ConfigError, match="stray"):
        Templates.read(tmp_path)
    with pytest.raises(ConfigError, match="cannot read"):
        Templates.read(tmp_path / "nowhere")
