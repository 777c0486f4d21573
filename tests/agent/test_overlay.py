"""A press of A on the map that opens a text with no box (the field dimmed, lines written
over it) is an answer: the agent takes the screen for a dialogue until the map is back, so
A turns its pages and the thing tried is not tried again as if it had said nothing."""

from __future__ import annotations

import numpy as np

from eevee.agents.overlay import CLOSED_SHARE, OPEN_AT_MOST, OPEN_WITHIN, Overlay
from eevee.agents.three_layer import Agent, AgentConfig
from eevee.reactive.controller import MODES
from eevee.runtime.clock import TimeMode
from eevee.strategists import make_strategist


def _field() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 255, (144, 160, 3), dtype=np.uint8)


def _text_over(field: np.ndarray) -> np.ndarray:
    out = field // 3  # the field dimmed ...
    out[8:56, 8:152] = 255  # ... and lines written at the top
    return out


def test_a_text_written_over_the_field_after_a_press_is_shown_until_the_field_is_back() -> None:
    field, o = _field(), Overlay()
    o.pressed(50, field, (0, 0))
    assert not o.update(51, field, (0, 0))  # (the game has not answered yet)
    assert o.update(58, _text_over(field), (0, 0)) and o.showing
    assert o.update(200, _text_over(field), (0, 0))
    back = field.copy()
    back[60:76, 70:86] = 0  # the player turned: a sprite's worth differs from the press
    assert not o.update(230, back, (0, 0)) and not o.showing
    assert o.opened == 1


def test_a_sprite_moving_or_the_camera_scrolling_is_not_an_answer() -> None:
    field, o = _field(), Overlay()
    o.pressed(0, field, (0, 0))
    someone = field.copy()
    someone[40:72, 40:72] = 0  # a person walks by: a few blocks
    assert not o.update(5, someone, (0, 0))
    assert not o.update(6, _text_over(field), (8, 0))  # the camera moved: walked on
    assert not o.update(7, _text_over(field), (0, 0))  # (the press is no longer watched)
    o.pressed(100, field, (0, 0))
    assert not o.update(100 + OPEN_WITHIN + 1, _text_over(field), (0, 0))  # too late
    assert o.opened == 0


def test_a_screen_that_never_comes_back_is_a_map_again_in_the_end() -> None:
    field, o = _field(), Overlay()
    o.pressed(0, field, (0, 0))
    assert o.update(4, _text_over(field), (0, 0))
    o.pressed(10, _text_over(field), (0, 0))  # A on the text: its page, not a new press
    assert o.update(OPEN_AT_MOST, _text_over(field), (0, 0))
    assert not o.update(4 + OPEN_AT_MOST, _text_over(field), (0, 0)) and not o.showing
    assert CLOSED_SHARE < 0.25


def test_without_a_profile_the_agent_takes_what_its_press_opened_for_a_dialogue() -> None:
    agent = Agent(None, make_strategist("builtin", {}),
                  AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0), platform="gb")
    try:
        field = _field()
        calm = {"game_mode": MODES["overworld"], "camera_x": 0, "camera_y": 0}
        agent.overlay.pressed(0, field, (0, 0))
        assert agent._overlaid(3, _text_over(field), calm)["game_mode"] == MODES["dialogue"]
        assert agent._overlaid(40, field, calm)["game_mode"] == MODES["overworld"]
        agent.overlay.pressed(50, field, (0, 0))
        fade = {**calm, "game_mode": MODES["transition"]}
        assert agent._overlaid(52, _text_over(field), fade) is fade  # (a fade: not watched)
        assert agent._overlaid(54, _text_over(field), calm)["game_mode"] == MODES["overworld"]
    finally:
        agent.close()
