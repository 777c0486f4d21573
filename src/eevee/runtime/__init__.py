"""Running the game in time: clocks and time modes (the scheduler arrives with the agent)."""

from __future__ import annotations

from eevee.runtime.clock import FRAME_RATE_HZ, Clock, ClockStats, TimeMode

__all__ = ["FRAME_RATE_HZ", "Clock", "ClockStats", "TimeMode"]
