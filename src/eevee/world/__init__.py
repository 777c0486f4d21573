"""The world model: what the agent has learned about the game's areas (in memory)."""

from __future__ import annotations

from eevee.world.events import Event, EventLog
from eevee.world.model import COST_LUT, AreaMap, CellKind, Transition, WorldModel

__all__ = ["COST_LUT", "AreaMap", "CellKind", "Event", "EventLog", "Transition", "WorldModel"]
