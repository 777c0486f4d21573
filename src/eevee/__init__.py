"""Eevee: an agent that plays Game Boy Advance and Game Boy games in real time.

The public facade is small: :func:`eevee.emulator.open_emulator` gives an
:class:`~eevee.emulator.Emulator` over a real core; :mod:`eevee.cartridges` lists the
bundled homebrew games; :mod:`eevee.profiles` loads game knowledge from data files.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
