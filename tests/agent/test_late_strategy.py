"""In real time the game goes on while the strategist thinks: an answer about a place the
player has left is not used; the agent asks again."""

from __future__ import annotations

import threading
import time
from typing import Any

from eevee.agents.three_layer import Agent, AgentConfig
from eevee.cartridges import get
from eevee.profiles import load_profile
from eevee.runtime.clock import TimeMode
from eevee.strategists import BuiltinStrategist


class Held:
    """The built-in strategist's answers, each held back until the test lets it go."""

    name = "held"
    latency_s = None

    def __init__(self) -> None:
        self.inner = BuiltinStrategist()
        self.go = threading.Event()

    def think(self, context: Any) -> Any:
        self.go.wait(10)
        return self.inner.think(context)


def _put(agent: Agent, frame: int) -> None:
    """The question under way put together (a part a frame) and sent off."""
    while agent._asking is not None:
        agent._poll_strategy(frame)


def _wait(agent: Agent) -> None:
    assert agent._future is not None
    for _ in range(500):
        if agent._future.done():
            return
        time.sleep(0.01)
    raise AssertionError("the strategist never answered")


def test_an_answer_about_an_area_left_meanwhile_is_dropped_and_asked_again() -> None:
    profile = load_profile(get("quest").profile_path)
    strat = Held()
    agent = Agent(profile, strat, AgentConfig(time_mode=TimeMode.REALTIME), platform="gba")
    try:
        agent._values = {"area": 0, "player_x": 3, "player_y": 3, "hp": 20, "max_hp": 20}
        agent._trigger(10, "start")
        _put(agent, 10)
        agent._values = {**agent._values, "area": 1}  # the player walked through a door
        strat.go.set()
        _wait(agent)
        agent._poll_strategy(70)
        assert agent.strategy is None  # (not used)
        kinds = [e.kind for e in agent.world.events.events]
        assert "strategy_stale" in kinds and agent.triggers.get("stale") == 1
        _put(agent, 70)
        _wait(agent)  # the new question, asked in area 1, is answered and used
        agent._poll_strategy(71)
        assert agent.strategy is not None and agent.strategy.made_at == 70
    finally:
        agent.close()
