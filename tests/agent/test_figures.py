"""The map's sprites followed frame to frame (no profile): what moves, what is the player's
own tool, what it took; and a figure on the move in front of the player gets A (a sword
for a slime, a word for a villager walking by, but never again once people answer)."""

from __future__ import annotations

from eevee.agents.figures import GONE_FOR, TOOL_VOTES, Figures
from eevee.agents.strike import COOLDOWN, Strike
from eevee.perception.sprites import Sprite


def _spr(i: int, x: int, y: int, size: int = 16) -> Sprite:
    return Sprite(i, x, y, size, size, 0, 0, 0, False, False, False)


ME = _spr(0, 100, 80)


def test_a_figure_on_patrol_moves_and_a_key_that_bobs_does_not() -> None:
    f = Figures()
    for n in range(40):
        f.update(n, [ME, _spr(3, 40 + n, 20), _spr(2, 150, 60 + n % 2 * 3)], 0, (0, 0), 16)
    assert f.moving(3) and not f.moving(2)
    for n in range(40, 80):  # the patrol stopped a while ago: no longer on the move
        f.update(n, [ME, _spr(3, 80, 20)], 0, (0, 0), 16)
    assert not f.moving(3)


def test_a_scrolling_camera_sets_nothing_moving() -> None:
    f = Figures()
    for n in range(40):  # (the player walks right, the camera follows: all slide left)
        f.update(n, [ME, _spr(5, 160 - n, 40)], 0, (n, 0), 16)
    assert not f.moving(5)


def test_what_shows_beside_the_player_after_a_is_its_tool_and_not_what_comes_by_itself() -> None:
    f, sword, slime = Figures(), _spr(1, 116, 80), _spr(4, 120, 120)
    f.update(0, [ME, slime], 0, (0, 0), 16)  # (the slime was there before any press)
    n = 1
    for _ in range(TOOL_VOTES):
        f.update(n, [ME, slime], 0, (0, 0), 16, pressed=True)  # A held in this frame
        f.update(n + 1, [ME, slime, sword], 0, (0, 0), 16)  # the sword shows beside
        for m in range(n + 2, n + 20):  # and is put away
            f.update(m, [ME, slime], 0, (0, 0), 16)
        n += 20
    assert f.tools == {1}
    f2 = Figures()  # a figure that once came on screen with no press is never a tool
    f2.update(0, [ME], 0, (0, 0), 16)
    f2.update(1, [ME, sword], 0, (0, 0), 16)
    f2.update(2, [ME], 0, (0, 0), 16)
    for n in range(3, 3 + 4 * TOOL_VOTES, 2):
        f2.update(n, [ME], 0, (0, 0), 16, pressed=True)
        f2.update(n + 1, [ME, sword], 0, (0, 0), 16)
    assert not f2.tools


def test_something_gone_from_under_the_player_is_a_pickup_after_a_text_too() -> None:
    f = Figures()
    key = _spr(2, 104, 84)
    f.update(0, [ME, key], 0, (0, 0), 16)
    # the player steps onto it; a box says so (no map frames), then the map is back
    f.update(90, [ME], 0, (0, 0), 16)
    for n in range(91, 91 + GONE_FOR):
        f.update(n, [ME], 0, (0, 0), 16)
    assert f.pickups == 1
    f2 = Figures()  # one that flickered, or one far from the player, was not taken
    f2.update(0, [ME, key, _spr(6, 20, 20)], 0, (0, 0), 16)
    f2.update(1, [ME], 0, (0, 0), 16)
    f2.update(2, [ME, key], 0, (0, 0), 16)
    for n in range(3, 3 + 2 * GONE_FOR):
        f2.update(n, [ME, key], 0, (0, 0), 16)
    assert f2.pickups == 0


def test_a_star_that_twinkles_slowly_by_the_player_is_taken_once_at_most() -> None:
    # a sprite that goes out for longer than GONE_FOR and comes back where it was is no
    # key: counted once (nothing tells it from a key before it shows again), then never
    f, star = Figures(), _spr(7, 104, 84, 8)
    n = 0
    for _ in range(4):
        for _ in range(10):
            f.update(n, [ME, star], 0, (0, 0), 16)
            n += 1
        for _ in range(2 * GONE_FOR):
            f.update(n, [ME], 0, (0, 0), 16)
            n += 1
    assert f.pickups == 1
    key = _spr(7, 104, 84, 8)  # (another area: its slot 7 is a key, taken)
    f.update(n, [ME, key], 0, (0, 0), 16, area=1)
    for m in range(n + 1, n + 2 + GONE_FOR):
        f.update(m, [ME], 0, (0, 0), 16, area=1)
    assert f.pickups == 2


def _patrol(f: Figures, start: int, x0: int, step: int, n: int) -> int:
    """A slime walking left from ``x0`` towards the player (facing right); the frame after."""
    for k in range(n):
        f.update(start + k, [ME, _spr(3, x0 - step * k, 80)], 0, (0, 0), 16)
    return start + n


def test_a_slime_walking_into_reach_in_front_is_struck_and_one_behind_is_not() -> None:
    f, s = Figures(), Strike()
    end = _patrol(f, 0, 160, 1, 28)  # (at 133: more than a cell off, out of reach)
    assert not s.now(f, (1, 0))
    end = _patrol(f, end, 132, 1, 6)  # (at 127: in the cell in front)
    assert s.now(f, (1, 0)) and s.strikes == 1
    assert not s.now(f, (-1, 0))  # facing away: nothing in reach
    f.update(end, [ME], 0, (0, 0), 16)  # gone at once: felled
    f.update(end + 1, [ME], 0, (0, 0), 16)
    s.now(f, (1, 0))
    assert s.kills == 1


def test_a_villager_who_answers_a_strike_is_not_struck_again_nor_anyone_after() -> None:
    f, s = Figures(), Strike()
    end = _patrol(f, 0, 160, 1, 36)
    assert s.now(f, (1, 0))
    s.answered(end + 5)  # a dialogue opened: it was a talk
    assert s.talks == 1 and s.talkers == {(None, 3)}
    end = _patrol(f, end + COOLDOWN, 150, 1, 30)
    assert not s.now(f, (1, 0))  # (people answer A here: no more strikes at passers-by)
