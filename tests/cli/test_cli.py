"""The eevee command as a user runs it: real processes, real files, exit codes."""

from __future__ import annotations

import hashlib
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


def test_bench_agent_runs_seeds_side_by_side_with_the_same_figures_and_sums_them_up(
        ) -> None:
    """--jobs runs children at a time; what they play does not change, and over several
    seeds the table ends with how many finished and the median."""
    args = ("bench", "agent", "--cartridges", "maze", "--agents", "solver,random",
            "--seeds", "0,1", "--frames", "1500")
    serial = eevee(*args, "--json")
    side = eevee(*args, "--json", "--jobs", "2")
    assert serial.returncode == 0 and side.returncode == 0, serial.stderr + side.stderr
    one, two = json.loads(serial.stdout)["maze"], json.loads(side.stdout)["maze"]
    assert sorted(one) == sorted(two) == ["random@0", "random@1", "solver@0", "solver@1"]
    for key in one:
        for figure in ("frames_to_finish", "tiles_stood_on", "areas_entered"):
            assert one[key][figure] == two[key][figure], (key, figure)
    assert one["solver@0"]["frames_to_finish"] is not None
    table = eevee(*args, "--jobs", "2")
    assert table.returncode == 0, table.stderr
    assert "solver          finished 2/2 seeds, median " in table.stdout
    assert "random          finished 0/2 seeds, median None" in table.stdout
    bad = eevee(*args, "--jobs", "0")
    assert_user_error(bad, "--jobs")


def _two_roms(tmp_path: Path) -> Path:
    """A folder holding copies of the quest and maze ROMs, as a user's ROM folder."""
    from eevee.cartridges import registry

    carts = {c.name: c for c in registry.list_cartridges()}
    roms = tmp_path / "roms"
    roms.mkdir()
    for name in ("quest", "maze"):
        src = carts[name].rom_path
        (roms / src.name).write_bytes(src.read_bytes())
    return roms


