"""The ``retro`` backend: stable-retro's libretro cores in this process.

GBA games run on mGBA, GB/GBC games on gambatte. stable-retro allows only ONE emulator per
process, so a second :class:`RetroEmulator` is refused while the first is open; to run
several, give each its own process (:class:`eevee.emulator.process.SubprocessEmulator`
does that for you).

Memory is reached through stable-retro's ``Memory`` object: ``extract`` for small reads,
the ``blocks`` dictionary (a copy of every block, ~0.1 ms) for large ones, ``assign`` for
writes. Exposed regions: GBA ewram, iwram, io, palette, vram, oam; GB vram, wram, oam,
hram (gambatte does not expose the IO registers 0xFF00-0xFF7F).

>>> from eevee.cartridges import get
>>> with RetroEmulator(get("quest").rom_path) as emu:
...     emu.step(frames=60)
...     emu.read_value(0x02000000, "<u4")   # the game's frame counter (from its start-up)
58
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eevee.emulator.base import Emulator
from eevee.emulator.buttons import Buttons
from eevee.emulator.platform import PLATFORMS
from eevee.emulator.rom import RomInfo, load_rom
from eevee.errors import BackendUnavailableError, EmulatorError

# stable-retro's button order per platform (None: unused slot)
_RETRO_BUTTONS: dict[str, list[str | None]] = {
    "gba": ["B", None, "SELECT", "START", "UP", "DOWN", "LEFT", "RIGHT", "A", None, "L", "R"],
    "gb": ["B", None, "SELECT", "START", "UP", "DOWN", "LEFT", "RIGHT", "A"],
}
_RETRO_EXT = {"gba": ".gba", "gb": ".gb"}
_READABLE = {
    "gba": frozenset({"ewram", "iwram", "io", "palette", "vram", "oam"}),
    "gb": frozenset({"vram", "wram", "oam", "hram"}),
}
# reads up to this many bytes use Memory.extract per byte; larger ones copy the blocks
_SMALL_READ = 96
_VAR_TYPES = frozenset(f"{e}{k}{n}" for e in "<>" for k in "ui" for n in (2, 4)) | {
    "|u1", "|i1", "<u1", "<i1", ">u1", ">i1"}  # what stable-retro's variable table reads

ONE_PER_PROCESS = (
    "stable-retro allows only one emulator per process and one is already open "
    "({other}); close it first, or run each game in its own process: "
    "open_emulator(rom, backend='retro', subprocess=True) or "
    "eevee.emulator.process.SubprocessEmulator(rom, backend='retro')"
)

_active: weakref.ref[RetroEmulator] | None = None


def button_masks(platform: str) -> np.ndarray:
    """stable-retro button masks for all 1024 :class:`Buttons` sets, shape ``(1024, n)``."""
    order = _RETRO_BUTTONS[platform]
    masks = np.zeros((1024, len(order)), dtype=np.uint8)
    for index, name in enumerate(order):
        if name is None:
            continue
        bit = int(Buttons[name])
        masks[:, index] = (np.arange(1024) & bit) != 0
    return masks


def _import_retro() -> Any:
    try:
        import stable_retro
    except ImportError as exc:  # pragma: no cover - stable-retro is a dependency
        raise BackendUnavailableError(
            f"the retro backend needs stable-retro ({exc}); pip install stable-retro, "
            "or use backend='pyboy' for GB games"
        ) from exc
    return stable_retro


def _plain(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (a name read from a non-UTF-8 disk does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RetroEmulator(Emulator):
    """A GBA (mGBA) or GB (gambatte) game running in this process through stable-retro."""

    backend = "retro"
    rom: RomInfo

    def __init__(self, rom: str | os.PathLike[str] | RomInfo) -> None:
        global _active
        info = rom if isinstance(rom, RomInfo) else load_rom(rom)
        other = _active() if _active is not None else None
        if other is not None and not other._closed:
            raise EmulatorError(ONE_PER_PROCESS.format(other=other.rom.path.name))
        super().__init__(PLATFORMS[info.platform])
        self.rom = info
        self.readable_regions = _READABLE[info.platform]
        self._tmpdir: str | None = None
        retro = _import_retro()
        path = info.path
        if path.suffix.lower() != _RETRO_EXT[info.platform] or not _plain(str(path)):
            # stable-retro picks the core by extension (.agb, .gbc, .sgb ...), and takes
            # its path as UTF-8 text (a file name that is not cannot be passed on)
            self._tmpdir = tempfile.mkdtemp(prefix="eevee-retro-")
            path = Path(self._tmpdir) / f"rom{_RETRO_EXT[info.platform]}"
            if info.data:
                path.write_bytes(info.data)
            else:
                shutil.copyfile(info.path, path)
        self._path = path
        self._retro = retro
        self._masks = button_masks(info.platform)
        self._watched: dict[str, tuple[int, str]] = {}  # variables read by lookup_all
        try:
            self._boot()
        except BaseException:
            self._cleanup_tmp()
            raise
        _active = weakref.ref(self)

    def _boot(self) -> None:
        """Create the stable-retro emulator (power-on). Only one may exist at a time."""
        try:
            self._em: Any = self._retro.RetroEmulator(str(self._path))
        except RuntimeError as exc:
            if "multiple" in str(exc):
                raise EmulatorError(ONE_PER_PROCESS.format(other="not closed yet")) from exc
            raise EmulatorError(f"{self.rom.path}: stable-retro cannot load it ({exc})") from exc
        self._data: Any = self._retro.data.GameData()
        self._em.configure_data(self._data)
        self._memory: Any = self._data.memory
        self._span_block: dict[tuple[int, int], int | None] = {}
        self._registered: Any = None  # the GameData the watched variables are set in
        self._em.set_button_mask(self._masks[0], 0)
        self._buttons = 0

    def _drop(self) -> None:
        self._em = None
        self._data = None
        self._memory = None
        gc.collect()

    # ---- primitives ----------------------------------------------------------------
    def _step(self, buttons: int, frames: int) -> None:
        if buttons != self._buttons:
            self._em.set_button_mask(self._masks[buttons], 0)
            self._buttons = buttons
        step = self._em.step
        for _ in range(frames):
            step()

    def _screen(self) -> np.ndarray:
        screen: np.ndarray = self._em.get_screen()
        return screen

    def _read(self, address: int, size: int) -> bytes:
        if size == 1:
            return bytes((self._memory.extract(address, "|u1"),))
        if size <= _SMALL_READ:
            extract = self._memory.extract
            return bytes(extract(a, "|u1") for a in range(address, address + size))
        blocks = self._memory.blocks
        out = bytearray()
        end = address + size
        cursor = address
        while cursor < end:
            base, block = self._block_at(blocks, cursor)
            take = min(end, base + len(block)) - cursor
            out += bytes(block[cursor - base : cursor - base + take])
            cursor += take
        return bytes(out)

    def variable_reader(
        self, specs: Sequence[tuple[str, int, str]]
    ) -> Callable[[], dict[str, int]] | None:
        if any(t not in _VAR_TYPES for _, _, t in specs):
            return None
        for name, address, type_code in specs:
            self._watched[name] = (address, type_code)
        wanted = frozenset(name for name, _, _ in specs)

        def read() -> dict[str, int]:
            data = self._data
            if self._registered is not data:  # (a new core after reset: register again)
                for name, (address, type_code) in self._watched.items():
                    data.set_variable(name, {"address": address, "type": type_code})
                self._registered = data
            values: dict[str, int] = data.lookup_all()
            if len(values) != len(wanted):  # (another reader's variables too)
                values = {k: v for k, v in values.items() if k in wanted}
            return values

        return read

    def _read_spans(self, spans: Sequence[tuple[int, int]]) -> list[bytes]:
        # one copy of the core's memory (``blocks`` copies it all on each access), sliced
        blocks = self._memory.blocks
        out = []
        where = self._span_block
        for address, size in spans:
            base = where.get((address, size), -1)
            if base == -1:  # (first time: which block holds it, if one does)
                base = where[(address, size)] = next(
                    (b for b, blk in blocks.items()
                     if b <= address and address + size <= b + len(blk)), None)
            if base is None:  # (not in one block: the general path)
                out.append(self._read(address, size))
            else:
                out.append(blocks[base][address - base : address - base + size])
        return out

    def _block_at(self, blocks: dict[int, Any], address: int) -> tuple[int, Any]:
        for base, block in blocks.items():
            if base <= address < base + len(block):
                return base, block
        raise EmulatorError(f"stable-retro exposes no memory at 0x{address:08X}")

    def _write(self, address: int, data: bytes) -> None:
        assign = self._memory.assign
        for offset, value in enumerate(data):
            assign(address + offset, "|u1", value)

    def _save_state(self) -> bytes:
        return bytes(self._em.get_state())

    def _load_state(self, state: bytes) -> None:
        if not self._em.set_state(state):
            raise EmulatorError(
                f"stable-retro rejected a {len(state)}-byte save state; pass bytes from "
                f"save_state() of the same game ({self.rom.path.name}) and backend"
            )

    def _reset(self) -> None:
        # a true power-on: loading a state taken at power-on is one frame off on gambatte
        self._drop()
        self._boot()

    def _close(self) -> None:
        global _active
        self._drop()
        if _active is not None and _active() is self:
            _active = None
        self._cleanup_tmp()

    def _cleanup_tmp(self) -> None:
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            self.close()
