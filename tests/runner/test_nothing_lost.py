"""Nothing lost: signals stop a run cleanly, write errors are one line, and what was saved
before a failure stays readable.

Each case runs the real ``eevee play`` command in a child process, as a user would, and
then reads the run folder back: the summary, the event log (a torn last line skipped),
every screenshot, and the recording, which must still replay bit-exactly.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from eevee.replay.reader import read_recording
from eevee.replay.replayer import replay
from eevee.runtime.files import read_jsonl


def _start(out: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "eevee.cli.main", "play", "--time-mode", "unlocked",
         "--frames", "200000", "--until", "frames", "--quiet", "--out", str(out), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_frames(out: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    """Until the run has written events past its start (it is playing)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        events = out / "events.jsonl"
        if events.is_file() and events.stat().st_size > 2000:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("the run never got going")


def _complete(out: Path, stopped_by: str) -> None:
    """The run folder after a clean stop: everything there and readable."""
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stopped_by"] == stopped_by
    assert summary["frames"] > 0
    events = read_jsonl(out / "events.jsonl")
    assert events[0]["event"] == "start" and events[-1]["event"] == "stop"
    assert (out / "final.state").stat().st_size > 1000
    rec = read_recording(out)
    assert rec.frames == summary["frames"] and rec.end is not None
    assert rec.end["stopped_by"] == stopped_by
    assert replay(rec).exact
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize(("sig", "name", "code"), [
    (signal.SIGTERM, "SIGTERM", 143), (signal.SIGHUP, "SIGHUP", 129)])
def test_sigterm_and_sighup_stop_like_ctrl_c(tmp_path: Path, sig: int, name: str,
                                             code: int) -> None:
    out = tmp_path / "run"
    proc = _start(out)
    _wait_for_frames(out, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.strip() == f"eevee: stopped by {name}; the run folder is complete: {out}"
    _complete(out, name)


def test_double_ctrl_c_still_leaves_a_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = _start(out, "--screenshot-every", "30")
    _wait_for_frames(out, proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().endswith(str(out))
    _complete(out, "Ctrl-C")
    for png in (out / "screenshots").iterdir():
        with Image.open(png) as im:
            im.load()  # every screenshot whole


def _play_once(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eevee.cli.main", "play", "--frames", "30",
                           "--time-mode", "unlocked", "--quiet", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_bad_output_folders_are_one_line_and_lose_nothing(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("keep me")
    r = _play_once("--out", str(a_file))
    assert r.returncode == 2 and a_file.read_text() == "keep me"
    assert r.stderr.strip() == f"eevee: error: --out {a_file} is a file, not a folder: " \
                               "choose another --out"
    done = tmp_path / "done"
    assert _play_once("--out", str(done)).returncode == 0
    before = {p.name: p.read_bytes() for p in done.iterdir() if p.is_file()}
    r = _play_once("--out", str(done))
    assert r.returncode == 2 and "already holds a run" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert before == {p.name: p.read_bytes() for p in done.iterdir() if p.is_file()}
    r = _play_once("--out", "/proc/eevee-cannot-be-here/run")  # (read-only, even for root)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith("eevee: error: cannot make the run folder")


@contextlib.contextmanager
def _small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """A real filesystem of ``size_kb`` (a tmpfs; needs root and mount rights)."""
    folder.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                           str(folder)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")
def test_a_full_disk_stops_the_run_with_one_line_and_keeps_what_was_saved(
        tmp_path: Path) -> None:
    with _small_disk(tmp_path / "disk", 320) as disk:
        out = disk / "run"
        proc = _start(out, "--screenshot-every", "20")
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "No space left on device; free some space" in lines[0]
        assert "Traceback" not in err
        json.loads((out / "config.json").read_text())  # saved before: intact
        events = read_jsonl(out / "events.jsonl")
        assert events and events[0]["event"] == "start"
        pngs = list((out / "screenshots").iterdir())
        assert pngs, "no screenshot was saved before the disk filled"
        for png in pngs:
            with Image.open(png) as im:
                im.load()  # no zero-byte or torn PNG
        rec = read_recording(out, partial=True)
        assert rec.frames > 0 and replay(rec).exact
        assert not list(out.rglob("*.tmp"))
