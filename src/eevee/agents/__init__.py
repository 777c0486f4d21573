"""Agents that choose buttons each frame. The three-layer agent lands here too."""
