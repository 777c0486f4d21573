"""A map the d-pad never answers is not a map now: at the map's edge (a game-over screen
where the player is guessed at the first column) there is no way off it to walk into."""

from __future__ import annotations

from eevee.reactive.deafness import DEAF_BUMPS, Deafness


def test_a_player_on_the_edge_is_deaf_after_the_ways_that_exist() -> None:
    d = Deafness()
    d.heard({}, (0, 0, 16), None)  # on the first column: nothing lies left of it
    for cell in ((1, 16), (0, 15), (0, 17)):
        d.bumped(0, cell)
    assert DEAF_BUMPS == 4 and d.still(100)
    inside = Deafness()
    inside.heard({}, (0, 5, 16), None)
    for cell in ((6, 16), (5, 15), (5, 17)):
        inside.bumped(0, cell)
    assert not inside.still(100)  # (the way left is still to try)
