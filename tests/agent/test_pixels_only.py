"""Pixels only: the three-layer agent finishes our cartridges' main quests from the screen
and the memory blocks a backend reads (no profile, no RAM variables; the bench scores
milestones from RAM), the way a first-time player would."""

from __future__ import annotations

from eevee.bench.agent import measure


def test_quest_is_finished_from_the_screen_alone() -> None:
    r = measure("quest", "builtin_pixels", frames=40_000, seed=0)
    assert r["frames_to_finish"] is not None and r["frames_to_finish"] <= 40_000, r
    assert r["areas_entered"] >= 7


def test_the_maze_is_escaped_from_the_screen_alone() -> None:
    """GB, 8-pixel sprites decoded from OAM, rooms that flip without a fade, water that
    sends the player back to the door it came in by."""
    r = measure("maze", "builtin_pixels", frames=20_000, seed=0)
    assert r["frames_to_finish"] is not None and r["frames_to_finish"] <= 20_000, r
    assert r["areas_entered"] == 5
