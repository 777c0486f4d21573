"""Build Game Boy cartridges with Debian's sdcc (``-msm83``), reproducibly.

The runtime (``source/common/gb/crt0.s``) holds the interrupt vectors and the header
area; C sources come from the cartridge's source folder and from the generator's build
folder (sorted). ``sdldgb`` links at fixed addresses (code from 0x0200, C globals from
0xC100 so that 0xC000..0xC0FF is free for the game-state struct at a fixed address),
``makebin`` turns the Intel hex into a binary and :func:`write_gb_header` finishes it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from eevee.cartridges.header import write_gb_header
from eevee.cartridges.registry import SOURCE_DIR, Cartridge
from eevee.cartridges.toolchain import Toolchain
from eevee.errors import ToolchainError

GB_COMMON = SOURCE_DIR / "common" / "gb"
GB_CODE_LOC = 0x0200
GB_DATA_LOC = 0xC100
GB_SIZES = (32 * 1024, 64 * 1024, 128 * 1024)

GB_CFLAGS = [
    "-msm83",
    "--std-sdcc11",
    "--opt-code-speed",
    "--fomit-frame-pointer",
    "--no-std-crt0",
]


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).strip()
        raise ToolchainError(f"{Path(cmd[0]).name} failed (exit {proc.returncode}):\n{output}")


def _rom_size(used: int) -> int:
    for size in GB_SIZES:
        if used <= size:
            return size
    raise ToolchainError(f"GB program is {used} bytes; more than 128 KiB needs an MBC")


def build_gb(cart: Cartridge, tc: Toolchain, build_dir: Path) -> bytes:
    """Compile, link and finish ``cart`` (platform "gb"); returns the ROM bytes."""
    build_dir = Path(build_dir)
    includes = ["-I", str(GB_COMMON), "-I", str(cart.source_dir), "-I", str(build_dir)]
    crt0 = build_dir / "crt0.rel"
    _run([tc["sdasgb"], "-plosgff", "-o", str(crt0), str(GB_COMMON / "crt0.s")], build_dir)
    objects = [str(crt0)]
    asm = [s for s in sorted(GB_COMMON.glob("*.s")) if s.name != "crt0.s"]
    asm += sorted(cart.source_dir.glob("*.s"))
    for i, src in enumerate(asm):
        obj = build_dir / f"a{i:03d}_{src.stem}.rel"
        _run([tc["sdasgb"], "-plosgff", "-o", str(obj), str(src)], build_dir)
        objects.append(str(obj))
    sources = sorted(cart.source_dir.glob("*.c")) + sorted(build_dir.glob("*.c"))
    sources += sorted(GB_COMMON.glob("*.c"))
    for i, src in enumerate(sources):
        obj = build_dir / f"{i:03d}_{src.stem}.rel"
        _run([tc["sdcc"], *GB_CFLAGS, *includes, "-c", str(src), "-o", str(obj)], build_dir)
        objects.append(str(obj))
    ihx = build_dir / f"{cart.name}.ihx"
    _run(
        [tc["sdcc"], "-msm83", "--no-std-crt0", "--code-loc", f"0x{GB_CODE_LOC:04X}",
         "--data-loc", f"0x{GB_DATA_LOC:04X}", "-o", str(ihx), *objects],
        build_dir,
    )
    raw = build_dir / f"{cart.name}.gb"
    _run([tc["makebin"], "-s", "131072", str(ihx), str(raw)], build_dir)
    image = raw.read_bytes()
    used = len(image.rstrip(b"\xff"))
    rom = bytearray(image[: _rom_size(used)])
    write_gb_header(rom, cart.title)
    return bytes(rom)
