"""Kill ``eevee play --session`` with SIGKILL at random moments and resume it each time.

Each round starts (or resumes) a session, lets it play for a random while — in real time
or unlocked, with autosaves every fraction of a second of game time so that many kills
land during an autosave — kills it with SIGKILL, notes the frame of the last complete
autosave (``session.json``), then checks that the next ``eevee play --session`` resumes
from exactly that frame and that the knowledge store is readable. Prints the count.

    python bench/kill_resume.py [--rounds 20] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SESSION = "killed"


def play(data: Path, mode: str, frames: int) -> subprocess.Popen[str]:
    env = {**os.environ, "EEVEE_DATA": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "eevee.cli.main", "play", "--session", SESSION,
         "--time-mode", mode, "--frames", str(frames), "--until", "frames",
         "--autosave-every", "0.5", "--screenshot-every", "0", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def saved_frame(data: Path) -> int:
    meta = data / "sessions" / SESSION / "session.json"
    return int(json.loads(meta.read_text())["frames"]) if meta.is_file() else 0


def resumed_from(data: Path, frames_before: int) -> int | None:
    """The frame the newest run of the session says it resumed from."""
    runs = sorted((data / "sessions" / SESSION).glob("run-*"), key=os.path.getmtime)
    for line in (runs[-1] / "events.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event.get("event") == "start":
            return event.get("resumed_from") or 0
    return None


def knowledge_readable(data: Path) -> bool:
    from eevee.world.store import KnowledgeStore

    store = KnowledgeStore(data / "knowledge")
    return all(store.load(g.sha1) is not None for g in store.games())


def rounds(n: int, seed: int, data: Path) -> int:
    rng = random.Random(seed)
    ok = 0
    for i in range(n):
        mode = "realtime" if i % 2 else "unlocked"
        before = saved_frame(data)
        proc = play(data, mode, 10**6)
        time.sleep(rng.uniform(1.5, 4.0))  # (start-up, then a random moment of play)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        last = saved_frame(data)
        # the next run must resume from exactly the last complete autosave
        check = play(data, "unlocked", 30)
        _, err = check.communicate(timeout=120)
        got = resumed_from(data, last)
        good = (check.returncode == 0 and got == last and last >= before
                and knowledge_readable(data))
        ok += good
        print(f"round {i + 1:2} ({mode:8}): killed after autosave at frame {last:6}; "
              f"resumed from {got}; {'ok' if good else 'FAILED: ' + err.strip()[-200:]}",
              flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ok = rounds(args.rounds, args.seed, Path(tmp))
    print(f"{ok} of {args.rounds} killed runs resumed from their last autosave")
    return 0 if ok == args.rounds else 1


if __name__ == "__main__":
    sys.exit(main())
