"""Without a profile the cell size is a guess until the player's moves tell it: what this
run learned in the guessed cells moves into the learned ones; a map restored from a saved
session (in the cells its run learned) stays as it is."""

from __future__ import annotations

from eevee.agents.three_layer import Agent, AgentConfig
from eevee.runtime.clock import TimeMode
from eevee.strategists import make_strategist
from eevee.world import WorldModel
from eevee.world.knowledge import export_world


def _agent() -> Agent:
    return Agent(None, make_strategist("builtin", {}),
                 AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0, seed=0),
                 platform="gb")


def test_what_this_run_walked_moves_into_the_learned_cells() -> None:
    agent = _agent()
    try:
        agent.world.observe(0, 0, (3, 2))  # walked in 16-pixel cells
        agent._new_cell_size(10, 16, 8)
        amap = agent.world.area(0)
        assert amap.visits[4, 6] and amap.visits[3, 5] and not amap.visits[2, 3]
        assert agent.world.cell_px == agent.sight.cell_px == 8
        assert [e.kind for e in agent.world.events.events][-1] == "cells_rescaled"
    finally:
        agent.close()


def test_a_map_restored_from_a_saved_session_stays_in_its_own_cells() -> None:
    saved = WorldModel()
    saved.observe(0, 0, (6, 4))  # walked in the 8-pixel cells that run learned
    agent = _agent()
    try:
        agent.remember(export_world(saved))  # (as a session's resume puts it back)
        agent._new_cell_size(10, 16, 8)
        amap = agent.world.area(0)
        assert amap.visits[4, 6] and not amap.visits[8, 12]
        assert agent.world.cell_px == agent.sight.cell_px == 8
    finally:
        agent.close()
