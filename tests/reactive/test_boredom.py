"""Nothing new seen for long, whatever the screen was taken for: the buttons playing
does not press are tried (a cutscene taken for a map, a cursor that walks a menu)."""

from __future__ import annotations

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.reactive import ReactiveController
from eevee.reactive.boredom import PROD_FOR, STALE, STALE_AGAIN, STALE_SCREENS
from eevee.world import WorldModel


class Cutscene:
    """A stand-in for a cutscene whose pages only A turns, over a figure that bobs by
    itself between two cells (a screen-read estimate takes it for a player on a map)."""

    def __init__(self) -> None:
        self.page = 0
        self.turned: list[int] = []  # the frames pages turned at
        self._held = 0

    def screen(self, frame: int) -> np.ndarray:
        img = np.zeros((144, 160, 3), np.uint8)
        img[16:112, 16:144] = 25 * (self.page % 9 + 1)  # (a page unlike the last one)
        x = 16 * (frame // 20 % 2)
        img[120:136, x:x + 16] = 255  # a ship that bobs (more than a blinking cursor)
        return img

    def values(self, frame: int) -> dict[str, int]:
        return {"game_mode": 1, "area": 0, "player_x": frame // 20 % 2, "player_y": 4,
                "moving": 0}

    def step(self, frame: int, buttons: int) -> None:
        if buttons & Buttons.A and not self._held:  # (games act on the press)
            self.page += 1
            self.turned.append(frame)
        self._held = buttons & Buttons.A


def test_a_cutscene_taken_for_a_map_is_prodded_once_nothing_new_is_seen() -> None:
    game, rc = Cutscene(), ReactiveController(WorldModel(sizes={0: (8, 8)}))
    for f in range(STALE + 4 * (STALE_AGAIN + PROD_FOR)):
        rc.screen = game.screen(f)
        game.step(f, rc.act(f, game.values(f)))
    assert game.turned, "never pressed A on a screen that showed nothing new"
    assert game.turned[0] >= STALE  # playing first: the screen may well be a map
    gaps = np.diff(game.turned)
    # (A led somewhere new: the next page is tried for much sooner)
    assert len(gaps) >= 3 and gaps.max() <= STALE_AGAIN + PROD_FOR


def test_a_player_standing_on_new_cells_is_left_to_play_until_no_screen_is_new() -> None:
    """A maze on one screen shows nothing new but cells; a cursor that walks a menu
    does the same for ever: it is prodded after :data:`STALE_SCREENS` frames."""
    rc = ReactiveController(WorldModel(sizes={0: (10, 9)}))
    pressed = []
    for f in range(STALE_SCREENS + PROD_FOR):
        x, y = f // 30 % 10, f // 300 % 9  # (a new cell every 30 frames)
        rc.screen = screen = np.zeros((144, 160, 3), np.uint8)
        screen[16 * y:16 * y + 16, 16 * x:16 * x + 16] = 255
        pressed.append(rc.act(f, {"game_mode": 1, "area": 0, "player_x": x,
                                  "player_y": y, "moving": 0}))
    buttons = int(Buttons.A | Buttons.B | Buttons.START | Buttons.SELECT)
    assert not any(b & buttons for b in pressed[:STALE_SCREENS])
    assert any(b & Buttons.A for b in pressed[STALE_SCREENS:])


class Shooter:
    """A stand-in for a game whose title (taken for a map: a star drifts like a player)
    only A starts, and whose rounds show something new every 30 frames until the game
    is over 600 frames later, back on the title."""

    def __init__(self) -> None:
        self.started: list[int] = []  # the frames rounds started at
        self._held = 0

    def playing(self, frame: int) -> bool:
        return bool(self.started) and frame - self.started[-1] < 600

    def screen(self, frame: int) -> np.ndarray:
        img = np.zeros((144, 160, 3), np.uint8)
        if self.playing(frame):  # (something new every 30 frames)
            n = (frame - self.started[-1]) // 30 + 20 * len(self.started)
            img[16:112, 16:144] = 10 * (n % 25 + 1)
            img[0:16, 0:160] = 60 * (n // 25 % 4)
        else:
            img[40:80, 40:120] = 200  # the title
            x = 16 * (frame // 20 % 2)
            img[120:136, x:x + 16] = 255  # a star that drifts (more than a cursor blinks)
        return img

    def step(self, frame: int, buttons: int) -> None:
        if buttons & Buttons.A and not self._held and not self.playing(frame):
            self.started.append(frame)
        self._held = buttons & Buttons.A


def test_a_title_that_led_on_once_is_prodded_soon_when_it_comes_back() -> None:
    game, rc = Shooter(), ReactiveController(WorldModel(sizes={0: (8, 8)}))
    for f in range(STALE + PROD_FOR + 2 * (600 + STALE_AGAIN + PROD_FOR)):
        rc.screen = game.screen(f)
        star = {"game_mode": 1, "area": 0, "player_x": 3, "player_y": 4, "moving": 0}
        game.step(f, rc.act(f, star))
    assert len(game.started) >= 3, game.started
    assert game.started[0] >= STALE
    # (the title again after a round that found new screens itself: not STALE again)
    over = [b - (a + 600) for a, b in zip(game.started, game.started[1:], strict=False)]
    assert max(over) <= STALE_AGAIN + PROD_FOR, over
