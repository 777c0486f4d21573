"""One play session: open the game, run the agent under the clock, keep the record.

Per frame the loop reads the profile's variables (a few memory reads), asks the agent
for buttons, steps the emulator and ticks the clock; everything else (event log
writes, health checks, screenshots, progress output) happens at a low fixed rate
between frames. The run stops at the frame limit, when the main quest completes, when
the game is found frozen, or on Ctrl-C — always leaving the run folder complete.
"""

from __future__ import annotations

import gc
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from eevee.agents.pixels import PixelAgent
from eevee.agents.three_layer import Agent, AgentConfig
from eevee.agents.wander import WanderPolicy
from eevee.emulator.base import Emulator
from eevee.errors import ConfigError
from eevee.profiles import Profile, VariableReader, resolve_profile
from eevee.runner.config import RunConfig
from eevee.runner.runlog import RunLog
from eevee.runner.summary import RunSummary
from eevee.runner.watchdog import FreezeWatch, SanityWatch
from eevee.runtime.clock import Clock
from eevee.strategists import NAMES as STRATEGISTS
from eevee.strategists import Strategist, make_strategist

FLUSH_EVERY = 600  # frames between event-log flushes and progress updates
RSS_EVERY = 600  # frames between resident-memory samples (never on the per-frame path)
MINUTE_FRAMES = 3584  # one minute of game time at 59.7275 Hz
CHECK_EVERY = 60  # frames between health checks (frozen game, nonsense variables)
FREEZE_FRAMES = 600  # 10 s of game time unchanged = frozen


def resolve_rom(name_or_path: str) -> Path:
    """A bundled cartridge name (``quest``) or a ROM path, as a path."""
    from eevee.cartridges import registry

    carts = {c.name: c for c in registry.list_cartridges()}
    if name_or_path in carts and not Path(name_or_path).exists():
        return carts[name_or_path].rom_path
    return Path(name_or_path)


