"""Every run records itself, and ``eevee replay`` reproduces it bit for bit.

The agent plays each bundled cartridge on each backend that steps frames; the replay
(no agent) steps the recorded buttons from the recorded start state and must match the
screen and RAM hashes taken during the run. A damaged recording is one clear error that
names the frame where it breaks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eevee.errors import RecordingError
from eevee.replay.format import CHECK, MAGIC, chunk, iter_chunks
from eevee.replay.reader import read_recording
from eevee.replay.recorder import RECORDING
from eevee.replay.replayer import replay
from eevee.runner.config import RunConfig
from eevee.runner.session import play
from eevee.runtime.clock import TimeMode


def _run(tmp: Path, rom: str, backend: str, frames: int) -> Path:
    out = tmp / f"{rom}-{backend}"
    config = RunConfig(rom=rom, backend=backend, time_mode=TimeMode.VIRTUAL, frames=frames,
                       out=str(out), screenshot_every=0, until="frames")
    play(config, progress=False)
    return out


@pytest.mark.parametrize(("rom", "backend", "frames"), [
    ("quest", "retro", 1500), ("dodge", "retro", 900), ("maze", "retro", 1200),
    ("maze", "pyboy", 1200)])
def test_agent_runs_replay_bit_exactly(tmp_path: Path, rom: str, backend: str,
                                       frames: int) -> None:
    out = _run(tmp_path, rom, backend, frames)
    rec = read_recording(out)
    assert rec.frames == frames and rec.end == {"frames": frames, "stopped_by": "frame limit"}
    assert rec.header["backend"] == backend
    assert len(rec.checks) == frames // 60 + (1 if frames % 60 else 0)
    assert len(set(rec.buttons.tolist())) > 2, "the agent pressed next to nothing"
    if rom != "dodge":  # the agent's decisions and views ride along
        kinds = {d["kind"] for d in rec.decisions}
        assert {"objective", "view", "maps"} <= kinds
    # compact: a few bytes a frame beside the (compressed) start state
    size = (out / RECORDING).stat().st_size
    assert size < 60_000 + 40 * frames, size
    result = replay(rec)
    assert result.exact, result.line()
    assert result.frames == frames and result.checked == len(rec.checks)


def test_a_replay_that_differs_says_where(tmp_path: Path) -> None:
    rec = read_recording(_run(tmp_path, "maze", "pyboy", 600))
    wrong = dict(rec.checks)
    wrong[300] = bytes(16)  # as if the run had shown something else at frame 300
    rec.checks = wrong
    result = replay(rec)
    assert not result.exact and result.diverged_at == 300
    assert "the screen and the RAM differ" in result.line()
    assert result.checked == 4  # (frames 60 .. 240 matched)
    rec.checks = {}
    rec.buttons = np.full_like(rec.buttons, 0x80)  # other buttons: another game
    rec.checks = read_recording(rec.path).checks
    assert not replay(rec).exact


def test_damaged_recordings_name_the_frame(tmp_path: Path) -> None:
    out = _run(tmp_path, "maze", "pyboy", 900)
    data = (out / RECORDING).read_bytes()
    offsets = [(c.offset, c.frame, c.kind) for c in iter_chunks(data)]
    off = next(o[0] for o in offsets if o[2] == CHECK and o[1] == 480)
    # a flipped bit inside the checkpoint for frame 480
    bad = bytearray(data)
    bad[off + 12] ^= 0x10
    (tmp_path / "flipped.eevr").write_bytes(bytes(bad))
    with pytest.raises(RecordingError, match="corrupt at frame 480"):
        read_recording(tmp_path / "flipped.eevr")
    # cut short (a killed run): an error, unless asked for what is left
    (tmp_path / "cut.eevr").write_bytes(data[:off + 5])
    with pytest.raises(RecordingError, match=r"truncated at frame \d+"):
        read_recording(tmp_path / "cut.eevr")
    part = read_recording(tmp_path / "cut.eevr", partial=True)
    assert part.broken and 420 <= part.frames <= 480
    assert replay(part).exact
    # not a recording at all; the end mark missing
    (tmp_path / "junk.eevr").write_bytes(b"hello")
    with pytest.raises(RecordingError, match="not an Eevee recording"):
        read_recording(tmp_path / "junk.eevr")
    end = next(o for o in offsets if o[2] == b"E")[0]
    (tmp_path / "noend.eevr").write_bytes(data[:end])
    with pytest.raises(RecordingError, match="without its end mark"):
        read_recording(tmp_path / "noend.eevr")
    assert chunk(b"E", 1, b"{}").startswith(b"E") and data.startswith(MAGIC)


def test_cli_replay_exit_codes(tmp_path: Path) -> None:
    out = _run(tmp_path, "maze", "pyboy", 300)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "eevee.cli.main", "replay", *args,
                               "--quiet"], capture_output=True, text=True, timeout=120,
                              check=False)

    ok = cli(str(out))
    assert ok.returncode == 0 and "bit-exact" in ok.stdout, ok.stderr
    data = (out / RECORDING).read_bytes()
    (tmp_path / "cut.eevr").write_bytes(data[:-7])
    bad = cli(str(tmp_path / "cut.eevr"))
    assert bad.returncode == 2
    assert bad.stderr.startswith("eevee: error: recording truncated at frame 300")
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    missing = cli(str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no recording at" in missing.stderr
