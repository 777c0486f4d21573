"""Read a profile's variables from a running emulator with few memory reads.

The reader groups variables into one contiguous span per memory region, read once per
call, so the per-frame cost is a handful of reads instead of one per variable.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from eevee.emulator.base import Emulator, parse_type
from eevee.profiles.profile import Profile

_CODES = {(1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
          (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}


@dataclass(frozen=True)
class _Span:
    start: int
    size: int
    # (name, offset in span, byte size, little-endian, signed)
    fields: tuple[tuple[str, int, int, bool, bool], ...]


class VariableReader:
    """Reads every variable of ``profile`` from ``emu`` in one pass.

    >>> reader = VariableReader(profile)          # doctest: +SKIP
    >>> reader.read(emu)["player_x"]              # doctest: +SKIP
    12
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        groups: dict[int, list[tuple[str, int, int, bool, bool]]] = {}
        # group by 64 KiB page: cheap and keeps spans within a region
        for var in profile.variables.values():
            dtype = parse_type(var.type)
            little = dtype.byteorder in ("<", "|", "=")
            signed = dtype.kind == "i"
            groups.setdefault(var.address >> 16, []).append(
                (var.name, var.address, dtype.itemsize, little, signed)
            )
        spans = []
        for items in groups.values():
            start = min(a for _, a, _, _, _ in items)
            end = max(a + s for _, a, s, _, _ in items)
            fields = tuple((n, a - start, s, le, sg) for n, a, s, le, sg in items)
            spans.append(_Span(start, end - start, fields))
        self._spans = tuple(spans)
        self._emu: Emulator | None = None
        self._fast: Callable[[], dict[str, int]] | None = None
        # one compiled struct per variable of 1, 2, 4 or 8 bytes (one C call each); other
        # sizes are read with int.from_bytes
        self._unpackers = tuple(
            tuple((n, off, struct.Struct(("<" if le else ">") + _CODES[(size, sg)]))
                  for n, off, size, le, sg in sp.fields if (size, sg) in _CODES)
            for sp in spans)
        self._odd = frozenset(n for sp in spans for n, _, size, _, sg in sp.fields
                              if (size, sg) not in _CODES)
        # the (address, size) reads parse() wants, in order
        self.spans: tuple[tuple[int, int], ...] = tuple((s.start, s.size) for s in spans)


    def read(self, emu: Emulator) -> dict[str, int]:
        """Current values of every variable, by name (one call into the backend's own
        variable table where it has one, else one read per memory page)."""
        if emu is not self._emu:
            self._emu = emu
            self._fast = emu.variable_reader(tuple(
                (v.name, v.address, v.type) for v in self.profile.variables.values()))
        if self._fast is not None:
            return self._fast()
        return self.parse(emu.read_spans(self.spans))

    def parse(self, raws: list[bytes]) -> dict[str, int]:
        """Every variable, by name, from the bytes of :attr:`spans`."""
        values: dict[str, int] = {}
        for unpack, raw in zip(self._unpackers, raws, strict=True):
            for name, off, st in unpack:
                values[name] = st.unpack_from(raw, off)[0]
        if not self._odd:
            return values
        for span, raw in zip(self._spans, raws, strict=True):
            for name, off, size, little, signed in span.fields:
                if name not in self._odd:
                    continue
                values[name] = int.from_bytes(
                    raw[off : off + size], "little" if little else "big", signed=signed
                )
        return values

    def milestones(self, values: dict[str, int]) -> dict[str, bool]:
        """Which milestones hold for ``values``."""
        return {m.name: m.reached(values) for m in self.profile.milestones}
