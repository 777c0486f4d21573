"""A strategist that looks gets the annotated frame and the spatial description."""

from __future__ import annotations

from typing import Any

import numpy as np

from eevee.agents.three_layer import Agent, AgentConfig
from eevee.cartridges import get
from eevee.emulator import open_emulator
from eevee.profiles import load_profile
from eevee.runner.loop import Observer, run_frames
from eevee.runtime.clock import Clock, TimeMode
from eevee.strategists import BuiltinStrategist
from eevee.strategists.base import with_scene


class Looking:
    """The built-in strategist's answers, recording what a model would have been shown."""

    name = "looking"
    latency_s = 0.0
    wants_scene = True

    def __init__(self) -> None:
        self.inner = BuiltinStrategist()
        self.seen: list[Any] = []

    def think(self, context: Any) -> Any:
        context = with_scene(context)
        self.seen.append(context)
        return self.inner.think(context)


def test_a_looking_strategist_is_shown_the_annotated_frame_and_told_the_scene() -> None:
    cart = get("quest")
    profile = load_profile(cart.profile_path)
    strat = Looking()
    agent = Agent(profile, strat, AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0),
                  platform="gba")
    with open_emulator(cart.rom_path) as emu:
        run_frames(emu, agent, Observer(emu, profile, agent.senses),
                   Clock(TimeMode.UNLOCKED), 900)
    shown = [c for c in strat.seen if c.annotated_frame is not None]
    assert shown, "no call carried the annotated frame"
    img = shown[-1].annotated_frame
    assert isinstance(img, np.ndarray) and img.ndim == 3 and img.shape[0] >= 320
    assert "Player at" in shown[-1].description and "area" in shown[-1].description
    # the built-in strategist does not look: it is never drawn for
    builtin = Agent(profile, BuiltinStrategist(), AgentConfig(time_mode=TimeMode.VIRTUAL))
    assert not getattr(builtin.strategist, "wants_scene", False)
