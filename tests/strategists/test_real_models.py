"""Model strategists against real models, all built here with random weights: a llama.cpp
server answering under a JSON schema, ``transformers serve`` with a tiny PaliGemma, and a
tiny Qwen2.5-VL in this process with a LoRA adapter loaded from safetensors. Each plays
the quest cartridge for 3,000 frames in real, paused and virtual time, and the log shows
the model's parsed strategies in use.

Random weights know nothing of games: the llama.cpp model answers valid JSON only because
the server samples under the answer's grammar; the transformers models were taught one
answer by a LoRA adapter trained here on real prompts of the quest (so without the
adapter their answers do not parse, and with it they do).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("openai")
pytest.importorskip("transformers")
pytest.importorskip("peft")
pytest.importorskip("llama_cpp")
pytest.importorskip("gguf")

import servers
import tiny_models

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.strategists import BuiltinStrategist, ModelOptions
from eevee.strategists.local_model import chat_messages
from eevee.strategists.model import ModelStrategist, Reply
from eevee.strategists.prompt import Prompt

pytestmark = pytest.mark.slow
FRAMES = 3000
MODES = ("realtime", "paused", "virtual")
TAUGHT = "STRATEGY: look around"  # (the line format; ACTIONS default to explore)


class PromptTaker:
    """A backend that keeps the prompts it is sent (to teach a tiny model real ones)."""

    name = "taker"

    def __init__(self) -> None:
        self.prompts: list[Prompt] = []

    def complete(self, prompt: Prompt, schema: Any) -> Reply:
        self.prompts.append(prompt)
        return Reply(TAUGHT)

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def quest_prompts(tmp_path_factory: pytest.TempPathFactory) -> list[Prompt]:
    """Prompts of a real quest run, spread over its first 3,000 frames."""
    taker = PromptTaker()
    out = tmp_path_factory.mktemp("prompts") / "run"
    play(RunConfig(time_mode=TimeMode.VIRTUAL, frames=FRAMES, out=str(out), knowledge=None,
                   until="frames"),
         progress=False, strategist=ModelStrategist(taker, BuiltinStrategist(), latency_s=0.5))
    step = max(1, len(taker.prompts) // 8)
    return taker.prompts[::step][:8]


def teach(base: Path, prompts: list[Prompt], out: Path) -> Path:
    examples = [(chat_messages(p), TAUGHT) for p in prompts]
    return tiny_models.train_lora(base, out, examples, steps=150)


@pytest.fixture(scope="module")
def gguf_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_models.write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def llama_url(gguf_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with servers.llama_cpp(gguf_model, tmp_path_factory.mktemp("llama") / "log") as url:
        yield url


@pytest.fixture(scope="module")
def qwen(tmp_path_factory: pytest.TempPathFactory,
         quest_prompts: list[Prompt]) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("qwen")
    base = tiny_models.build_qwen25vl(root / "base")
    return base, teach(base, quest_prompts, root / "adapter")


@pytest.fixture(scope="module")
def paligemma_url(tmp_path_factory: pytest.TempPathFactory,
                  quest_prompts: list[Prompt]) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("paligemma")
    base = tiny_models.build_paligemma(root / "base")
    merged = tiny_models.merge_lora(base, teach(base, quest_prompts, root / "adapter"),
                                    root / "merged")
    with servers.transformers_serve(merged, root / "log") as url:
        yield url, str(merged)  # (a pinned server answers to its model's name only)


def run(tmp_path: Path, mode: str, strategist: str, options: ModelOptions,
        name: str = "run") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    out = tmp_path / name
    cfg = RunConfig(strategist=strategist, time_mode=TimeMode.parse(mode), frames=FRAMES,
                    out=str(out), knowledge=None, until="frames", model=options)
    play(cfg, progress=False)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["frames"] == FRAMES
    return summary, [json.loads(line) for line in (out / "events.jsonl").open()]


def assert_model_drives(summary: dict[str, Any], events: list[dict[str, Any]]) -> None:
    calls = [e for e in events if e["event"] == "agent_model_call"]
    ok = [c for c in calls if c["result"] == "ok"]
    assert ok, f"no answer parsed: {[c.get('error') for c in calls][:5]}"
    # (a tiny model taught on a few prompts answers most others right, not all)
    assert len(ok) >= 0.3 * len([c for c in calls if c["result"] != "cache"])
    # the model's objectives were the agent's: objective events that are not the built-in's
    chosen = [e for e in events if e["event"] == "agent_objective"
              and not e["reasoning"].startswith("built-in")]
    assert chosen and {e["name"] for e in chosen} <= {c["objective"] for c in ok}
    model = summary["agent_stats"]["model"]
    assert model["answered_ok"] == len(ok) and model["tokens_out"] > 0


@pytest.mark.parametrize("mode", MODES)
def test_llama_cpp_server_answering_under_a_json_schema(
        tmp_path: Path, llama_url: str, mode: str) -> None:
    options = ModelOptions(url=llama_url, model="tiny", schema_format="json_object",
                           images="none", max_tokens=200, timeout_s=20, latency_s=0.5)
    summary, events = run(tmp_path, mode, "openai", options)
    assert_model_drives(summary, events)


@pytest.mark.parametrize("mode", MODES)
def test_transformers_serve_with_a_tiny_paligemma(
        tmp_path: Path, paligemma_url: tuple[str, str], mode: str) -> None:
    url, name = paligemma_url
    options = ModelOptions(url=url, model=name, schema_format="none",
                           max_tokens=60, timeout_s=20, latency_s=0.5)
    summary, events = run(tmp_path, mode, "openai", options)
    assert_model_drives(summary, events)


@pytest.mark.parametrize("mode", MODES)
def test_in_process_qwen25vl_with_a_lora_adapter(
        tmp_path: Path, qwen: tuple[Path, Path], mode: str) -> None:
    base, adapter = qwen
    assert (adapter / "adapter_model.safetensors").is_file()
    options = ModelOptions(model=str(base), adapter=str(adapter), max_tokens=60,
                           latency_s=0.5)
    summary, events = run(tmp_path, mode, "transformers", options)
    assert_model_drives(summary, events)


def test_without_its_adapter_the_tiny_model_does_not_answer_well(
        tmp_path: Path, qwen: tuple[Path, Path]) -> None:
    base, _ = qwen
    summary, events = run(tmp_path, "virtual", "transformers",
                          ModelOptions(model=str(base), max_tokens=40, latency_s=0.5))
    calls = [e for e in events if e["event"] == "agent_model_call"]
    assert calls and not any(c["result"] == "ok" for c in calls)
    assert summary["frames"] == FRAMES  # (and the built-in strategist played on)


def test_virtual_time_with_a_deterministic_server_repeats_exactly(
        tmp_path: Path, llama_url: str) -> None:
    options = ModelOptions(url=llama_url, model="tiny", schema_format="json_object",
                           images="none", max_tokens=200, timeout_s=20, latency_s=0.5)
    logs = []
    for name in ("first", "second"):
        _, events = run(tmp_path, "virtual", "openai", options, name)
        # (the wall-clock time a call took is a measurement, not part of the game)
        logs.append([{k: v for k, v in e.items() if k not in ("latency_ms", "rom")}
                     for e in events])
    assert any(e["event"] == "agent_model_call" and e["result"] == "ok" for e in logs[0])
    assert logs[0] == logs[1]
