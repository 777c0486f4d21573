"""One small interface over every emulator backend.

:func:`open_emulator` opens a ROM with a backend and returns an :class:`Emulator`:
``step(buttons, frames)``, ``screen()`` (H×W×3 uint8), ``read``/``write`` by bus address
with typed helpers (``read_value(addr, "<u2")``), ``read_region("ewram")``,
``save_state()``/``load_state(bytes)``, ``reset()``, ``frame``, ``close()``.

Backends (``backend=``):

- ``"retro"`` — stable-retro in process: mGBA for GBA, gambatte for GB. One per process.
- ``"pyboy"`` — PyBoy for GB/GBC, any number per process.
- ``"skyemu"`` — client of a running SkyEmu's HTTP control server (``url=``).
- ``"mgba-http"`` — client of mGBA-http (``url=``); real time only, cannot step.
- ``"auto"`` (default) — ``retro`` for GBA ROMs, ``pyboy`` for GB ROMs (see
  :data:`eevee.emulator.registry.AUTO` for why).

``subprocess=True`` runs the backend in a child process (:class:`SubprocessEmulator`),
which is how several ``retro`` emulators run at once.

>>> from eevee.emulator import Buttons, open_emulator
>>> from eevee.emulator.testing.tinyroms import tiny_gb_rom
>>> import pathlib, tempfile
>>> rom = pathlib.Path(tempfile.mkdtemp()) / "tiny.gb"
>>> _ = rom.write_bytes(tiny_gb_rom())
>>> with open_emulator(rom) as emu:
...     emu.step(Buttons.RIGHT, frames=200)
...     emu.backend, emu.screen().shape, emu.read_u8(0xC006) > 0
('pyboy', (144, 160, 3), True)
"""

from __future__ import annotations

import os
from typing import Any

from eevee.emulator.base import Emulator, parse_type
from eevee.emulator.buttons import ALL_BUTTONS, DPAD, Buttons
from eevee.emulator.platform import FRAME_RATE_HZ, GB, GBA, PLATFORMS, PlatformInfo, Region
from eevee.emulator.process import SubprocessEmulator
from eevee.emulator.registry import AUTO, BACKENDS, PLATFORMS_OF, backend_class, canonical
from eevee.emulator.rom import RomInfo, load_rom
from eevee.errors import ConfigError

__all__ = [
    "ALL_BUTTONS",
    "AUTO",
    "BACKENDS",
    "DPAD",
    "FRAME_RATE_HZ",
    "GB",
    "GBA",
    "PLATFORMS",
    "Buttons",
    "Emulator",
    "PlatformInfo",
    "Region",
    "RomInfo",
    "SubprocessEmulator",
    "load_rom",
    "open_emulator",
    "parse_type",
    "pick_backend",
]

_REMOTE = ("skyemu", "mgba-http")


def pick_backend(rom: RomInfo | None, backend: str = "auto") -> str:
    """The concrete backend name for ``rom``; ConfigError if it cannot run that platform."""
    name = canonical(backend)
    if name == "auto":
        if rom is None:
            raise ConfigError("backend 'auto' needs a ROM; pass a ROM path or a backend name")
        return AUTO[rom.platform]
    if rom is not None and rom.platform not in PLATFORMS_OF[name]:
        can = ", ".join(sorted(PLATFORMS_OF[name]))
        raise ConfigError(
            f"{rom.path}: the {name} backend runs {can} games, not {rom.platform}; "
            f"use backend='auto' or '{AUTO[rom.platform]}'"
        )
    return name


def open_emulator(
    rom: str | os.PathLike[str] | None,
    backend: str = "auto",
    *,
    subprocess: bool = False,
    **opts: Any,
) -> Emulator:
    """Check ``rom`` (see :func:`load_rom`) and open it with ``backend``.

    ``rom`` may be None for the HTTP backends (attach to the game the server already runs).
    Extra keyword options go to the backend (``url=`` for skyemu/mgba-http, ``cgb=`` and
    ``render=`` for pyboy). ``subprocess=True`` runs it in a child process.
    """
    info = None if rom is None else load_rom(rom)
    name = pick_backend(info, backend)
    if info is None and name not in _REMOTE:
        raise ConfigError(f"the {name} backend needs a ROM path")
    if subprocess:
        return SubprocessEmulator(None if info is None else info.path, backend=name, **opts)
    factory: Any = backend_class(name)  # backends take (rom, **opts), not the base's args
    emu: Emulator = factory(info, **opts)
    return emu
