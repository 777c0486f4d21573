"""The eevee command as a user runs it: real processes, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


def eevee(
    *args: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eevee.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def assert_user_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("eevee: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_cartridges_list_shows_the_three_games() -> None:
    proc = eevee("cartridges", "list")
    assert proc.returncode == 0, proc.stderr
    for name in ("quest", "dodge", "maze"):
        assert name in proc.stdout


def test_info_on_bundled_quest_names_its_profile() -> None:
    proc = eevee("info", "quest")
    assert proc.returncode == 0, proc.stderr
    assert "GBA" in proc.stdout and "profile" in proc.stdout and "quest" in proc.stdout


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "zip"])
def test_bad_rom_is_one_line_exit_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "game.gba"
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("game.gba", b"\0" * 1024)
    for verb in (("info", str(path)), ("play", str(path), "--frames", "10")):
        assert_user_error(eevee(*verb), str(path))


def test_bad_option_is_one_line_exit_2() -> None:
    assert_user_error(eevee("play", "--time-mode", "warp", "--frames", "5"), "warp")
    assert_user_error(eevee("play", "--strategist", "oracle", "--frames", "5"), "oracle")
    assert_user_error(eevee("cartridges", "build", "zelda"), "zelda")


def test_play_leaves_a_complete_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = eevee("play", "--frames", "900", "--time-mode", "unlocked", "--out", str(out),
                 "--quiet")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    for key in ("frames", "quest_complete", "milestones_done", "areas_entered",
                "deadline_misses"):
        assert key in summary
    assert summary["frames"] == 900
    config = json.loads((out / "config.json").read_text())
    assert config["frames"] == 900 and config["time_mode"] == "unlocked"
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "stop"
    assert (out / "final.state").stat().st_size > 1000
    assert list((out / "screenshots").glob("*.png"))
    assert "quest complete" in proc.stdout


def test_bench_emulator_json_shape() -> None:
    proc = eevee("bench", "emulator", "--json", "--frames", "300")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"retro", "pyboy"}
    assert set(data["retro"]) >= {"quest", "dodge", "maze"}
    assert set(data["pyboy"]) >= {"maze"}
    for carts in data.values():
        for figures in carts.values():
            assert set(figures) == {"step_fps", "screen_fps", "reads_fps", "save_us", "load_us"}
            assert figures["step_fps"] > 60


def test_cartridges_build_names_missing_debian_packages_and_installs_nothing() -> None:
    import os

    env = {**os.environ, "PATH": "/nonexistent"}
    proc = subprocess.run(
        [sys.executable, "-m", "eevee.cli.main", "cartridges", "build"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert_user_error(proc, "gcc-arm-none-eabi", "sdcc", "apt-get install")
