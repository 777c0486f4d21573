"""``eevee play`` works with no model package installed, and asking for a model strategist
then is one clear line that says what to install (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BLOCK = """
import sys
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"openai", "torch", "transformers", "peft", "llama_cpp",
                                  "safetensors", "accelerate"}:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
        return None
sys.meta_path.insert(0, Blocked())
from eevee.cli.main import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"openai", "torch", "transformers"})
assert not heavy, heavy
sys.exit(code)
"""


def eevee(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK, *args], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)


def test_play_needs_no_model_package(tmp_path: Path) -> None:
    r = eevee(tmp_path, "play", "--frames", "300", "--time-mode", "unlocked", "--quiet",
              "--out", str(tmp_path / "run"), "--no-knowledge")
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "run" / "summary.json").exists()


def test_asking_for_a_model_without_the_packages_says_what_to_install(tmp_path: Path) -> None:
    for args in (("--strategist", "openai", "--model-url", "http://127.0.0.1:9/v1",
                  "--model", "m"),
                 ("--strategist", "transformers", "--model", str(tmp_path))):
        r = eevee(tmp_path, "play", "--frames", "60", "--quiet", "--no-knowledge", *args)
        assert r.returncode == 2, r.stderr[-2000:]
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "pip install 'eevee[models]'" in lines[0], r.stderr
        assert "Traceback" not in r.stderr
