"""Build the bundled cartridges from source, reproducibly.

``build(cart)`` runs the cartridge's asset generator, compiles its C with Debian's
cross compilers, fixes the header and pads the image. The same sources always give the
same bytes: no timestamps, no absolute paths, fixed flags, sorted inputs.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eevee.cartridges.header import write_gba_header
from eevee.cartridges.registry import SOURCE_DIR, Cartridge
from eevee.cartridges.toolchain import Toolchain, find
from eevee.errors import ToolchainError
from eevee.profiles.profile import parse_profile
from eevee.runtime.files import write_atomic

GBA_COMMON = SOURCE_DIR / "common" / "gba"
GB_COMMON = SOURCE_DIR / "common" / "gb"

# mGBA treats images of 256 KiB or less as multiboot programs and loads them into
# EWRAM; real cartridges are larger, so ours are padded to 512 KiB (0xFF, as in flash).
GBA_MIN_SIZE = 512 * 1024

GBA_CFLAGS = [
    "-mthumb",
    "-mcpu=arm7tdmi",
    "-mthumb-interwork",
    "-O2",
    "-std=gnu11",
    "-ffreestanding",
    "-fno-builtin",
    "-nostdlib",
    "-fno-ident",
    "-ffunction-sections",
    "-fdata-sections",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Werror=implicit-function-declaration",
]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    cartridge: Cartridge
    rom: bytes
    truth: dict[str, Any] | None


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).strip()
        raise ToolchainError(f"{Path(cmd[0]).name} failed (exit {proc.returncode}):\n{output}")


def _generate(cart: Cartridge, build_dir: Path) -> dict[str, Any] | None:
    try:
        module = importlib.import_module(f"eevee.cartridges.gen.{cart.name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"eevee.cartridges.gen.{cart.name}":
            raise
        return None
    truth: dict[str, Any] | None = module.generate(cart.source_dir, build_dir)
    return truth


def _pad_pow2(data: bytes, minimum: int) -> bytearray:
    size = minimum
    while size < len(data):
        size *= 2
    return bytearray(data + b"\xff" * (size - len(data)))


def _build_gba(cart: Cartridge, tc: Toolchain, build_dir: Path) -> bytes:
    gcc = tc["arm-none-eabi-gcc"]
    includes = ["-I", str(GBA_COMMON), "-I", str(cart.source_dir), "-I", str(build_dir)]
    prefix_maps = [
        f"-ffile-prefix-map={SOURCE_DIR}=src",
        f"-ffile-prefix-map={build_dir}=gen",
    ]
    sources = sorted(cart.source_dir.glob("*.c")) + sorted(build_dir.glob("*.c"))
    sources += sorted(GBA_COMMON.glob("*.c"))
    objects: list[str] = []
    crt0 = build_dir / "crt0.o"
    _run([gcc, "-mcpu=arm7tdmi", "-c", str(GBA_COMMON / "crt0.s"), "-o", str(crt0)], build_dir)
    objects.append(str(crt0))
    for i, src in enumerate(sources):
        obj = build_dir / f"{i:03d}_{src.stem}.o"
        _run([gcc, *GBA_CFLAGS, *prefix_maps, *includes, "-c", str(src), "-o", str(obj)],
             build_dir)
        objects.append(str(obj))
    elf = build_dir / f"{cart.name}.elf"
    _run(
        [gcc, "-mthumb", "-mcpu=arm7tdmi", "-nostdlib", "-T", str(GBA_COMMON / "gba.ld"),
         "-Wl,--gc-sections", "-Wl,--build-id=none", *objects, "-lgcc", "-o", str(elf)],
        build_dir,
    )
    raw = build_dir / f"{cart.name}.bin"
    _run([tc["arm-none-eabi-objcopy"], "-O", "binary", str(elf), str(raw)], build_dir)
    rom = _pad_pow2(raw.read_bytes(), GBA_MIN_SIZE)
    write_gba_header(rom, cart.title, cart.game_code)
    return bytes(rom)


def build(cart: Cartridge, *, keep_dir: Path | None = None) -> BuildResult:
    """Build ``cart`` from source and return the ROM bytes (nothing is written).

    Raises :class:`ToolchainError` naming the missing Debian packages.
    """
    tc = find(cart.platform)
    with tempfile.TemporaryDirectory(prefix=f"eevee-build-{cart.name}-") as tmp:
        build_dir = Path(keep_dir) if keep_dir else Path(tmp)
        build_dir.mkdir(parents=True, exist_ok=True)
        truth = _generate(cart, build_dir)
        if cart.platform == "gba":
            rom = _build_gba(cart, tc, build_dir)
        else:
            from eevee.cartridges.gb_build import build_gb

            rom = build_gb(cart, tc, build_dir)
    return BuildResult(cartridge=cart, rom=rom, truth=truth)



def write_profile(cart: Cartridge, generated: dict[str, Any]) -> None:
    """Write a cartridge's generated profile, keeping hints added to the file by hand.

    The generator emits the whole profile: the RAM map and milestones (they must match the
    C state struct) and every hint the game's manual and status screen give. A hint someone
    added to the file by hand is kept after the generated ones, unless the generator emits
    it too. The result is validated before it is written, so a walkthrough key left in the
    file (quest steps, doors, ...) stops the write with a :class:`ProfileError` that says
    which file it belongs in (``solver.json`` or ``truth.json``).
    """
    merged = dict(generated)
    if cart.profile_path.is_file():
        old = json.loads(cart.profile_path.read_text(encoding="utf-8"))
        hints = dict(generated.get("hints", {}))
        hints.update({k: v for k, v in old.get("hints", {}).items() if k not in hints})
        merged["hints"] = hints
    parse_profile(merged, cart.profile_path)
    text = json.dumps(merged, indent=1) + "\n"
    write_atomic(cart.profile_path, text.encode("utf-8"))


def install(result: BuildResult) -> None:
    """Store a build's ROM (and ground truth) inside the package."""
    cart = result.cartridge
    write_atomic(cart.rom_path, result.rom)
    if result.truth is not None:
        text = json.dumps(result.truth, indent=1, sort_keys=True) + "\n"
        write_atomic(cart.truth_path, text.encode("utf-8"))
    if cart.profile_path.is_file():
        # keep the profile's ROM identity in step with the ROM, formatting untouched
        sha1 = hashlib.sha1(result.rom).hexdigest()
        text = cart.profile_path.read_text(encoding="utf-8")
        new = re.sub(r'("sha1"\s*:\s*")[0-9a-fA-F]*(")', rf"\g<1>{sha1}\g<2>", text, count=1)
        if new != text:
            write_atomic(cart.profile_path, new.encode("utf-8"))
