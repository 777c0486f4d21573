"""Read a profile's variables from a running emulator with few memory reads.

The reader groups variables into one contiguous span per memory region, read once per
call, so the per-frame cost is a handful of reads instead of one per variable.
"""

from __future__ import annotations

from dataclasses import dataclass

from eevee.emulator.base import Emulator, parse_type
from eevee.profiles.profile import Profile


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

    def read(self, emu: Emulator) -> dict[str, int]:
        """Current values of every variable, by name."""
        values: dict[str, int] = {}
        for span in self._spans:
            raw = emu.read(span.start, span.size)
            for name, off, size, little, signed in span.fields:
                values[name] = int.from_bytes(
                    raw[off : off + size], "little" if little else "big", signed=signed
                )
        return values

    def milestones(self, values: dict[str, int]) -> dict[str, bool]:
        """Which milestones hold for ``values``."""
        return {m.name: m.reached(values) for m in self.profile.milestones}