def play(
    config: RunConfig,
    *,
    progress: bool = True,
    subprocess: bool = False,
    strategist: Strategist | None = None,
    think_cost_s: float | None = None,
    emulator: Emulator | None = None,
    stop_on_quest: bool = True,
) -> RunSummary:
    """Play one run as ``config`` says and return its summary (also saved to disk).

    ``strategist`` replaces the one ``config.strategist`` names (tests); ``emulator`` an
    already open emulator to play on (tests; it is not closed here).
    """
    from eevee.emulator import open_emulator
    from eevee.emulator.rom import load_rom

    if strategist is None and config.strategist not in STRATEGISTS:
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

    reader = VariableReader(profile) if profile else None
    wander = WanderPolicy(seed=config.seed)
    emu = emulator or open_emulator(rom.path, backend=config.backend, subprocess=subprocess)
    clock = Clock(config.time_mode)  # after the emulator opened: start-up is not a frame
    agent: Agent | None = None
    pixels: PixelAgent | None = None
    regions: tuple[str, ...] = ()
    if profile is None:
        # no profile: the pixels-only agent plays from the screen (and, on GBA, the BG
        # scroll registers and the sprite table through perception)
        pixels = PixelAgent(emu.platform.name, seed=config.seed)
        regions = _pixel_regions(emu)
    else:
        strat = strategist or make_strategist(config.strategist, profile.hints)
        agent = Agent(profile, strat,
                      AgentConfig(time_mode=config.time_mode, seed=config.seed,
                                  think_cost_s=think_cost_s), clock)
    switch = sys.getswitchinterval()
    if clock.paced:
        # a strategist thread doing pure-Python work holds the GIL for up to the switch
        # interval (5 ms by default): hand it back to the frame loop within 0.5 ms
        sys.setswitchinterval(0.0005)
    gc.collect()
    gc.freeze()  # start-up objects never need scanning again: short collections in the loop
    # paced play: no collection may start inside a frame's work (the agent allocates a
    # little every frame, and gen-0 thresholds would land collections anywhere); they run
    # at a low fixed rate between frames instead (see ``_collect``)
    gc_paused = clock.paced and gc.isenabled()
    gc_times = GcTimes()
    gc.callbacks.append(gc_times)
    if gc_paused:
        gc.disable()
    summary = RunSummary(
        game=game_name,
        backend=config.backend,
        agent=(f"three-layer ({agent.strategist.name} strategist)" if agent
               else "pixels only (no profile)" if pixels else "wander"),
        time_mode=config.time_mode.value,
        run_dir=str(run_dir),
        milestones_total=len(profile.milestones) if profile else 0,
    )
    log.event(0, "start", rom=str(rom.path), sha1=rom.sha1,
              profile=str(profile.path) if profile else None)
    if profile is None:
        summary.warnings.append("no game profile: playing from pixels only")

    reached: set[str] = set()
    pending = list(profile.milestones) if profile else []  # not yet reached: checked per frame
    n_milestones = len(pending)
    areas: set[int] = set()
    freeze = FreezeWatch(CHECK_EVERY, FREEZE_FRAMES)
    sanity = SanityWatch(profile.hints if profile else {})
    t_start = time.perf_counter()
    quest_frame: int | None = None
    distrust = False
    shots = ThreadPoolExecutor(1, thread_name_prefix="writer")  # PNGs, event log
    stop_on_quest = stop_on_quest and config.until == "quest"
    rss = RssLog()
    rss.sample(0, log)
    try:
        summary.backend = emu.backend
        npc_addr = agent.npc_address if agent else None
        npc_len = agent.npc_bytes_len if agent else 0
        try:
            def decide(frame: int) -> tuple[dict[str, int] | None, int]:
                """The game's state as the next frame starts, and the buttons for it."""
                values = reader.read(emu) if reader else None
                if agent is not None and values is not None and not distrust:
                    npc = emu.read(npc_addr, npc_len) if npc_addr is not None else None
                    return values, agent.act(frame, values, npc)
                if pixels is not None:
                    blocks = [emu.read_region(r) for r in regions]
                    return values, pixels.act(frame, emu.screen(), *blocks)
                return values, int(wander.act(values, frame))

            values, buttons = decide(0)
            for frame in range(config.frames):
                emu.step(buttons)
                if frame == 0 and clock.paced:
                    clock.pause()  # the first frame warms the emulator up: not charged
                    clock.resume()
                if values is not None and reader is not None:
                    area = values.get("area")
                    if area is not None and values.get("game_mode", 1) != 0 and area not in areas:
                        areas.add(area)
                        log.event(frame, "area_entered", area=area)
                    for m in pending:
                        if m.reached(values) and sanity.problem(values) is None:
                            # (nonsense variables earn no credit)
                            reached.add(m.name)
                            log.event(frame, "milestone", name=m.name, quest=m.quest)
                            if m.name == "quest_complete":
                                quest_frame = frame
                    if len(reached) + len(pending) > n_milestones:
                        pending = [m for m in pending if m.name not in reached]
                if gc_paused and frame % CHECK_EVERY == CHECK_EVERY // 2:
                    _collect(frame)
                if frame % CHECK_EVERY == 0:
                    if pixels is not None:
                        for f, kind, data in pixels.drain_events():
                            log.event(f, "agent_" + kind, **data)
                            if kind == "area_entered":
                                areas.add(int(data["area"]))
                    if agent is not None:
                        for e in agent.world.events.drain():
                            log.event(e.frame, "agent_" + e.kind, **dict(e.data))
                    if _health(frame, emu, values, freeze, sanity, log, summary):
                        if summary.stopped_by == "game frozen":
                            break
                        distrust = True  # nonsense variables: stop trusting the profile
                if (frame + 1) % RSS_EVERY == 0:
                    rss.sample(frame + 1, log)
                if (frame + 1) % FLUSH_EVERY == 0:
                    # the file write happens on the writer thread, never in a frame
                    shots.submit(log.write_events, log.take())
                    if progress:
                        _progress(frame + 1, config.frames, t_start, len(areas), len(reached))
                if config.screenshot_every and frame % config.screenshot_every == 0:
                    # encoding a PNG takes longer than a frame: a writer thread does it
                    shots.submit(log.screenshot, frame, emu.screen().copy())
                if quest_frame is not None and stop_on_quest:
                    summary.stopped_by = "quest complete"
                    break
                if frame + 1 < config.frames:
                    # the next frame's decision, from the state this step left, made now
                    # rather than after the wait: the same inputs and buttons, but the
                    # work runs on a CPU that is already busy, not one just woken up
                    values, buttons = decide(frame + 1)
                late = clock.tick()
                if late:
                    log.metric(frame, "deadline_miss", late_ms=round(late * 1000.0, 3))
        except KeyboardInterrupt:
            summary.stopped_by = "Ctrl-C"
        summary.frames = emu.frame
        summary.wall_s = time.perf_counter() - t_start
        shots.shutdown(wait=True)
        log.screenshot(emu.frame, emu.screen())
        log.write_bytes("final.state", emu.save_state())
    finally:
        sys.setswitchinterval(switch)
        if gc_times in gc.callbacks:
            gc.callbacks.remove(gc_times)
        gc.unfreeze()  # the frozen objects are ordinary again once the loop is over
        if gc_paused:
            gc.enable()
        shots.shutdown(wait=True)
        if emulator is None:
            emu.close()
        if agent is not None:
            agent.close()
    if progress:
        _progress(summary.frames, max(summary.frames, 1), t_start, len(areas), len(reached))
        sys.stderr.write("\n")
    summary.deadline_misses = clock.stats.deadline_misses
    rss.sample(summary.frames, log)
    summary.rss_mb = rss.summary()
    summary.areas_entered = len(areas)
    order = [m.name for m in profile.milestones] if profile else []
    summary.milestones_done = [n for n in order if n in reached]
    summary.quest_complete = "quest_complete" in reached
    extra: dict[str, Any] = {"quest_complete_frame": quest_frame, "gc": gc_times.summary()}
    if agent is not None:
        for e in agent.world.events.drain():
            log.event(e.frame, "agent_" + e.kind, **dict(e.data))
        extra["agent_stats"] = agent.stats()
    if pixels is not None:
        for f, kind, data in pixels.drain_events():
            log.event(f, "agent_" + kind, **data)
            if kind == "area_entered":
                areas.add(int(data["area"]))
        summary.areas_entered = len(areas)
        extra["agent_stats"] = pixels.stats()
    log.event(summary.frames, "stop", reason=summary.stopped_by)
    log.flush()
    log.write_json("summary.json", {**summary.to_dict(), **extra})
    return summary


