"""The tactical layer (~10 Hz): path planning on tile maps and exploration.

:mod:`eevee.tactical.planner` (``TacticalPlanner``) builds on the world model; import it
from there (kept out of this package's namespace so the world model can use A*).
"""

from __future__ import annotations

from eevee.tactical.astar import CostGrid, astar, frontier_targets
from eevee.tactical.plan import Plan, PlanStep

__all__ = ["CostGrid", "Plan", "PlanStep", "astar", "frontier_targets"]
