"""The tactical layer (~10 Hz): path planning on tile maps and exploration."""

from __future__ import annotations

from eevee.tactical.astar import CostGrid, astar, frontier_targets

__all__ = ["CostGrid", "astar", "frontier_targets"]
