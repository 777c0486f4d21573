"""Run options and records: ``--until frames`` and resident memory in the summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eevee.errors import ConfigError
from eevee.runner.config import RunConfig
from eevee.runner.machine import RssLog, read_rss_mb

SOLVER_FRAMES = 1473


def test_until_frames_plays_on_after_the_quest_and_records_rss(tmp_path: Path) -> None:
    """Through the real command, so the resident memory measured is eevee play's own.

    Virtual time keeps the run deterministic on any machine (unlocked time lets the
    strategist thread race the frames, so progress would depend on the machine's speed).
    """
    frames = 3 * SOLVER_FRAMES + 600
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "eevee.cli.main", "play", "--time-mode", "virtual",
         "--frames", str(frames), "--until", "frames", "--out", str(out),
         "--screenshot-every", "0", "--quiet"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "summary.json").read_text())
    assert data["milestones_done"], "no progress at all in the run"  # no walkthrough
    assert data["stopped_by"] == "frame limit"
    assert data["frames"] == frames
    rss = data["rss_mb"]
    assert 10 < rss["start"] <= rss["max"] < 400
    assert rss["minute_1"] is not None and rss["end"] is not None
    metrics = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    samples = [m for m in metrics if m["metric"] == "rss"]
    assert '"rss"' not in (out / "events.jsonl").read_text()  # machine figures stay out
    assert [e["frame"] for e in samples][:3] == [0, 600, 1200]


def test_until_must_be_quest_or_frames() -> None:
    with pytest.raises(ConfigError, match="--until"):
        RunConfig(until="forever")


def test_rss_summary_growth_between_minute_one_and_ten() -> None:
    log = RssLog()
    log.samples = [(0, 40.0), (3600, 50.0), (35400, 52.5), (35837, 53.0)]
    s = log.summary()
    assert s["minute_1"] == 50.0 and s["minute_10"] == 52.5
    assert s["growth_pct_from_minute_1"] == 5.0
    mb = read_rss_mb()
    assert mb is None or mb > 1
