"""Perception: what is on the screen, where the player is, and what tiles mean.

- :mod:`~eevee.perception.tilebook` / :mod:`~eevee.perception.tilegrid`: 8×8 tile grid
  from pixels with a persistent, bounded per-game tile book;
- :mod:`~eevee.perception.vram` / :mod:`~eevee.perception.sprites`: exact GBA decode of
  backgrounds and sprites;
- :mod:`~eevee.perception.screenkind`: title / overworld / dialogue / menu / battle /
  transition, from framed boxes (:mod:`~eevee.perception.tileboxes`,
  :mod:`~eevee.perception.boxes`, :mod:`~eevee.perception.packing`);
- :mod:`~eevee.perception.player`: the player's position;
- :mod:`~eevee.perception.semantics`: tile meanings learned from move outcomes;
- :mod:`~eevee.perception.annotate`, :mod:`~eevee.perception.describe`,
  :mod:`~eevee.perception.situation`: outputs for planners and vision-language models;
- :mod:`~eevee.perception.pipeline`: :class:`Perception`, all of it per frame.
"""

from __future__ import annotations

from eevee.perception.errors import PerceptionError
from eevee.perception.pipeline import Percept, Perception
from eevee.perception.player import Player, PlayerLocator
from eevee.perception.screenkind import ScreenClassifier, ScreenKind
from eevee.perception.semantics import MEANINGS, Outcome, TileSemantics
from eevee.perception.sprites import Sprite, sprite_cells
from eevee.perception.tilebook import TileBook
from eevee.perception.tilegrid import PixelTiler, TileGrid, detect_origin
from eevee.perception.vram import VramDecoder, partitions_agree

__all__ = [
    "MEANINGS",
    "Outcome",
    "Percept",
    "Perception",
    "PerceptionError",
    "PixelTiler",
    "Player",
    "PlayerLocator",
    "ScreenClassifier",
    "ScreenKind",
    "Sprite",
    "TileBook",
    "TileGrid",
    "TileSemantics",
    "VramDecoder",
    "detect_origin",
    "partitions_agree",
    "sprite_cells",
]
