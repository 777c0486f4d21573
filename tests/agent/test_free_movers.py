"""Pixels only, on the cartridges made in the style of real games: a GB Studio-like RPG
(grove: a title menu with no frame, an unframed intro, a naming screen, fades, 1-pixel
free movement, a 16-pixel doorway) and a GBA action-adventure (keep: free movement, a
scrolling map, a cave behind a fade). The agent reads no profile; the milestones are
scored from RAM beside it.

Keep's quest is finished within ten times its solver's frames (the issue's line; seed 0
here, the other seeds in the README's figures); grove's not on every seed yet: these
tests hold what it does reach."""

from __future__ import annotations

from typing import Any

from eevee.agents.three_layer import Agent, AgentConfig
from eevee.cartridges import get
from eevee.emulator import open_emulator
from eevee.profiles import VariableReader, load_profile
from eevee.runner.loop import Observer, run_frames
from eevee.runtime.clock import Clock, TimeMode
from eevee.strategists import make_strategist


def _play(name: str, frames: int, stop: str) -> tuple[dict[str, int], dict[int, int], Any]:
    """Play ``name`` pixels-only (seed 0); the first frame each milestone was reached
    and each area first walked, and the agent. Stops once milestone ``stop`` is."""
    cart = get(name)
    profile = load_profile(cart.profile_path)
    reader = VariableReader(profile)  # (for scoring only: the agent never sees it)
    walking = int(profile.hints["modes"]["overworld"])
    first: dict[str, int] = {}
    areas: dict[int, int] = {}
    with open_emulator(cart.rom_path) as emu:
        agent = Agent(None, make_strategist("builtin", {}),
                      AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0, seed=0),
                      platform=emu.platform.name)

        def score(frame: int, _v: object) -> str | None:
            if frame % 10:
                return None
            truth = reader.read(emu)
            for m, done in reader.milestones(truth).items():
                if done:
                    first.setdefault(m, frame)
            if truth["game_mode"] == walking:
                areas.setdefault(truth["area"], frame)
            return "reached" if stop in first else None

        run_frames(emu, agent, Observer(emu, None, agent.senses), Clock(TimeMode.UNLOCKED),
                   frames, between=score)
    return first, areas, agent


def test_grove_past_its_menus_and_through_a_doorway_as_wide_as_the_player() -> None:
    """Title menu, intro and naming screen within 3,000 frames; the house entered
    through the village's 16-pixel doorway, lined up to the pixel, within 8,000."""
    first, areas, agent = _play("grove", 8_000, "talked_to_elder")
    assert first.get("started", 99_999) <= 3_000, first
    assert 1 in areas, areas  # the house
    assert agent.estimate.free and agent.estimate.cell_px == 8  # a free mover, seen so


def test_keep_past_its_title_and_into_the_cave() -> None:
    """The GBA free mover: past PRESS START, walking the scrolling vale pixel by pixel,
    and into the cave behind its fade (the key lies deep inside)."""
    _first, areas, agent = _play("keep", 8_000, "got_key")
    assert areas.get(0, 99_999) <= 600, areas
    assert 1 in areas, areas  # Echo Cave
    assert agent.estimate.free


def test_keep_finished_within_ten_times_its_solver() -> None:
    """Slimes that walk into reach are struck down before they hurt, the cave's floor is
    walked however it was first judged, the key picked up is progress, and the shrine's
    door, which said it was locked, is walked into again and opens."""
    import json

    cart = get("keep")
    solver = json.loads(cart.solver_path.read_text())["frames"]
    first, _areas, agent = _play("keep", 10 * solver, "quest_complete")
    assert first.get("quest_complete", 99_999) <= 10 * solver, first
    assert agent.strike.kills >= 1 and agent.figures.pickups >= 1
    assert agent.figures.tools and not agent.strike.talks  # (its sword; no one to talk to)


def test_grove_people_are_whole_figures_and_the_elder_answers() -> None:
    """A person here is two 8x16 sprites: one thing two cells across, at its figure's
    top-left cell, talked to from beside the figure (not from a cell its body covers).
    The elder answers within 6,000 frames (seed 0: about 4,400; as two half-people, the
    left one never answered and the first talk came at about 8,700)."""
    first, _areas, agent = _play("grove", 6_000, "talked_to_elder")
    assert first.get("talked_to_elder", 99_999) <= 6_000, first
    # (those seen before the 8-pixel cell was learned are gone from where they were seen)
    things = [t for ts in agent.world.curiosity.things.values() for t in ts if not t.taken]
    assert things and all(t.size == 2 for t in things), [(t.key, t.size) for t in things]
    halves = [(a.key, b.key) for a in things for b in things
              if a.area == b.area and a.cell[1] == b.cell[1] and b.cell[0] - a.cell[0] == 1]
    assert not halves, halves
