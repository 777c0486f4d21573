"""``eevee bench emulator``: raw speed of each local backend on each cartridge.

For every (backend, cartridge) pair that can run here it measures, in a fresh child
process (stable-retro allows one emulator per process):

- ``step_fps``: frames per second of ``step`` alone;
- ``screen_fps``: ``step`` + ``screen()``;
- ``reads_fps``: ``step`` + ``screen()`` + 8 profile variable reads;
- ``save_us`` / ``load_us``: median microseconds of ``save_state`` / ``load_state``.

Output: ``{BACKEND: {CARTRIDGE: {"step_fps", "screen_fps", "reads_fps", "save_us",
"load_us"}}}``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

from eevee.emulator.buttons import Buttons

LOCAL_BACKENDS: dict[str, tuple[str, ...]] = {"retro": ("gba", "gb"), "pyboy": ("gb",)}


def measure(backend: str, cartridge: str, frames: int = 3000) -> dict[str, float]:
    """Measure one pair in this process."""
    from eevee.cartridges import get
    from eevee.emulator import open_emulator
    from eevee.profiles import load_profile

    cart = get(cartridge)
    profile = load_profile(cart.profile_path)
    variables = list(profile.variables.values())[:8]
    walk = (Buttons.RIGHT, Buttons.DOWN, Buttons.LEFT, Buttons.UP)
    with open_emulator(cart.rom_path, backend=backend) as emu:
        # leave the title screen so the game is doing real work
        for i in range(180):
            emu.step(Buttons.START if i % 20 < 2 else Buttons.NONE)
        t = time.perf_counter()
        for i in range(frames):
            emu.step(walk[(i >> 6) & 3])
        step_fps = frames / (time.perf_counter() - t)
        n = frames // 2
        t = time.perf_counter()
        for i in range(n):
            emu.step(walk[(i >> 6) & 3])
            emu.screen()
        screen_fps = n / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(n):
            emu.step(walk[(i >> 6) & 3])
            emu.screen()
            for v in variables:
                emu.read_value(v.address, v.type)
        reads_fps = n / (time.perf_counter() - t)
        saves, loads = [], []
        state = emu.save_state()
        for _ in range(30):
            t = time.perf_counter()
            state = emu.save_state()
            saves.append(time.perf_counter() - t)
            t = time.perf_counter()
            emu.load_state(state)
            loads.append(time.perf_counter() - t)
    return {
        "step_fps": round(step_fps, 1),
        "screen_fps": round(screen_fps, 1),
        "reads_fps": round(reads_fps, 1),
        "save_us": round(statistics.median(saves) * 1e6, 1),
        "load_us": round(statistics.median(loads) * 1e6, 1),
    }


def run_all(frames: int = 3000) -> dict[str, dict[str, Any]]:
    """Every local backend on every built cartridge of its platform, one child each."""
    from eevee.cartridges import list_cartridges

    results: dict[str, dict[str, Any]] = {}
    for backend, platforms in LOCAL_BACKENDS.items():
        results[backend] = {}
        for cart in list_cartridges():
            if cart.platform not in platforms or not cart.built:
                continue
            proc = subprocess.run(
                [sys.executable, "-I", "-m", "eevee.bench.emulator", backend, cart.name,
                 str(frames)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                results[backend][cart.name] = {"error": last}
            else:
                results[backend][cart.name] = json.loads(proc.stdout)
    return results


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
