"""The clock paces frames in real time, counts misses, and ignores paused time."""

from __future__ import annotations

import pytest

from eevee.errors import ConfigError
from eevee.runtime.clock import Clock, TimeMode


class FakeTime:
    """A manual clock: tests must not depend on the machine's speed."""

    def __init__(self) -> None:
        self.t = 100.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s


def test_realtime_sleeps_to_each_deadline_and_never_drifts() -> None:
    ft = FakeTime()
    clock = Clock(TimeMode.REALTIME, fps=50.0, now=ft.now, sleep=ft.sleep)
    for _ in range(100):
        ft.t += 0.005  # 5 ms of work per 20 ms frame
        clock.tick()
    assert clock.stats.deadline_misses == 0
    assert ft.t == pytest.approx(100.0 + 100 * 0.02)
    assert all(s == pytest.approx(0.015) for s in ft.slept)


def test_slow_frame_is_one_miss_then_schedule_rebases() -> None:
    ft = FakeTime()
    clock = Clock(TimeMode.REALTIME, fps=50.0, now=ft.now, sleep=ft.sleep)
    ft.t += 0.005
    clock.tick()
    ft.t += 0.1  # a 100 ms stall
    clock.tick()
    for _ in range(10):
        ft.t += 0.005
        clock.tick()
    assert clock.stats.deadline_misses == 1
    assert clock.stats.worst_lateness_s == pytest.approx(0.08)


def test_paused_time_is_not_charged() -> None:
    ft = FakeTime()
    clock = Clock(TimeMode.PAUSED, fps=50.0, now=ft.now, sleep=ft.sleep)
    ft.t += 0.005
    clock.tick()
    clock.pause()
    ft.t += 3.0  # the strategist thinks for 3 s with the game stopped
    clock.resume()
    ft.t += 0.005
    clock.tick()
    assert clock.stats.deadline_misses == 0
    assert clock.stats.paused_s == pytest.approx(3.0)


def test_unlocked_and_virtual_never_sleep() -> None:
    for mode in (TimeMode.UNLOCKED, TimeMode.VIRTUAL):
        ft = FakeTime()
        clock = Clock(mode, now=ft.now, sleep=ft.sleep)
        for _ in range(10):
            ft.t += 1.0
            clock.tick()
        assert ft.slept == [] and clock.stats.deadline_misses == 0
    assert Clock(TimeMode.VIRTUAL).frames_for(0.5) == 30


def test_time_mode_parse() -> None:
    assert TimeMode.parse("Real-Time") is TimeMode.REALTIME
    with pytest.raises(ConfigError, match="unknown time mode 'fast'; choose one of"):
        TimeMode.parse("fast")
