"""With no profile the three-layer agent estimates the variables it needs from what it
sees: it gets past the title, learns the cell size and follows the player."""

from __future__ import annotations

import numpy as np

from eevee.agents.estimate import Estimate
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


def test_a_doorway_three_cells_wide_is_one_way_and_two_doors_apart_are_two_houses() -> None:
    """Crossing a doorway three cells wide at each of its cells led to a new "area" every
    time (a room that looks like another, entered from another cell: the houses rule),
    and tranquility counted 140 areas walking between two rooms."""
    keys = np.arange(360)
    room_a, room_b = np.full(360, 1), np.full(360, 2)
    arrive_b, arrive_a = (72, 8), (72, 128)

    def through(est: Estimate, way: tuple[int, tuple[int, int]], ids: np.ndarray,
                pos: tuple[int, int]) -> int:
        est.came_from = way
        area = est._which_area(keys, ids, pos)
        est.areas[area].update(zip(keys.tolist(), ids.tolist(), strict=True))
        return area

    for cells in (((8, 17), (9, 17), (10, 17)), ((8, 17), (10, 17))):
        est = Estimate(8)
        est.areas = [dict(zip(keys.tolist(), room_a.tolist(), strict=True))]
        rooms = []
        for cell in cells:
            rooms.append(through(est, (0, cell), room_b, arrive_b))
            assert through(est, (rooms[-1], (9, 0)), room_a, arrive_a) == 0
        assert rooms == [1] * len(cells), (cells, rooms)
        # a door far along the same wall, into a room that looks the same: another house
        assert through(est, (0, (20, 17)), room_b, arrive_b) == 2


def test_the_figure_seen_to_follow_the_dpad_is_followed_not_the_first_guess() -> None:
    """A platformer's first screen: a sign stands nearer the middle than the player, so
    it is the first guess; the player then creeps right a pixel a frame under RIGHT.
    Perception sees which went the d-pad's way; the estimate, before it has seen the
    game begin, takes that figure and sees the game begin (it stuck to the sign, which
    never moves, and the game never began: 3,882 frames on dungeon_advance)."""
    from eevee.perception.gbvram import GbDecoder
    from eevee.perception.pipeline import Percept
    from eevee.perception.player import Player
    from eevee.perception.screenkind import ScreenKind

    dec, est = GbDecoder(), Estimate(16)
    io = bytearray(0x80)
    io[0x40] = 0x97  # display, 8×16 sprites on, background

    def frame(me_x: int, led: tuple[int, int], confidence: float) -> Percept:
        oam = bytearray(0xA0)
        oam[0:4] = bytes([16 + 88, 8 + me_x, 1, 0])  # the player
        oam[4:8] = bytes([16 + 88, 8 + 80, 2, 0])  # the sign, nearer the middle
        f = dec.decode(bytes(0x2000), bytes(io), bytes(oam))
        box = (led[0], led[1], led[0] + 8, led[1] + 16)
        return Percept(f.grid, ScreenKind.OVERWORLD,
                       Player((led[0] + 4, led[1] + 8), (0, 0), "sprites", box=box,
                              confidence=confidence), f)

    est.update(frame(48, (80, 88), 0.1), 0)  # nothing seen to move yet: the sign
    for x in range(49, 60):
        est.update(frame(x, (x, 88), min(1.0, (x - 48) / 8)), 0x10)  # RIGHT held
    assert est.played


def test_a_room_every_other_area_leads_back_to_is_one_area_and_a_way_goes_by_its_look() -> None:
    """Little Adventure's world map: each level leads back to the same node of it. Told
    apart as look-alike houses (another way in arrived at the same spot), it was a new
    map at every return (23 areas, 67 screens against random's 192). And a way out
    that led to the map once (a doorway's neighbour cell) was taken to lead there
    again when it led to the intro: that screen's tiles were learned as the map's."""
    keys = np.arange(360)
    world_map, level, intro = np.full(360, 1), np.full(360, 2), np.full(360, 3)
    est = Estimate(8)
    est.areas = [dict(zip(keys.tolist(), world_map.tolist(), strict=True))]

    def through(way: tuple[int, tuple[int, int]], ids: np.ndarray) -> int:
        est.came_from = way
        area = est._which_area(keys, ids, (120, 120))
        est.areas[area].update(zip(keys.tolist(), ids.tolist(), strict=True))
        return area

    assert through((0, (13, 8)), level) == 1
    assert through((1, (29, 27)), world_map) == 0  # back from the level: the same map
    assert through((0, (15, 8)), level) == 1  # (the way in, two cells wide)
    assert through((1, (3, 3)), intro) == 2  # another way out of the level: the intro
    assert through((2, (5, 5)), world_map) == 0  # and from the intro to the same map
    # the cell beside a way that led to the level leads to the intro now: the tiles say
    assert through((0, (15, 9)), intro) == 2
    assert est.areas[1][0] == 2  # (the level's tiles were not overwritten by the intro's)
