"""Strategists: set objectives on demand (the built-in planner now; models later)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eevee.errors import ConfigError
from eevee.strategists.base import Action, Strategist, Strategy, StrategyContext
from eevee.strategists.builtin import BuiltinStrategist
from eevee.strategists.cache import StrategyCache
from eevee.strategists.testing import SlowStrategist

NAMES = ("builtin", "slow")


def make_strategist(name: str, hints: Mapping[str, Any] | None = None) -> Strategist:
    """``builtin``, or ``slow`` (builtin behind a 1 s sleep, for real-time tests)."""
    if name == "builtin":
        return BuiltinStrategist(hints)
    if name == "slow":
        return SlowStrategist(BuiltinStrategist(hints), sleep_s=1.0)
    raise ConfigError(f"unknown strategist {name!r}; available: {', '.join(NAMES)}")


__all__ = [
    "NAMES",
    "Action",
    "BuiltinStrategist",
    "SlowStrategist",
    "Strategist",
    "Strategy",
    "StrategyCache",
    "StrategyContext",
    "make_strategist",
]
