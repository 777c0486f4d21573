"""Backend names and their classes, imported only when asked for.

>>> from eevee.emulator.registry import BACKENDS, backend_class
>>> sorted(BACKENDS)
['mgba-http', 'pyboy', 'retro', 'skyemu']
>>> backend_class("pyboy").__name__
'PyBoyEmulator'
"""

from __future__ import annotations

import importlib

from eevee.emulator.base import Emulator
from eevee.errors import BackendUnavailableError, ConfigError

#: backend name -> "module:Class"
BACKENDS: dict[str, str] = {
    "retro": "eevee.emulator.retro_backend:RetroEmulator",
    "pyboy": "eevee.emulator.pyboy_backend:PyBoyEmulator",
    "skyemu": "eevee.emulator.skyemu:SkyEmuEmulator",
    "mgba-http": "eevee.emulator.mgba_http:MgbaHttpEmulator",
}

#: the backend ``auto`` picks per platform. GB defaults to PyBoy: any number per process
#: (parallel rollouts, tests), every GB region including IO readable, and no clash with a
#: retro GBA emulator in the same process; gambatte stays available as backend="retro".
AUTO: dict[str, str] = {"gba": "retro", "gb": "pyboy"}

#: which platforms each backend can run
PLATFORMS_OF: dict[str, frozenset[str]] = {
    "retro": frozenset({"gba", "gb"}),
    "pyboy": frozenset({"gb"}),
    "skyemu": frozenset({"gba", "gb"}),
    "mgba-http": frozenset({"gba", "gb"}),
}

_ALIASES = {"mgba_http": "mgba-http", "mgbahttp": "mgba-http", "stable-retro": "retro"}


def canonical(name: str) -> str:
    """The backend's canonical name; :class:`ConfigError` lists the choices if unknown."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key != "auto" and key not in BACKENDS:
        choices = ", ".join(["auto", *BACKENDS])
        raise ConfigError(f"unknown emulator backend {name!r}; choose one of: {choices}")
    return key


def backend_class(name: str) -> type[Emulator]:
    """Import and return the class of backend ``name``."""
    key = canonical(name)
    if key == "auto":
        raise ConfigError("'auto' is not a class; call open_emulator(rom, backend='auto')")
    module_name, _, class_name = BACKENDS[key].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BackendUnavailableError(
            f"the {key} emulator backend cannot be imported ({exc}); reinstall eevee"
        ) from exc
    cls: type[Emulator] = getattr(module, class_name)
    return cls
