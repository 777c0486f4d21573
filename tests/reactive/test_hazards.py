"""The hazard override (dodge): read the hazards array, step aside from collision courses."""

from __future__ import annotations

import struct

from eevee.cartridges import registry
from eevee.emulator.buttons import Buttons
from eevee.profiles import load_profile
from eevee.reactive import ReactiveController
from eevee.reactive.hazards import HazardDodger
from eevee.world import WorldModel


def dodge_hints() -> dict:  # type: ignore[type-arg]
    cart = {c.name: c for c in registry.list_cartridges()}["dodge"]
    return load_profile(cart.profile_path).hints


def table(*hazards: tuple[int, int, int, int, int]) -> bytes:
    """(kind, x, y, vx, vy) records padded to 16 slots of 12 bytes."""
    raw = b"".join(struct.pack("<BBhhhhBB", k, 16 if k == 1 else 8, x, y, vx, vy, 0, 0)
                   for k, x, y, vx, vy in hazards)
    return raw + bytes(12 * 16 - len(raw))


def test_nothing_coming_means_standing_still() -> None:
    d = HazardDodger(dodge_hints())
    assert d.decide(112, 72, table()) == 0
    assert not d.threat


def test_a_rock_falling_on_the_player_is_dodged_sideways() -> None:
    d = HazardDodger(dodge_hints())
    b = d.decide(112, 100, table((1, 112, 60, 0, 512)))
    assert d.threat
    assert b & (int(Buttons.LEFT) | int(Buttons.RIGHT))
    # and the chosen move really avoids it over the next frames (simulate like the game)
    px, py, rx, ry = 112, 100, 112.0, 60.0
    for _ in range(40):
        b = d.decide(px, py, table((1, 112, int(ry), 0, 512)))
        px += 2 * ((b & int(Buttons.RIGHT)) > 0) - 2 * ((b & int(Buttons.LEFT)) > 0)
        py += 2 * ((b & int(Buttons.DOWN)) > 0) - 2 * ((b & int(Buttons.UP)) > 0)
        px, py = max(0, min(224, px)), max(16, min(128, py))
        ry += 2
        assert not (rx + 3 < px + 13 and px + 3 < rx + 13 and ry + 3 < py + 13
                    and py + 3 < ry + 13)


def test_controller_overrides_with_the_dodge_and_restarts_after_game_over() -> None:
    rc = ReactiveController(WorldModel(), dodge_hints())
    assert rc.dodger is not None
    rc.hazard_bytes = table((1, 112, 60, 0, 512))
    v = {"game_mode": 1, "player_x": 112, "player_y": 100}
    assert rc.act(0, v) != 0
    over = [rc.act(f, {"game_mode": 6}) for f in range(4)]
    assert over == [int(Buttons.START), 0, int(Buttons.START), 0]
