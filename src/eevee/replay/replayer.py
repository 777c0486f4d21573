"""Replay a recording: the same game, the same start state, the same buttons — and check
that the screen and RAM hashes match what was recorded.

No agent and no model is involved: a replay needs only the ROM and the recording.
:func:`replay` reports the first frame whose hashes differ (a diverged replay), and
:func:`open_for` / :func:`frames` let other tools (``eevee video``) walk the same frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eevee.emulator.base import Emulator
from eevee.errors import RecordingError
from eevee.replay.format import state_hashes
from eevee.replay.reader import Recording

STEPPING = frozenset(("retro", "pyboy"))  # backends that step frames exactly


@dataclass(frozen=True)
class ReplayResult:
    """What a replay found: ``frames`` replayed, ``checked`` checkpoints that matched;
    ``diverged_at`` the first frame count whose hashes differ (None: none did)."""

    frames: int
    checked: int
    diverged_at: int | None = None
    detail: str = ""

    @property
    def exact(self) -> bool:
        return self.diverged_at is None

    def line(self) -> str:
        if self.exact:
            return (f"replayed {self.frames} frames: {self.checked} checkpoints of screen "
                    "and RAM match, bit-exact")
        return (f"replay diverged at frame {self.diverged_at}: {self.detail} "
                f"({self.checked} checkpoints matched before it)")


def find_rom(rec: Recording, rom: str | Path | None = None) -> Path:
    """The ROM the recording was made with: ``rom`` if given, else the recorded path, else
    the bundled cartridge with the recorded SHA-1; its SHA-1 must match."""
    want = str(rec.header.get("sha1", ""))
    candidates = [Path(rom)] if rom is not None else [Path(str(rec.header.get("rom", "")))]
    if rom is None:
        from eevee.cartridges.registry import list_cartridges

        candidates += [c.rom_path for c in list_cartridges()]
    for path in candidates:
        if path.is_file() and (not want or _sha1(path) == want):
            return path
    if rom is not None:
        raise RecordingError(f"{rom} is not the ROM this run was recorded with (SHA-1 "
                             f"{want}): give that ROM with --rom")
    raise RecordingError(f"the ROM of this recording ({rec.header.get('rom')}, SHA-1 {want}) "
                         "is not there: give it with --rom PATH")


def _sha1(path: Path) -> str:
    """The ROM's SHA-1 as :func:`~eevee.emulator.rom.load_rom` gives it ("" for a file
    that is no ROM)."""
    from eevee.emulator.rom import load_rom
    from eevee.errors import RomError

    try:
        return load_rom(path).sha1
    except RomError:
        return ""


def open_for(rec: Recording, *, rom: str | Path | None = None,
             backend: str | None = None) -> Emulator:
    """An emulator on the recording's game, at its start state."""
    from eevee.emulator import open_emulator

    name = backend or str(rec.header.get("backend", "auto"))
    if name not in STEPPING:
        raise RecordingError(f"this run was recorded on the {name} backend, which does not "
                             f"step frames itself; replay it with --backend "
                             f"{'retro' if rec.header.get('platform') == 'gba' else 'pyboy'}")
    emu = open_emulator(find_rom(rec, rom), backend=name)
    try:
        emu.load_state(rec.start_state)
    except Exception:
        emu.close()
        raise
    return emu


def frames(rec: Recording, emu: Emulator, *, first: int = 0,
           last: int | None = None) -> Iterator[int]:
    """Step ``emu`` through the recorded buttons, yielding the number of frames stepped
    after each frame from ``first`` on (the screen is then the frame's picture)."""
    end = rec.frames if last is None else min(last, rec.frames)
    buttons = rec.buttons
    if first > 0:  # run up to ``first`` in runs of equal buttons (faster)
        i = 0
        while i < min(first, end):
            j = i + 1
            while j < first and buttons[j] == buttons[i]:
                j += 1
            emu.step(int(buttons[i]), frames=j - i)
            i = j
    for i in range(first, end):
        emu.step(int(buttons[i]))
        yield i + 1


def hashes_now(emu: Emulator, rec: Recording) -> bytes:
    regions = emu.platform.regions
    names = rec.header.get("hashed_ram") or []
    ram = emu.read_spans([(regions[n].start, regions[n].size) for n in names])
    return state_hashes(np.ascontiguousarray(emu.screen()).tobytes(), ram)


def replay(rec: Recording, *, rom: str | Path | None = None, backend: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> ReplayResult:
    """Replay ``rec`` and check every recorded checkpoint (see the module doc)."""
    checked = 0
    with open_for(rec, rom=rom, backend=backend) as emu:
        for n in frames(rec, emu):
            want = rec.checks.get(n)
            if want is not None:
                got = hashes_now(emu, rec)
                if got != want:
                    what = [w for w, a, b in (("the screen", got[:8], want[:8]),
                                              ("the RAM", got[8:], want[8:])) if a != b]
                    return ReplayResult(n, checked, n, " and ".join(what) + " differ")
                checked += 1
            if progress is not None and n % 600 == 0:
                progress(n, rec.frames)
    return ReplayResult(rec.frames, checked)
