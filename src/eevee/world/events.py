"""The agent's event log: what happened, at which frame, in order (deterministic data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    frame: int
    kind: str
    data: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, "event": self.kind, **dict(self.data)}


@dataclass
class EventLog:
    """Recent events; :meth:`drain` hands new ones to the run log.

    Memory stays bounded in long runs: once more than ``keep`` events are held, events
    already drained (written to the run log) are dropped, oldest first."""

    events: list[Event] = field(default_factory=list)
    keep: int = 4096
    _drained: int = 0

    def add(self, frame: int, kind: str, **data: Any) -> None:
        self.events.append(Event(frame, kind, tuple(sorted(data.items()))))

    def drain(self) -> list[Event]:
        """Events added since the last drain (the session writes them between frames)."""
        new = self.events[self._drained:]
        if len(self.events) > self.keep:
            del self.events[: len(self.events) - self.keep]
        self._drained = len(self.events)
        return new

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def __len__(self) -> int:
        return len(self.events)
