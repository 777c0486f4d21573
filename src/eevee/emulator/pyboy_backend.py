"""The ``pyboy`` backend: PyBoy for Game Boy and Game Boy Color games, many per process.

PyBoy runs headless (``window="null"``), without sound and without its real-time limiter,
and without its game wrappers (see :func:`_gamerom`).
``step(buttons, frames)`` renders only the last of its frames (PyBoy's own frame-skip), so
stepping many frames at once is cheap. Every GB region (VRAM, WRAM, OAM, IO, HRAM) can be
read and written through PyBoy's memory view.

PyBoy runs its built-in boot ROM first (some frames pass before the game's code starts).
The screen is the last frame drawn by ``step``: after ``load_state`` or ``reset`` it shows
the old picture until the next step.

>>> from eevee.cartridges import get
>>> with PyBoyEmulator(get("maze").rom_path) as emu:
...     emu.step(frames=120)
...     emu.screen().shape, emu.read_u16(0xC000)   # the game's frames, after the boot ROM's
((144, 160, 3), 39)
"""

from __future__ import annotations

import io
import os
import warnings
from typing import Any

import numpy as np

from eevee.emulator.base import Emulator
from eevee.emulator.buttons import Buttons
from eevee.emulator.platform import GB
from eevee.emulator.rom import RomInfo, load_rom
from eevee.errors import BackendUnavailableError, EmulatorError

_PYBOY_NAMES: dict[int, str] = {
    int(Buttons.A): "a",
    int(Buttons.B): "b",
    int(Buttons.SELECT): "select",
    int(Buttons.START): "start",
    int(Buttons.RIGHT): "right",
    int(Buttons.LEFT): "left",
    int(Buttons.UP): "up",
    int(Buttons.DOWN): "down",
}


def _import_pyboy() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Using SDL2 binaries from pysdl2-dll"
            from pyboy import PyBoy
    except ImportError as exc:  # pragma: no cover - pyboy is a dependency
        raise BackendUnavailableError(
            f"the pyboy backend needs PyBoy ({exc}); pip install pyboy, or use backend='retro'"
        ) from exc
    return PyBoy


def _wrapper_titles() -> frozenset[str]:
    """The header titles for which PyBoy switches on a game wrapper of its own."""
    import importlib
    import pkgutil

    import pyboy.plugins as plugins

    titles = set()
    for mod in pkgutil.iter_modules(plugins.__path__):
        if mod.name.startswith("game_wrapper"):
            module = importlib.import_module(f"pyboy.plugins.{mod.name}")
            for obj in vars(module).values():
                title = getattr(obj, "cartridge_title", None)
                if isinstance(title, str) and title:
                    titles.add(title)
    return frozenset(titles)


def _gamerom(info: RomInfo) -> str | io.BytesIO:
    """What PyBoy is given to load: the ROM's path, or, where the header title is one
    PyBoy knows a game wrapper for (a homebrew game called ``2048`` is not PyBoy's 2048:
    the wrapper raises every frame), an in-memory copy whose title is followed by a
    space (PyBoy matches titles exactly) and whose header checksum is made anew. The
    game's code and data are the same bytes."""
    data = bytearray(info.path.read_bytes())
    title = bytes(data[0x134:0x143]).split(b"\0")[0].decode("ascii", "replace")
    if title not in _wrapper_titles():
        return str(info.path)
    end = 0x134 + len(title) if len(title) < 0x0F else 0x142
    data[end] = 0x20
    data[0x14D] = 0
    for b in data[0x134:0x14D]:
        data[0x14D] = (data[0x14D] - b - 1) & 0xFF
    return io.BytesIO(bytes(data))


# For each of the 1024 button sets: the PyBoy names of its GB buttons (L and R dropped).
_NAMES_OF: tuple[tuple[str, ...], ...] = tuple(
    tuple(name for bit, name in _PYBOY_NAMES.items() if mask & bit) for mask in range(1024)
)


class PyBoyEmulator(Emulator):
    """A GB/GBC game running in PyBoy in this process. Any number may be open at once."""

    backend = "pyboy"

    def __init__(
        self, rom: str | os.PathLike[str] | RomInfo, *, cgb: bool | None = None,
        render: bool = True,
    ) -> None:
        """``render=False`` skips drawing entirely (faster); :meth:`screen` then raises."""
        info = rom if isinstance(rom, RomInfo) else load_rom(rom)
        if info.platform != "gb":
            raise EmulatorError(
                f"{info.path}: PyBoy runs Game Boy games only, this is a {info.platform} "
                "ROM; use backend='retro' (or 'auto')"
            )
        super().__init__(GB)
        self.rom = info
        self._render = render
        pyboy_cls = _import_pyboy()
        try:
            self._pyboy: Any = pyboy_cls(
                _gamerom(info), window="null", sound_emulated=False, cgb=cgb, log_level="ERROR"
            )
        except Exception as exc:
            raise EmulatorError(f"{info.path}: PyBoy cannot load it ({exc})") from exc
        self._pyboy.set_emulation_speed(0)
        self._memory = self._pyboy.memory
        self._pressed = 0
        buf = io.BytesIO()
        self._pyboy.save_state(buf)
        self._power_on = buf.getvalue()

    def _set_buttons(self, buttons: int) -> None:
        changed = buttons ^ self._pressed
        if not changed & 0xFF:
            self._pressed = buttons
            return
        for name in _NAMES_OF[changed & self._pressed]:
            self._pyboy.button_release(name)
        for name in _NAMES_OF[changed & buttons]:
            self._pyboy.button_press(name)
        self._pressed = buttons

    def _step(self, buttons: int, frames: int) -> None:
        if buttons != self._pressed:
            self._set_buttons(buttons)
        self._pyboy.tick(frames, self._render, False)

    def _screen(self) -> np.ndarray:
        if not self._render:
            raise self.unsupported("show the screen", "it was opened with render=False")
        screen: np.ndarray = self._pyboy.screen.ndarray[:, :, :3]
        return screen

    def _read(self, address: int, size: int) -> bytes:
        if size == 1:
            return bytes((self._memory[address],))
        return bytes(self._memory[address : address + size])

    def _write(self, address: int, data: bytes) -> None:
        if len(data) == 1:
            self._memory[address] = data[0]
        else:
            self._memory[address : address + len(data)] = list(data)

    def _save_state(self) -> bytes:
        buf = io.BytesIO()
        self._pyboy.save_state(buf)
        return buf.getvalue()

    def _load_state(self, state: bytes) -> None:
        try:
            self._pyboy.load_state(io.BytesIO(state))
        except Exception as exc:
            raise EmulatorError(
                f"PyBoy rejected a {len(state)}-byte save state ({exc}); pass bytes from "
                f"save_state() of the same game ({self.rom.path.name}) and backend"
            ) from exc
        for name in _PYBOY_NAMES.values():
            self._pyboy.button_release(name)
        self._pressed = 0

    def _reset(self) -> None:
        self._load_state(self._power_on)

    def _close(self) -> None:
        self._pyboy.stop(save=False)
        self._pyboy = None
        self._memory = None
