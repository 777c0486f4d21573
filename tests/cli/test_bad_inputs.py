"""The bad-input sweep (``bench/bad_inputs.py``): every file, number and profile folder a
user might point ``eevee`` at ends in a clean refusal (exit 2, one line) or a correct
acceptance — no traceback, no hang, no memory blow-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bad_inputs.py"


def test_every_bad_input_ends_well() -> None:
    r = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                       text=True, timeout=900, check=False)
    last = r.stdout.strip().splitlines()[-1]
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "tracebacks 0, hangs 0, memory blow-ups 0" in last, last
