"""The summary of a run: written to ``summary.json`` and printed as a short table."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunSummary:
    game: str
    backend: str
    agent: str
    time_mode: str
    run_dir: str
    frames: int = 0  # the frame count at the end (a resumed session counts on)
    wall_s: float = 0.0
    first_frame: int = 0  # where this run began (0, or a session's last autosave)
    quest_complete: bool = False
    milestones_done: list[str] = field(default_factory=list)
    milestones_total: int = 0
    areas_entered: int = 0
    deadline_misses: int = 0
    stopped_by: str = "frame limit"
    warnings: list[str] = field(default_factory=list)
    rss_mb: dict[str, Any] = field(default_factory=dict)

    @property
    def fps(self) -> float:
        played = self.frames - self.first_frame
        return played / self.wall_s if self.wall_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["fps"] = round(self.fps, 1)
        data["wall_s"] = round(self.wall_s, 3)
        return data

    def table(self) -> str:
        rows = [
            ("game", f"{self.game} ({self.backend})"),
            ("agent", self.agent),
            ("time mode", self.time_mode),
            ("frames", (f"{self.first_frame} → " if self.first_frame else "")
             + f"{self.frames} in {self.wall_s:.1f} s ({self.fps:.0f} fps)"),
            ("quest complete", "yes" if self.quest_complete else "no"),
            ("milestones", f"{len(self.milestones_done)}/{self.milestones_total}"
             + (f" ({', '.join(self.milestones_done)})" if self.milestones_done else "")),
            ("areas entered", str(self.areas_entered)),
            ("deadline misses", str(self.deadline_misses)),
            ("stopped by", self.stopped_by),
            ("memory (RSS)", _rss_row(self.rss_mb)),
            ("run folder", self.run_dir),
        ]
        rows += [("warning", w) for w in self.warnings]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def _rss_row(rss: dict[str, Any]) -> str:
    if not rss:
        return "unknown"
    parts = [f"{k.replace('_', ' ')} {rss[k]} MB" for k in ("minute_1", "minute_10", "end")
             if rss.get(k) is not None]
    return ", ".join(parts) + f" (max {rss.get('max')} MB)"
