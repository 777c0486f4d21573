"""Whatever the model server does, the run goes on: each failure is logged by name and the
built-in strategist decides until the model answers well again.

The server here is a stand-in (``chat_server``) that fails on purpose over real HTTP; the
client is the real ``openai`` SDK. Runs are in virtual time (deterministic, fast).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("openai")

from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode
from eevee.strategists import ModelOptions
from eevee.strategists.standin import ChatServer, Reply

GOOD = json.dumps({"reasoning": "see what is there", "objective": "look around",
                   "actions": [{"do": "explore"}], "fallback": "explore", "confidence": 0.5})
FRAMES = 900


def run(tmp_path: Path, url: str, **opts: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    out = tmp_path / "run"
    cfg = RunConfig(strategist="openai", time_mode=TimeMode.VIRTUAL, frames=FRAMES,
                    out=str(out), knowledge=None, until="frames",
                    model=ModelOptions(url=url, model="m", latency_s=0.25,
                                       **{"retries": 0, **opts}))
    summary = play(cfg, progress=False)
    assert summary.frames == FRAMES  # (the run went on to the end)
    events = [json.loads(line) for line in (out / "events.jsonl").open()]
    return json.loads((out / "summary.json").read_text()), events


def calls(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == "agent_model_call"]


def serve(behaviour: Callable[[int], Reply]) -> ChatServer:
    return ChatServer(behaviour)


@pytest.mark.parametrize(("reply", "result", "error"), [
    (Reply("Go north, then talk to the elder."), "bad answer", "unexpected line"),
    (Reply(""), "bad answer", "empty answer"),
    (Reply('{"objective": "x", "actions": [{"do": "teleport"}]}'), "bad answer",
     "unknown action 'teleport'"),
    (Reply('{"objective": "x", "actions": [{"do": "walk", "at": [999, 2]}]}'), "bad answer",
     "off the map"),
    (Reply(raw=b"<html>not json</html>"), "bad reply", ""),
    (Reply(status=500), "http 500", ""),
    (Reply(close=True), "connection failed", ""),
    (Reply(GOOD, delay_s=1.5), "timeout", ""),
])
def test_a_failed_call_is_logged_and_the_builtin_strategist_decides(
        tmp_path: Path, reply: Reply, result: str, error: str) -> None:
    with serve(lambda n: reply) as server:
        summary, events = run(tmp_path, server.url, timeout_s=0.5)
    made = calls(events)
    assert made and made[0]["result"] == result and made[0]["used"] == "builtin"
    assert error in made[0].get("error", "")
    objectives = [e for e in events if e["event"] == "agent_objective"]
    assert objectives and "built-in" in objectives[0]["reasoning"]
    stats = summary["agent_stats"]["model"]
    assert stats["answered_ok"] == 0 and stats["failures"][result] >= 1


def test_a_server_that_never_started_is_a_logged_failure(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, events = run(tmp_path, f"http://127.0.0.1:{port}/v1")
    made = calls(events)
    assert made[0]["result"] == "connection failed"
    assert "refused" in made[0]["error"].lower()
    # after three failures in a row the breaker opens: calls are skipped for a while
    assert any(c["result"] == "skipped" for c in made)


def test_the_model_takes_over_again_once_it_answers_well(tmp_path: Path) -> None:
    with serve(lambda n: Reply(status=500) if n < 4 else Reply(GOOD)) as server:
        _, events = run(tmp_path, server.url)
    results = [c["result"] for c in calls(events)]
    assert results[:3] == ["http 500"] * 3 and "skipped" in results
    assert "ok" in results[results.index("skipped"):]
    objectives = [e for e in events if e["event"] == "agent_objective"]
    assert objectives[-1]["name"] == "look around"  # (the model's, once it came back)


def test_retries_back_off_and_the_second_try_counts(tmp_path: Path) -> None:
    with serve(lambda n: Reply(close=True) if n == 0 else Reply(GOOD)) as server:
        _, events = run(tmp_path, server.url, retries=1)
        assert len(server.requests) >= 2
    assert calls(events)[0]["result"] == "ok"


def test_the_prompt_carries_the_frame_and_the_schema(tmp_path: Path) -> None:
    with serve(lambda n: Reply(GOOD)) as server:
        run(tmp_path, server.url)
        request = server.requests[0]
    user = request["messages"][1]["content"]
    assert user[0]["type"] == "image_url"
    assert user[0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "Quests:" in user[-1]["text"] and "What should the agent do now?" in user[-1]["text"]
    schema = request["response_format"]["json_schema"]["schema"]
    kinds = {k for shape in schema["properties"]["actions"]["items"]["anyOf"]
             for k in shape["properties"]["do"]["enum"]}
    assert kinds == {"goto", "walk", "talk", "use", "explore"}  # (no door known yet: no enter)
    assert request["temperature"] == 0
