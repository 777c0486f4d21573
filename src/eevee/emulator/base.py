"""The one emulator interface every backend implements.

Modelled on PyBoy's small facade: step, screen, memory, state as bytes. A backend
subclasses :class:`Emulator` and implements the ``_``-prefixed primitives; typed reads,
context management and argument checks live here once.

>>> from eevee.cartridges import get
>>> from eevee.emulator import open_emulator
>>> from eevee.emulator.buttons import Buttons
>>> with open_emulator(get("quest").rom_path) as emu:   # a GBA ROM: the retro backend
...     emu.step(Buttons.START, frames=2)
...     emu.frame, emu.screen().shape, emu.read_u8(0x0200000C)   # game_mode: the title
(2, (160, 240, 3), 0)

Performance advice for bot authors: ``screen()`` may return a view that the next
``step`` overwrites (copy it if you keep it); read a whole region once per frame with
``read(start, size)`` rather than many single bytes, above all on HTTP backends.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from types import TracebackType

import numpy as np

from eevee.emulator.buttons import Buttons
from eevee.emulator.platform import PlatformInfo
from eevee.errors import EmulatorError, UnsupportedOperationError

_TYPE_SIZES = {"1": 1, "2": 2, "4": 4, "8": 8}


def parse_type(type_code: str) -> np.dtype[np.generic]:
    """A stable-retro style type code (``'<u2'``, ``'|u1'``, ``'>i4'``) as a numpy dtype.

    Raises ValueError naming the code and the accepted forms.
    """
    ok = (
        len(type_code) == 3
        and type_code[0] in "<>|="
        and type_code[1] in "ui"
        and type_code[2] in _TYPE_SIZES
        and not (type_code[0] == "|" and type_code[2] != "1")
    )
    if not ok:
        raise ValueError(
            f"bad type {type_code!r}: use <u1..<u8, >u2, |u1, <i2 ... "
            "(byte order <, > or |; u or i; size 1, 2, 4 or 8)"
        )
    return np.dtype(type_code)


class Emulator(abc.ABC):
    """A running game. Use as a context manager, or call :meth:`close`."""

    #: short backend name, e.g. ``"retro"``
    backend: str = "?"
    #: True when the backend cannot step frames itself (it runs in real time)
    realtime_only: bool = False
    #: names of the platform regions this backend can read and write (None: all of them)
    readable_regions: frozenset[str] | None = None

    def __init__(self, platform: PlatformInfo) -> None:
        self.platform = platform
        self._frame = 0
        self._paused = False
        self._closed = False
        self._spans_checked: object = None  # the last span tuple read_spans checked

    # ---- primitives a backend implements -------------------------------------------
    @abc.abstractmethod
    def _step(self, buttons: int, frames: int) -> int | None:
        """Hold ``buttons`` for ``frames`` frames; a real-time backend returns how many
        frames really passed (None means exactly ``frames``)."""

    @abc.abstractmethod
    def _screen(self) -> np.ndarray: ...

    @abc.abstractmethod
    def _read(self, address: int, size: int) -> bytes: ...

    @abc.abstractmethod
    def _write(self, address: int, data: bytes) -> None: ...

    @abc.abstractmethod
    def _save_state(self) -> bytes: ...

    @abc.abstractmethod
    def _load_state(self, state: bytes) -> None: ...

    @abc.abstractmethod
    def _reset(self) -> None: ...

    def _close(self) -> None:  # noqa: B027 - optional hook
        """Release the backend's resources."""

    # ---- public interface ----------------------------------------------------------
    @property
    def frame(self) -> int:
        """Frames stepped since the emulator was opened (or last reset)."""
        return self._frame

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        """Stop the game clock (a no-op for backends that only move when stepped)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    def step(self, buttons: Buttons | int = Buttons.NONE, frames: int = 1) -> None:
        """Hold ``buttons`` for ``frames`` frames (at least 1)."""
        self._check_open()
        if frames < 1:
            raise ValueError(f"frames must be at least 1, got {frames}")
        advanced = self._step(int(buttons) & 0x3FF, frames)
        self._frame += frames if advanced is None else advanced

    def screen(self) -> np.ndarray:
        """The current frame as a ``(height, width, 3)`` uint8 array."""
        self._check_open()
        return self._screen()

    def read(self, address: int, size: int = 1) -> bytes:
        """``size`` bytes starting at bus address ``address``."""
        self._check_open()
        self._check_range(address, size)
        return self._read(address, size)

    def read_spans(self, spans: Sequence[tuple[int, int]]) -> list[bytes]:
        """Several reads at once: the bytes of each ``(address, size)``, in order, in one
        pass where the backend can (stable-retro copies its memory once for all of them:
        the per-frame read of variables and perception's blocks)."""
        self._check_open()
        if spans is not self._spans_checked:  # (the per-frame caller passes one tuple)
            for address, size in spans:
                self._check_range(address, size)
            if isinstance(spans, tuple):
                self._spans_checked = spans
        return self._read_spans(spans)

    def _read_spans(self, spans: Sequence[tuple[int, int]]) -> list[bytes]:
        return [self._read(address, size) for address, size in spans]

    def variable_reader(
        self, specs: Sequence[tuple[str, int, str]]
    ) -> Callable[[], dict[str, int]] | None:
        """A function that reads the named variables ``(name, address, type code)`` in
        one call, where the backend keeps a table of them (stable-retro does, in C++:
        a few microseconds for thirty variables); None: read them with :meth:`read_spans`.
        """
        return None

    def write(self, address: int, data: bytes) -> None:
        """Write ``data`` at bus address ``address``."""
        self._check_open()
        self._check_range(address, len(data))
        self._write(address, bytes(data))

    def read_u8(self, address: int) -> int:
        return self.read(address, 1)[0]

    def read_u16(self, address: int) -> int:
        return int.from_bytes(self.read(address, 2), "little")

    def read_u32(self, address: int) -> int:
        return int.from_bytes(self.read(address, 4), "little")

    def read_value(self, address: int, type_code: str) -> int:
        """One value of stable-retro type ``type_code`` (``'<u2'``, ``'|u1'`` ...)."""
        dtype = parse_type(type_code)
        return int(np.frombuffer(self.read(address, dtype.itemsize), dtype=dtype)[0])

    def write_value(self, address: int, type_code: str, value: int) -> None:
        dtype = parse_type(type_code)
        self.write(address, np.array([value], dtype=dtype).tobytes())

    def read_region(self, name: str) -> bytes:
        """The whole named region (``'ewram'``, ``'vram'``, ``'oam'`` ...)."""
        try:
            region = self.platform.regions[name]
        except KeyError:
            names = ", ".join(self.platform.regions)
            raise EmulatorError(
                f"no memory region {name!r} on {self.platform.name}; regions: {names}"
            ) from None
        return self.read(region.start, region.size)

    def save_state(self) -> bytes:
        """The complete machine state as bytes (restore with :meth:`load_state`)."""
        self._check_open()
        return self._save_state()

    def load_state(self, state: bytes) -> None:
        self._check_open()
        if not state:
            raise EmulatorError("empty save state; pass bytes from save_state()")
        self._load_state(bytes(state))

    def reset(self) -> None:
        """Power-cycle the game; the frame counter starts again at 0."""
        self._check_open()
        self._reset()
        self._frame = 0

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---- helpers ---------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise EmulatorError(f"the {self.backend} emulator is closed; open a new one")

    def _check_range(self, address: int, size: int) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        region = self.platform.region_of(address, size)
        if region is not None and (
            self.readable_regions is None or region.name in self.readable_regions
        ):
            return
        if region is not None:
            names = ", ".join(sorted(self.readable_regions or ()))
            raise UnsupportedOperationError(
                f"the {self.backend} backend cannot reach {self.platform.name} region "
                f"{region.name} (address 0x{address:08X}); it can read: {names}"
            )
        names = ", ".join(
            f"{r.name} 0x{r.start:08X}-0x{r.end - 1:08X}"
            for r in self.platform.regions.values()
            if self.readable_regions is None or r.name in self.readable_regions
        )
        raise EmulatorError(
            f"address 0x{address:08X} (+{size}) is outside the readable memory of "
            f"{self.platform.name}: {names}"
        )

    def unsupported(self, what: str, why: str) -> UnsupportedOperationError:
        return UnsupportedOperationError(f"the {self.backend} backend cannot {what}: {why}")
