"""Running the game in time: clocks and time modes (the scheduler arrives with the agent)."""

from __future__ import annotations

from eevee.runtime.clock import Clock, ClockStats, TimeMode

__all__ = ["Clock", "ClockStats", "TimeMode"]
