"""Facts about the two platforms: screen, frame rate, memory regions.

Numbers come from GBATEK and the Pan Docs; see SPEC.md "Machine facts".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from eevee.runtime.clock import FRAME_RATE_HZ  # both GBA and GB; the clock paces to it

PlatformName = Literal["gba", "gb"]


@dataclass(frozen=True)
class Region:
    """A named memory region: ``start`` address on the bus and ``size`` in bytes."""

    name: str
    start: int
    size: int

    @property
    def end(self) -> int:
        return self.start + self.size

    def __contains__(self, address: object) -> bool:
        return isinstance(address, int) and self.start <= address < self.end


@dataclass(frozen=True)
class PlatformInfo:
    """One platform: name, screen size in pixels and tiles, frame rate, memory regions."""

    name: PlatformName
    width: int
    height: int
    fps: float = FRAME_RATE_HZ
    regions: dict[str, Region] = field(default_factory=dict)

    @property
    def tile_cols(self) -> int:
        return self.width // 8

    @property
    def tile_rows(self) -> int:
        return self.height // 8

    @property
    def frame_seconds(self) -> float:
        return 1.0 / self.fps

    def region_of(self, address: int, size: int = 1) -> Region | None:
        """The region holding ``address .. address+size-1``, or None."""
        for region in self.regions.values():
            if address in region and address + size <= region.end:
                return region
        return None


def _regions(*items: tuple[str, int, int]) -> dict[str, Region]:
    return {name: Region(name, start, size) for name, start, size in items}


GBA = PlatformInfo(
    name="gba",
    width=240,
    height=160,
    regions=_regions(
        ("ewram", 0x02000000, 0x40000),
        ("iwram", 0x03000000, 0x8000),
        ("io", 0x04000000, 0x400),
        ("palette", 0x05000000, 0x400),
        ("vram", 0x06000000, 0x18000),
        ("oam", 0x07000000, 0x400),
    ),
)

GB = PlatformInfo(
    name="gb",
    width=160,
    height=144,
    regions=_regions(
        ("vram", 0x8000, 0x2000),
        ("wram", 0xC000, 0x2000),
        ("oam", 0xFE00, 0xA0),
        ("io", 0xFF00, 0x80),
        ("hram", 0xFF80, 0x7F),
    ),
)

PLATFORMS: dict[str, PlatformInfo] = {"gba": GBA, "gb": GB}
