"""A screen the agent cannot read is tried with every button until one answers, and
what answered is tried first when that screen comes back."""

from __future__ import annotations

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.reactive.prodder import ORDER, Prodder, signature


class OneButtonGame:
    """A stand-in for a title that only ``button`` moves on from (a pure function of
    the presses: no emulator needed to test the order and the learning)."""

    def __init__(self, button: int) -> None:
        self.button = button
        self.page = 0
        self.frame = 0
        self._held = 0

    def screen(self) -> np.ndarray:
        img = np.zeros((160, 240, 3), np.uint8)
        img[40:120, 60:180] = 40 * (self.page % 5)  # (a page unlike the last one)
        img[150:152, 10:12] = 255 * ((self.frame // 16) % 2)  # a blinking cursor
        return img

    def step(self, frame: int, buttons: int) -> None:
        self.frame = frame
        if buttons & self.button and not self._held:  # (games act on the press)
            self.page += 1
        self._held = buttons & self.button


def play(game: OneButtonGame, prodder: Prodder, frames: int) -> list[int]:
    pressed = []
    for f in range(frames):
        b = prodder.act(f, game.screen())
        pressed.append(b)
        game.step(f, b)
    return pressed


def test_every_button_is_tried_in_turn_until_the_screen_answers() -> None:
    game, prodder = OneButtonGame(int(Buttons.SELECT)), Prodder()
    pressed = play(game, prodder, 600)
    assert game.page >= 1
    first = [b for i, b in enumerate(pressed) if b and (i == 0 or pressed[i - 1] != b)]
    assert first[:len(ORDER)] == list(ORDER)  # A, START, B, the d-pad, SELECT last
    assert prodder.answers >= 1


def test_what_answered_a_screen_is_tried_first_when_it_comes_back() -> None:
    game, prodder = OneButtonGame(int(Buttons.SELECT)), Prodder()
    play(game, prodder, 600)
    sig = signature(OneButtonGame(0).screen())  # the first page
    assert prodder.worked[sig] == int(Buttons.SELECT)
    again = OneButtonGame(int(Buttons.SELECT))
    pressed = play(again, prodder, 40)
    assert again.page >= 1
    assert next(b for b in pressed if b) == int(Buttons.SELECT)  # first, not last


def test_a_screen_that_changes_by_itself_is_not_an_answer() -> None:
    game, prodder = OneButtonGame(0), Prodder()  # only the cursor blinks
    play(game, prodder, 400)
    assert prodder.answers == 0 and prodder.tries >= 8
