"""Which sprite is the player: a free mover that slows down after the d-pad is let go
is still the one that answers it."""

from __future__ import annotations

from eevee.agents.dpad_votes import COAST, SWITCH, DpadVotes
from eevee.perception.sprites import Sprite


def _sprites(x1: int, x2: int) -> list[Sprite]:
    return [Sprite(1, x1, 40, 8, 8, 0, 0, 0, False, False, False),
            Sprite(2, x2, 80, 8, 8, 0, 0, 0, False, False, False)]


def test_a_free_mover_that_coasts_after_each_press_becomes_the_player() -> None:
    votes, x = DpadVotes(), 20
    for way in [0x10, 0x20] * SWITCH:  # RIGHT, LEFT, ...: a few frames each, then coast
        sign = 1 if way == 0x10 else -1
        for _ in range(3):
            x += sign
            votes.update(_sprites(10, x), (0, 0), way, 1)
        for _ in range(6):  # (slowing down, nothing held)
            x += sign
            votes.update(_sprites(10, x), (0, 0), 0, 1)
    assert votes.best(1) == 2


def test_a_sprite_that_keeps_moving_with_nothing_held_is_not_the_player() -> None:
    votes, x = DpadVotes(), 20
    for way in [0x10, 0x20] * SWITCH:  # a ship bobbing by itself, the d-pad pressed now
        for _ in range(2):  # and then: it moves whatever is held
            x += 1
            votes.update(_sprites(10, x), (0, 0), way, 1)
        for _ in range(COAST * 2):
            x += 1
            votes.update(_sprites(10, x), (0, 0), 0, 1)
    assert votes.best(1) == 1



def test_a_status_icon_the_camera_carries_does_not_take_over_from_the_player() -> None:
    """Necropolis: the camera catches up with the player (it scrolls while the player's
    figure slides back to the middle: the player stands still on the map), and an icon
    fixed in the screen's corner goes the d-pad's way on the map. It got the votes and
    was followed for 3,000 frames (the player's cell off the map, every plan failing).
    Carried by the camera alone, a sprite takes over only from one farther from the
    screen's middle."""
    votes, y, cam = DpadVotes(), 64, 228

    def frame(way: int) -> None:
        votes.update([Sprite(1, 32, y, 16, 16, 0, 0, 0, False, False, False),
                      Sprite(34, 0, 0, 8, 8, 0, 0, 0, False, False, False)],
                     (0, cam), way, 1, (120, 80))

    frame(0x80)
    for _ in range(SWITCH + 2):  # DOWN: the camera catches up
        cam, y = cam + 1, y - 1
        frame(0x80)
    for _ in range(2):  # UP: and back
        cam, y = cam - 1, y + 1
        frame(0x40)
    assert votes.best(1) == 1
    assert votes.votes.get(34, 0) >= SWITCH  # (it had the votes: only the middle rule kept it)
