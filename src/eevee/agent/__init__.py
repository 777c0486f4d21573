"""The three-layer agent (reactive / tactical / strategic) and its scheduler."""

from __future__ import annotations

from eevee.agent.latency import Latency
from eevee.agent.scheduler import Agent, AgentConfig

__all__ = ["Agent", "AgentConfig", "Latency"]
