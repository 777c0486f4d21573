"""Runs: typed configuration, the play session, and its run folder."""
