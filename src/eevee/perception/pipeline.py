"""One call per frame: tile grid, screen kind and player, by the pixel or the VRAM path.

>>> import numpy as np
>>> from eevee.perception import Perception
>>> p = Perception("gba")
>>> seen = p.perceive(np.zeros((160, 240, 3), np.uint8), buttons=0x8)  # START pressed
>>> seen.kind.value, seen.grid.ids.shape, seen.player
('transition', (20, 30), None)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from eevee.perception.gbvram import GbDecoder
from eevee.perception.player import Player, PlayerLocator
from eevee.perception.screenkind import Cells, ScreenClassifier, ScreenKind
from eevee.perception.semantics import TileSemantics
from eevee.perception.tilebook import TileBook
from eevee.perception.tilegrid import PixelTiler, TileGrid
from eevee.perception.vram import VramDecoder, VramFrame


@dataclass
class Percept:
    """What perception saw in one frame."""

    grid: TileGrid
    kind: ScreenKind
    player: Player | None
    vram: VramFrame | None = None
    values: dict[str, int] = field(default_factory=dict)


class Perception:
    """Per-game perception state: tile book, screen classifier, player locator, semantics.

    ``path``: ``"pixels"`` (tile grid from the frame; scroll from the IO block when given)
    or ``"vram"`` (grid and sprites decoded from VRAM/OAM: the GBA's, or the GB's by
    :class:`~eevee.perception.gbvram.GbDecoder`). ``profile``: optional
    game profile; its variables (passed per frame as ``values``) give exact player
    positions and screen kinds, and train the pixel classifier.
    """

    def __init__(
        self,
        platform: str,
        *,
        profile: Any = None,
        book: TileBook | None = None,
        path: str = "pixels",
    ) -> None:
        self.platform = platform
        self.profile = profile
        self.book = book if book is not None else TileBook()
        self.tiler = PixelTiler(platform, self.book)
        self.vram: VramDecoder | GbDecoder = GbDecoder() if platform == "gb" \
            else VramDecoder()
        self.kinds = ScreenClassifier.for_profile(profile)
        self.locator = PlayerLocator.for_profile(profile)
        self.semantics = TileSemantics()
        self.path = path

    def perceive(
        self,
        frame: np.ndarray,
        *,
        buttons: int = 0,
        values: dict[str, int] | None = None,
        io: bytes | None = None,
        vram: bytes | None = None,
        oam: bytes | None = None,
        palette: bytes | None = None,
    ) -> Percept:
        """Perceive one frame. Pass the GBA ``io`` block (scroll registers, fades), and
        ``vram``/``oam`` for the VRAM path and sprite-based player finding (``palette``
        too for content ids that match the pixel path's partition exactly)."""
        values = values or {}
        decoded: VramFrame | None = None
        brightness = 0
        if vram is not None and io is not None and oam is not None:
            decoded = self.vram.decode(vram, io, oam, palette=palette)
            brightness = decoded.brightness
        scroll = None
        if decoded is not None and self.platform == "gb":
            scroll = decoded.grid.scroll  # (SCX/SCY)
        elif io is not None:
            layer = decoded.layer if decoded is not None and decoded.layer >= 0 else 0
            base = 0x10 + 4 * layer
            scroll = (int.from_bytes(io[base : base + 2], "little") & 0x1FF,
                      int.from_bytes(io[base + 2 : base + 4], "little") & 0x1FF)
            if decoded is None:
                bldcnt = int.from_bytes(io[0x50:0x52], "little")
                level = min(io[0x54] & 31, 16)
                effect = (bldcnt >> 6) & 3
                brightness = level if effect == 2 else -level if effect == 3 else 0
        self.kinds.note_buttons(buttons)
        cells: Cells | Callable[[], Cells] | None = None
        if self.path == "vram" and decoded is not None:
            grid = decoded.grid
            # the screen classifier finds boxes on tile flags: of the decoded layers (no
            # pixel hashing), made only if it asks
            cells = partial(self._layer_cells, frame, decoded, vram, palette, scroll,
                            abs(brightness) < 4)
        else:
            grid = self.tiler.grid(frame, scroll=scroll, learn=abs(brightness) < 4)
        kind = self.kinds.classify(frame, grid, game_mode=values.get("game_mode"),
                                   brightness=brightness, cells=cells)
        player = self.locator.from_ram(values, grid)
        if player is None and decoded is not None:
            boxes = [(s.x, s.y, s.x + s.width, s.y + s.height) for s in decoded.sprites]
            player = self.locator.from_boxes(boxes, buttons, decoded.grid)
        elif (player is None and kind is ScreenKind.OVERWORLD) or (
            player is None and kind is ScreenKind.TITLE
        ):
            player = self.locator.from_pixels(grid, buttons)
        if player is not None and player.source != "ram" and self.locator._tracks and max(
            t.score for t in self.locator._tracks
        ) >= 2:
            self.kinds.note_moved()
        return Percept(grid=grid, kind=kind, player=player, vram=decoded, values=values)

    def _layer_cells(self, frame: np.ndarray, decoded: VramFrame, vram: bytes | None,
                     palette: bytes | None, scroll: tuple[int, int] | None,
                     learn: bool) -> Cells:
        """The grids the screen classifier finds boxes on, on the VRAM path: the layers'
        content grids with their tiles' flags, else (no palette, affine or bitmap modes)
        the pixel grid."""
        if vram is not None and palette is not None:
            layers = self.vram.cells(decoded, vram, palette)
            if layers is not None:
                return layers
        return self.tiler.grid(frame, scroll=scroll, learn=learn)
