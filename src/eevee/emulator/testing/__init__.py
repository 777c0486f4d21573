"""Test helpers for the emulator layer: tiny ROMs and stand-in servers for HTTP backends.

Shipped (not hidden under ``tests/``) so that benchmarks, other packages' tests and
users without SkyEmu or mGBA-http can exercise the HTTP clients against real game memory.
"""
