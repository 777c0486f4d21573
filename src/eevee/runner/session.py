"""One play session: open the game, run the agent under the clock, keep the record.

Per frame the loop reads the profile's variables (a few memory reads), asks the agent
for buttons, steps the emulator and ticks the clock; everything else (event log
writes, screenshots, progress output) happens at a low fixed rate between frames.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from eevee.agents.wander import WanderPolicy
from eevee.errors import ConfigError
from eevee.profiles import Profile, VariableReader, resolve_profile
from eevee.runner.config import RunConfig
from eevee.runner.runlog import RunLog
from eevee.runner.summary import RunSummary
from eevee.runtime.clock import Clock

STRATEGISTS = ("builtin",)
FLUSH_EVERY = 600  # frames between event-log flushes and progress updates


def resolve_rom(name_or_path: str) -> Path:
    """A bundled cartridge name (``quest``) or a ROM path, as a path."""
    from eevee.cartridges import registry

    carts = {c.name: c for c in registry.list_cartridges()}
    if name_or_path in carts and not Path(name_or_path).exists():
        return carts[name_or_path].rom_path
    return Path(name_or_path)


def play(config: RunConfig, *, progress: bool = True) -> RunSummary:
    """Play one run as ``config`` says and return its summary (also saved to disk)."""
    from eevee.emulator import open_emulator
    from eevee.emulator.rom import load_rom

    if config.strategist not in STRATEGISTS:
        raise ConfigError(
            f"unknown strategist {config.strategist!r}; available: {', '.join(STRATEGISTS)}"
        )
    rom = load_rom(resolve_rom(config.rom))
    profile: Profile | None = None
    if config.use_profile:
        profile = resolve_profile(rom.sha1, config.profile)
    game_name = profile.name if profile else Path(rom.path).stem
    run_dir = config.run_dir(game_name)
    log = RunLog(run_dir)
    log.write_bytes("config.json", config.to_json().encode("utf-8"))

    policy = WanderPolicy(seed=config.seed)
    clock = Clock(config.time_mode)
    reader = VariableReader(profile) if profile else None
    summary = RunSummary(
        game=game_name,
        backend=config.backend,
        agent="wander (placeholder policy until the three-layer agent lands)",
        time_mode=config.time_mode.value,
        run_dir=str(run_dir),
        milestones_total=len(profile.milestones) if profile else 0,
    )
    log.event(0, "start", rom=str(rom.path), sha1=rom.sha1,
              profile=str(profile.path) if profile else None)
    if profile is None:
        summary.warnings.append("no game profile: playing from pixels only")

    reached: set[str] = set()
    areas: set[int] = set()
    t_start = time.perf_counter()
    with open_emulator(rom.path, backend=config.backend) as emu:
        summary.backend = emu.backend
        try:
            for frame in range(config.frames):
                values = reader.read(emu) if reader else None
                emu.step(policy.act(values, frame))
                clock.tick()
                if values is not None and reader is not None:
                    area = values.get("area")
                    if area is not None and values.get("game_mode", 1) != 0 and area not in areas:
                        areas.add(area)
                        log.event(frame, "area_entered", area=area)
                    for m in reader.profile.milestones:
                        if m.name not in reached and m.reached(values):
                            reached.add(m.name)
                            log.event(frame, "milestone", name=m.name, quest=m.quest)
                if (frame + 1) % FLUSH_EVERY == 0:
                    log.flush()
                    if progress:
                        _progress(frame + 1, config.frames, t_start, len(areas), len(reached))
                if config.screenshot_every and frame % config.screenshot_every == 0:
                    log.screenshot(frame, emu.screen())
        except KeyboardInterrupt:
            summary.stopped_by = "Ctrl-C"
        summary.frames = emu.frame
        summary.wall_s = time.perf_counter() - t_start
        log.screenshot(emu.frame, emu.screen())
        log.write_bytes("final.state", emu.save_state())
    if progress:
        sys.stderr.write("\n")
    summary.deadline_misses = clock.stats.deadline_misses
    summary.areas_entered = len(areas)
    order = [m.name for m in profile.milestones] if profile else []
    summary.milestones_done = [n for n in order if n in reached]
    summary.quest_complete = "quest_complete" in reached
    log.event(summary.frames, "stop", reason=summary.stopped_by)
    log.flush()
    log.write_json("summary.json", summary.to_dict())
    return summary


def _progress(done: int, total: int, t_start: float, areas: int, milestones: int) -> None:
    elapsed = time.perf_counter() - t_start
    fps = done / elapsed if elapsed > 0 else 0.0
    width = 30
    filled = int(width * done / total)
    bar = "#" * filled + "-" * (width - filled)
    sys.stderr.write(
        f"\r[{bar}] {done}/{total} frames  {fps:6.0f} fps  areas {areas}  "
        f"milestones {milestones}"
    )
    sys.stderr.flush()