def test_bench_games_plays_each_rom_against_random_and_says_how_each_run_went(
        tmp_path: Path) -> None:
    roms = _two_roms(tmp_path)
    (roms / "manifest.json").write_text(json.dumps(
        [{"file": "quest.gba", "genre": "topdown_rpg", "has_title": True}]))
    proc = eevee("bench", "games", "--roms", str(roms), "--frames", "2500", "--json",
                 "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert "[4/4]" in proc.stderr  # (the progress line)
    report = json.loads(proc.stdout)
    quest = report["games"]["quest.gba"]
    assert quest["genre"] == "topdown_rpg" and quest["has_title"] is True
    assert report["games"]["maze.gb"]["genre"] is None
    for game in report["games"].values():
        run = game["seeds"]["0"]
        for agent in ("eevee", "random"):
            r = run[agent]
            assert r["ended"] == "frames" and r["frames_run"] == 2500, r
            assert r["stderr_bytes"] == 0 and 1 <= r["screens"] <= r["screens_exact"]
            assert set(r) >= {"past_title", "player_tiles", "longest_same"}
        assert run["screens_ratio"] == round(run["eevee"]["screens"]
                                             / run["random"]["screens"], 2)
    # the agent got past the quest's title and walked
    assert quest["seeds"]["0"]["eevee"]["past_title"] is not None
    assert quest["seeds"]["0"]["eevee"]["player_tiles"] > 5


def test_bench_games_without_roms_is_one_clear_line(tmp_path: Path) -> None:
    assert_user_error(eevee("bench", "games", "--roms", str(tmp_path / "nowhere")),
                      "is not a folder")
    assert_user_error(eevee("bench", "games", "--roms", str(tmp_path)), "no .gb, .gbc")


def test_bench_games_plays_only_the_games_named(tmp_path: Path) -> None:
    """--games picks ROMs of the folder by file name or by name alone; a name that is
    not there is one line that lists what is."""
    roms = _two_roms(tmp_path)
    proc = eevee("bench", "games", "--roms", str(roms), "--frames", "300", "--json",
                 "--games", "maze")
    assert proc.returncode == 0, proc.stderr
    assert list(json.loads(proc.stdout)["games"]) == ["maze.gb"]
    assert_user_error(eevee("bench", "games", "--roms", str(roms), "--games",
                            "maze.gb,zelda"), "--games zelda", "maze.gb, quest.gba")


def test_bench_games_takes_the_random_runs_of_an_earlier_report(tmp_path: Path) -> None:
    """--random-from: the random runs of an earlier report are taken as they are (one
    depends only on the ROM, the seed and the frames) and the rest is played; with
    several seeds the table sums each game up. A report of other frames, a missing file
    or one that is not JSON is one clear line."""
    roms = _two_roms(tmp_path)
    games = ("bench", "games", "--roms", str(roms), "--frames", "300", "--games", "maze")
    first = eevee(*games, "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    played = report["games"]["maze.gb"]["seeds"]["0"]
    played["random"]["screens"] = 1234  # (marked: taken from the file, not played again)
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(report))
    proc = eevee(*games, "--json", "--seeds", "0,1", "--random-from", str(earlier))
    assert proc.returncode == 0, proc.stderr
    assert "[3/3]" in proc.stderr  # (the agent on both seeds, random on seed 1 only)
    again = json.loads(proc.stdout)
    seeds = again["games"]["maze.gb"]["seeds"]
    assert seeds["0"]["random"] == played["random"] and seeds["0"]["eevee"] == played["eevee"]
    assert seeds["0"]["screens_ratio"] == round(played["eevee"]["screens"] / 1234, 2)
    assert seeds["1"]["random"]["frames_run"] == 300 and seeds["1"]["random"]["screens"] < 1234
    assert again["random_from"] == str(earlier)
    both = tmp_path / "both.json"
    both.write_text(proc.stdout)
    summed = eevee(*games, "--seeds", "0,1", "--random-from", str(both))
    assert summed.returncode == 0 and "[2/2]" in summed.stderr, summed.stderr
    mine = sum(r["eevee"]["screens"] for r in seeds.values())
    rand = sum(r["random"]["screens"] for r in seeds.values())
    last = summed.stdout.strip().splitlines()[-1]
    assert last.startswith("maze.gb") and \
        f"all seeds: screens {mine} against random's {rand}" in last
    assert_user_error(eevee("bench", "games", "--roms", str(roms), "--frames", "200",
                            "--random-from", str(earlier)), "300 frames, not 200")
    assert_user_error(eevee(*games, "--random-from", str(tmp_path / "none.json")),
                      "cannot read it")
    (tmp_path / "bad.json").write_text("{")
    assert_user_error(eevee(*games, "--random-from", str(tmp_path / "bad.json")),
                      "is not JSON")
    (tmp_path / "list.json").write_text("[1, 2]")
    assert_user_error(eevee(*games, "--random-from", str(tmp_path / "list.json")),
                      "is not a report of eevee bench games --json")
    assert report["games"]["maze.gb"]["sha1"] == hashlib.sha1(
        (roms / "maze.gb").read_bytes()).hexdigest()
    report["games"]["maze.gb"]["sha1"] = "0" * 40  # (played on another ROM of that name)
    (tmp_path / "other.json").write_text(json.dumps(report))
    assert_user_error(eevee(*games, "--random-from", str(tmp_path / "other.json")),
                      "its maze.gb was another ROM")


def test_a_sprite_that_moves_does_not_make_a_screen_seen_anew() -> None:
    """Distinct screens count places, not frames: a sample that differs from one seen
    before in a few blocks (a sprite stepped, a flower swayed) is that screen again; a
    new room, or a text box over a fifth of the screen, is a new one."""
    import numpy as np

    from eevee.bench.games import SAMPLE, Watcher

    w = Watcher("gb")
    room = np.full((144, 160, 3), 200, np.uint8)
    room[40:56, 40:56] = 0  # the player
    shots = [room]
    for dx in (8, 16, 24):  # the player walks
        moved = np.full_like(room, 200)
        moved[40:56, 40 + dx:56 + dx] = 0
        shots.append(moved)
    boxed = room.copy()
    boxed[112:144] = 30  # a text box over the bottom rows
    other = np.full_like(room, 90)  # another room
    for i, screen in enumerate([*shots, boxed, other, room]):
        w.sample(i * SAMPLE, screen)
    assert len(w.exact) == 6 and len(w.screens) == 3
