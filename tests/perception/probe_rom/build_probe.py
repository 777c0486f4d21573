"""Build the perception probe ROM (a test fixture) into a cache directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

from eevee.cartridges import build as b
from eevee.cartridges.registry import Cartridge
from eevee.cartridges.toolchain import find

HERE = Path(__file__).resolve().parent


class _Probe(Cartridge):
    @property
    def source_dir(self) -> Path:
        return HERE


def build_probe(out: Path) -> Path:
    """Compile ``main.c`` here into ``out`` (a .gba file) unless it is already there."""
    if out.is_file():
        return out
    cart = _Probe(name="probe", platform="gba", title="PROBE", game_code="EVPR",
                  description="perception probe")
    with tempfile.TemporaryDirectory() as tmp:
        rom = b._build_gba(cart, find("gba"), Path(tmp))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rom)
    return out


if __name__ == "__main__":
    print(build_probe(Path(tempfile.gettempdir()) / "eevee-probe.gba"))
