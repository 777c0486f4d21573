"""``eevee bench agent``: how well and how cheaply each agent plays each cartridge.

Per cartridge and agent (``builtin`` = the three-layer agent, ``builtin_every30`` = the same
agent deciding every 30th frame (dodge), ``builtin_pixels`` = the pixels-only agent with
no profile at all (quest; :mod:`eevee.agents.pixels`), ``random`` = uniformly random
buttons, ``wander`` = the seeded walker, ``solver`` = the recorded solution): frames to
finish the main quest (its ``quest_complete`` milestone), areas entered, the fraction of
reachable cells seen on screen (of all areas, and of the areas entered, also per area),
tiles stood on, agent work per frame (p50/p99 µs), the whole loop's unlocked fps, the
emulator's raw fps, frames whose agent work overran a frame (would-be deadline misses),
and frames survived (the best run, action cartridges only; null elsewhere, as the map
figures are null for action cartridges). Ground truth (``truth.json``) is read for
scoring only. Each measurement runs in its own process (stable-retro: one emulator per
process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

AGENTS = ("builtin", "builtin_pixels", "random", "wander", "solver", "builtin_every30")
CARTRIDGES = ("quest", "maze", "dodge")
EVERY30_ONLY = ("dodge",)  # builtin_every30 is measured on the action cartridge only
PIXELS_ONLY = ("quest",)  # builtin_pixels (no profile at all) is measured on quest
FRAME_NS = 16_742_706


def _cart(name: str) -> Any:
    from eevee.cartridges import registry

    return {c.name: c for c in registry.list_cartridges()}[name]


def _reachable(truth: dict[str, Any]) -> dict[int, np.ndarray]:
    out = {}
    for a in truth.get("areas") or truth.get("rooms") or []:
        if "reachable" not in a:
            continue
        h = a.get("height") or len(a.get("cells", []))
        w = a.get("width") or (len(a["cells"][0]) if a.get("cells") else 0)
        mask = np.zeros((h, w), dtype=bool)
        for x, y in a["reachable"]:
            mask[y, x] = True
        out[int(a["id"])] = mask
    return out


def measure(cartridge: str, agent_name: str, frames: int = 50_000) -> dict[str, Any]:
    """One (cartridge, agent) measurement, in this process.

    Agents: ``builtin`` (the three-layer agent), ``builtin_every30`` (the same agent
    deciding every 30th frame and holding its buttons in between), ``random``
    (:class:`~eevee.agents.random.RandomPolicy`: uniformly random buttons), ``wander``
    (:class:`~eevee.agents.wander.WanderPolicy`), ``solver`` (the recorded solution).
    """
    from eevee.agents.pixels import PixelAgent
    from eevee.agents.random import RandomPolicy
    from eevee.agents.three_layer import Agent, AgentConfig
    from eevee.agents.wander import WanderPolicy
    from eevee.emulator import Buttons, open_emulator
    from eevee.profiles import VariableReader, load_profile
    from eevee.runtime.clock import TimeMode
    from eevee.strategists import make_strategist

    cart = _cart(cartridge)
    profile = load_profile(cart.profile_path)
    reader = VariableReader(profile)
    truth = json.loads((cart.data_dir / "truth.json").read_text(encoding="utf-8"))
    reach = _reachable(truth)
    seen = {k: np.zeros_like(v) for k, v in reach.items()}
    sc = profile.hint("screen_cells", [15, 10])
    cells = (int(sc[0]), int(sc[1]))
    px = int(profile.hint("cell_pixels", 16))
    finish_m = next((m for m in profile.milestones if m.name == "quest_complete"), None)
    overworld = int(dict(profile.hint("modes", {}) or {}).get("overworld", 1))
    action_game = isinstance(profile.hint("hazards"), dict)
    script: list[int] = []
    if agent_name == "solver":
        sol = json.loads((cart.data_dir / "solver.json").read_text(encoding="utf-8"))
        for name, n in sol["inputs"]:
            script += [int(Buttons.parse(name)) if name else 0] * int(n)
        frames = min(frames, len(script) + 60)
    agent = None
    pixels: PixelAgent | None = None
    every = 30 if agent_name == "builtin_every30" else 1
    policy: RandomPolicy | WanderPolicy | None = None
    if agent_name in ("builtin", "builtin_every30"):
        # virtual time, thinking charged as 0 frames: the builtin strategist takes
        # microseconds, and in line it makes every measurement reproducible
        agent = Agent(profile, make_strategist("builtin", profile.hints),
                      AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0))
    elif agent_name == "builtin_pixels":
        pixels = PixelAgent(profile.platform, seed=0)
    elif agent_name == "random":
        policy = RandomPolicy(seed=0)
    elif agent_name == "wander":
        policy = WanderPolicy(seed=0)
    elif agent_name != "solver":
        raise ValueError(f"unknown agent {agent_name!r}")
    stood: set[tuple[int, int, int]] = set()
    areas: set[int] = set()
    work: list[int] = []
    finish: int | None = None
    best_score = 0
    b = 0
    with open_emulator(cart.rom_path) as emu:
        t_raw = time.perf_counter()
        state = emu.save_state()
        for _ in range(3000):
            emu.step(0)
        raw_fps = 3000 / (time.perf_counter() - t_raw)
        emu.load_state(state)
        t0 = time.perf_counter()
        for f in range(frames):
            v = reader.read(emu)
            raw = None
            if agent is not None and agent.npc_address is not None and f % every == 0:
                raw = emu.read(agent.npc_address, agent.npc_bytes_len)  # memory, not work
            regions = None
            if pixels is not None:  # what the pixels agent gets: screen, IO/VRAM/OAM blocks
                regions = [emu.read_region(r) for r in ("io", "vram", "oam", "palette")]
                screen = emu.screen()
            w0 = time.perf_counter_ns()
            if pixels is not None and regions is not None:
                b = pixels.act(f, screen, *regions)
            elif agent is not None:
                if f % every == 0:
                    b = agent.act(f, v, raw)
            elif script:
                b = script[f] if f < len(script) else 0
            elif policy is not None:
                b = int(policy.act(v, f))
            work.append(time.perf_counter_ns() - w0)
            emu.step(b)
            if action_game:
                best_score = max(best_score, int(v.get("best_score", 0)))
            elif v.get("game_mode") == overworld:
                a = v.get("area", 0)
                areas.add(a)
                stood.add((a, v["player_x"], v["player_y"]))
                if f % 8 == 0 and a in seen:
                    if "camera_x" in v:
                        x0, y0 = v["camera_x"] // px, v["camera_y"] // px
                        seen[a][max(0, y0):max(0, y0 + cells[1] + 1),
                                max(0, x0):max(0, x0 + cells[0] + 1)] = True
                    else:  # the whole room is on screen
                        seen[a][:] = True
            if finish is None and finish_m is not None and finish_m.reached(v):
                finish = f
        wall = time.perf_counter() - t0
    if agent is not None:
        agent.close()
    extra: dict[str, Any] = {}
    if pixels is not None:
        extra["pixels_agent"] = pixels.stats()
        extra["areas_entered_by_agent"] = len(pixels.entered)
    arr = np.asarray(work, dtype=np.float64) / 1000.0
    total = int(sum(int(m.sum()) for m in reach.values()))
    seen_n = int(sum(int((seen[k] & reach[k]).sum()) for k in reach))
    # the share of each entered area's reachable cells that appeared on screen
    ent = [k for k in reach if k in areas]
    ent_total = int(sum(int(reach[k].sum()) for k in ent))
    ent_seen = int(sum(int((seen[k] & reach[k]).sum()) for k in ent))
    by_area = {str(k): round(float((seen[k] & reach[k]).sum()) / max(1, int(reach[k].sum())), 3)
               for k in ent}
    return {
        "frames_to_finish": finish,
        "frames_run": frames,
        "areas_entered": None if action_game else len(areas),
        "seen_fraction": round(seen_n / total, 3) if total and not action_game else None,
        "seen_fraction_entered": (round(ent_seen / ent_total, 3)
                                  if ent_total and not action_game else None),
        "seen_by_area": None if action_game else by_area,
        "tiles_stood_on": None if action_game else len(stood),
        "agent_us_per_frame": {"p50": round(float(np.percentile(arr, 50)), 2),
                               "p99": round(float(np.percentile(arr, 99)), 2)},
        "unlocked_fps": round(frames / wall, 1),
        "raw_fps": round(raw_fps, 1),
        "deadline_misses": int((np.asarray(work) > FRAME_NS).sum()),
        "frames_survived": best_score if action_game else None,
        **extra,
    }


def run_all(
    frames: int = 50_000,
    agents: tuple[str, ...] = AGENTS,
    cartridges: tuple[str, ...] = CARTRIDGES,
) -> dict[str, Any]:
    """Every cartridge × agent, each in a child process (``builtin_every30``: dodge only)."""
    results: dict[str, Any] = {}
    for cart in cartridges:
        results[cart] = {}
        for agent in agents:
            if agent == "builtin_every30" and cart not in EVERY30_ONLY:
                continue
            if agent == "builtin_pixels" and cart not in PIXELS_ONLY:
                continue
            code = ("import json,sys; from eevee.bench.agent import measure; "
                    f"print(json.dumps(measure({cart!r}, {agent!r}, {frames})))")
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  cwd=str(Path.cwd()))
            if proc.returncode != 0:
                tail = proc.stderr.strip().splitlines()[-1:] or ["failed"]
                results[cart][agent] = {"error": tail[0]}
                continue
            results[cart][agent] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results