class GcTimes:
    """The longest garbage collection per generation, in ms (``gc.callbacks``): what a
    collection between frames costs the next frame's budget."""

    def __init__(self) -> None:
        self.worst_ms = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._t = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._t = time.perf_counter()
            return
        g = int(info.get("generation", 0))
        ms = (time.perf_counter() - self._t) * 1000.0
        self.count[g] += 1
        if ms > self.worst_ms[g]:
            self.worst_ms[g] = ms

    def summary(self) -> dict[str, Any]:
        return {f"gen{g}": {"count": self.count[g], "worst_ms": round(self.worst_ms[g], 3)}
                for g in range(3)}


def _collect(frame: int) -> None:
    """The garbage collection paced play does between frames: the young generation
    every second, the middle one every ten, everything (start-up objects stay frozen)
    every minute — each short, and never inside a frame's work. What survives a full
    collection is long-lived (the world model, caches): it is frozen too, so the next
    full collection scans only the minute's new objects (7 ms → well under 1 ms on a
    ten-minute quest run)."""
    if frame % MINUTE_FRAMES < CHECK_EVERY:
        gc.collect()
        gc.freeze()
    elif frame % FLUSH_EVERY < CHECK_EVERY:
        gc.collect(1)
    else:
        gc.collect(0)


def _pixel_regions(emu: Emulator) -> tuple[str, ...]:
    """The memory blocks perception may use besides the screen: GBA IO (BG scroll),
    VRAM, OAM and palette (sprite boxes), when the backend can read them."""
    names = ("io", "vram", "oam", "palette")
    if emu.platform.name != "gba":
        return ()
    ok = emu.readable_regions
    if ok is not None and not all(n in ok for n in names):
        return ()
    return names


def read_rss_mb() -> float | None:
    """This process's resident memory in MB (``VmRSS`` of /proc/self/status), if known."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


class RssLog:
    """Resident-memory samples taken between frames, every ``RSS_EVERY`` frames."""

    def __init__(self) -> None:
        self.samples: list[tuple[int, float]] = []

    def sample(self, frame: int, log: RunLog) -> None:
        mb = read_rss_mb()
        if mb is None:
            return
        self.samples.append((frame, mb))
        log.metric(frame, "rss", mb=round(mb, 1))

    def at(self, frame: int) -> float | None:
        """The first sample at or after ``frame`` (None when the run ended before)."""
        return next((round(mb, 1) for f, mb in self.samples if f >= frame), None)

    def summary(self) -> dict[str, Any]:
        if not self.samples:
            return {}
        m1, m10 = self.at(MINUTE_FRAMES), self.at(10 * MINUTE_FRAMES - RSS_EVERY)
        growth = None
        if m1 is not None:
            last = m10 if m10 is not None else round(self.samples[-1][1], 1)
            growth = round(100.0 * (last - m1) / m1, 2) if m1 else None
        return {
            "start": round(self.samples[0][1], 1),
            "minute_1": m1,
            "minute_10": m10,
            "end": round(self.samples[-1][1], 1),
            "max": round(max(mb for _, mb in self.samples), 1),
            "growth_pct_from_minute_1": growth,
        }


def _health(
    frame: int, emu: Emulator, values: dict[str, int] | None, freeze: FreezeWatch,
    sanity: SanityWatch, log: RunLog, summary: RunSummary,
) -> bool:
    """Low-rate checks; True when the run must change course (see ``summary``)."""
    ram = tuple(sorted(values.items())) if values is not None else None
    if freeze.check(frame, emu.screen().tobytes(), ram):
        log.event(frame, "game_frozen", seconds=FREEZE_FRAMES / 59.7275)
        summary.warnings.append(
            f"the game stopped responding at frame {frame}: screen and memory unchanged "
            f"for {FREEZE_FRAMES} frames")
        summary.stopped_by = "game frozen"
        return True
    if values is not None:
        problem = sanity.check(values)
        if problem is not None:
            log.event(frame, "profile_nonsense", problem=problem)
            summary.warnings.append(f"profile variables read nonsense ({problem}); "
                                    "switched to the profile-free fallback walk")
            return True
    return False


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
