"""With no profile the three-layer agent estimates the variables it needs from what it
sees: it gets past the title, learns the cell size and follows the player."""

from __future__ import annotations

from eevee.agents.three_layer import Agent, AgentConfig
from eevee.cartridges import get
from eevee.emulator import open_emulator
from eevee.profiles import load_profile
from eevee.runner.loop import Observer, run_frames
from eevee.runtime.clock import Clock, TimeMode
from eevee.strategists import make_strategist


def test_plays_quest_from_the_screen_alone() -> None:
    cart = get("quest")
    truth = load_profile(cart.profile_path)  # for checking only: the agent never sees it
    agent = Agent(None, make_strategist("builtin", {}),
                  AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0), platform="gba")
    seen: list[tuple[dict[str, int], dict[str, int]]] = []
    with open_emulator(cart.rom_path) as emu:
        watch = Observer(emu, truth, frozenset(("variables",)))

        def check(frame: int, _v: object) -> None:
            v = watch.variables()
            if frame % 50 == 0 and v is not None and v["game_mode"] == 1 \
                    and agent._values.get("moving") == 0 and v["moving"] == 0:
                seen.append((dict(v), dict(agent._values)))

        run_frames(emu, agent, Observer(emu, None, agent.senses), Clock(TimeMode.UNLOCKED),
                   1500, between=check)
    est = agent.estimate
    assert est.played and est.learned_cell and est.cell_px == 16
    assert len(seen) >= 5  # it left the title (START) and walked the town
    # standing still, the estimated cell is the true one (to within a cell)
    close = [abs(t["player_x"] - e["player_x"]) + abs(t["player_y"] - e["player_y"]) <= 1
             for t, e in seen]
    assert sum(close) >= 0.8 * len(close), seen
