"""The reactive layer: every frame, from memory alone."""

from __future__ import annotations

from eevee.reactive.controller import ReactiveController, ReactiveStats

__all__ = ["ReactiveController", "ReactiveStats"]
