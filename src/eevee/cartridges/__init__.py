"""The bundled homebrew cartridges: real GBA and GB games built from our own C source.

>>> from eevee import cartridges
>>> [c.name for c in cartridges.list_cartridges()]
['dodge', 'grove', 'keep', 'maze', 'quest']
>>> cartridges.get("quest").rom_path.suffix
'.gba'
"""

from __future__ import annotations

from eevee.cartridges.registry import Cartridge, get, list_cartridges

__all__ = ["Cartridge", "get", "list_cartridges"]
