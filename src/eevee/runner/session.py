"""One play session: set up, the one frame loop, finish — leaving a complete run folder.

- :func:`setup` opens the game (ROM checks, profile), makes the policy (the three-layer
  agent with a profile or from pixels alone; the wander baseline when a profile reads
  nonsense) and the clock, and starts the run folder;
- :func:`play` runs the frames through :func:`eevee.runner.loop.run_frames`, with the
  low-rate work (event-log writes on a writer thread, health checks, screenshots,
  progress, milestones) between frames;
- :func:`finish` writes the summary, the final state and the last events.

The run stops at the frame limit, when the main quest completes, when the game is found
frozen, or on Ctrl-C — always leaving the run folder complete.
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eevee.agents.baselines import HandPolicy, WanderPolicy
from eevee.agents.policy import Event, Observation, Policy
from eevee.agents.resume import restore
from eevee.agents.resume import state as agent_state
from eevee.agents.three_layer import Agent, AgentConfig
from eevee.emulator.base import Emulator
from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.errors import ConfigError, EeveeError, RecordingError, StorageError
from eevee.profiles import Profile, resolve_profile
from eevee.runner.config import RunConfig
from eevee.runner.live import LiveState
from eevee.runner.loop import Observer, run_frames
from eevee.runner.machine import (
    CHECK_EVERY,
    FLUSH_EVERY,
    PROGRESS_EVERY,
    RSS_EVERY,
    GcTimes,
    RssLog,
    collect,
    paced_gc,
)
from eevee.runner.runlog import RunLog
from eevee.runner.sessions import Autosave, Session, sessions_dir
from eevee.runner.sharing import EVERY as SHARE_EVERY
from eevee.runner.sharing import LiveShare
from eevee.runner.stopping import Stopper
from eevee.runner.summary import RunSummary
from eevee.runner.watch import RunWatch
from eevee.runner.watchdog import FreezeWatch, SanityWatch
from eevee.runner.writer import Writer
from eevee.runtime.clock import Clock
from eevee.strategists import NAMES as STRATEGISTS
from eevee.strategists import Strategist, make_strategist
from eevee.world.stores import Store, open_store

FREEZE_FRAMES = 600  # 10 s of game time unchanged = frozen
KNOWLEDGE_EVERY = 1800  # frames between knowledge-store saves (30 s of game time)


def resolve_rom(name_or_path: str) -> Path:
    """A bundled cartridge name (``quest``) or a ROM path, as a path."""
    from eevee.cartridges import registry

    carts = {c.name: c for c in registry.list_cartridges()}
    if name_or_path in carts and not Path(name_or_path).exists():
        return carts[name_or_path].rom_path
    return Path(name_or_path)


class Switch:
    """A policy that can be swapped for another between frames (a profile found to
    read nonsense hands over to the wander baseline)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.name = policy.name
        self.senses = policy.senses | WanderPolicy.senses
        self.last = 0  # the buttons of the last frame (what the freeze watch was tried with)

    def reset(self, *, seed: int | None = None) -> None:
        self.policy.reset(seed=seed)

    def act(self, obs: Observation) -> int:
        self.last = self.policy.act(obs)
        return self.last

    def drain_events(self) -> list[Event]:
        return self.policy.drain_events()

    def stats(self) -> dict[str, Any]:
        return self.policy.stats()

    def close(self) -> None:
        self.policy.close()


@dataclass
class Run:
    """Everything one session holds while it plays."""

    config: RunConfig
    emu: Emulator
    profile: Profile | None
    policy: Switch
    agent: Agent | None
    clock: Clock
    log: RunLog
    summary: RunSummary
    own_emulator: bool
    header: dict[str, Any] = field(default_factory=dict)  # for the recording
    live: LiveState | None = None  # a dashboard watching
    store: Store | None = None  # what the agent learned outlives the run here
    session: Session | None = None  # a named session this run goes on with
    first: int = 0  # the number of this run's first frame (a resumed session goes on)
    watch: RunWatch | None = None
    share: LiveShare | None = None  # telling and hearing other processes' discoveries
    reached: set[str] = field(default_factory=set)
    areas: set[Any] = field(default_factory=set)
    quest_frame: int | None = None


def setup(config: RunConfig, *, subprocess: bool = False, strategist: Strategist | None = None,
          think_cost_s: float | None = None, emulator: Emulator | None = None,
          live: LiveState | None = None) -> Run:
    """Open the game, make the policy and the clock, start the run folder
    (``live``: a person plays through it when ``config.human``)."""
    from eevee.emulator import open_emulator
    from eevee.emulator.rom import load_rom

    if strategist is None and config.strategist not in STRATEGISTS:
        raise ConfigError(
            f"unknown strategist {config.strategist!r}; available: {', '.join(STRATEGISTS)}"
        )
    rom = load_rom(resolve_rom(config.rom))
    profile = resolve_profile(rom.sha1, config.profile) if config.use_profile else None
    game_name = profile.name if profile else Path(rom.path).stem
    session, save = _session(config, str(Path(rom.path).resolve()), rom.sha1, game_name)
    first = save.frame if save is not None else 0
    run_dir = session.run_folder(first) if session else config.run_dir(game_name)
    log = RunLog(run_dir)
    log.write_bytes("config.json", config.to_json().encode("utf-8"))
    emu = emulator or open_emulator(rom.path, backend=config.backend, subprocess=subprocess)
    if save is not None:
        emu.load_state(save.state)  # (the session goes on where its last autosave was)
    clock = Clock(config.time_mode)  # after the emulator opened: start-up is not a frame
    # no profile: the same agent, its variables estimated from what it sees (the screen
    # and, on GBA, the IO/VRAM/OAM blocks through perception)
    strat = strategist or make_strategist(config.strategist,
                                          profile.hints if profile else {}, config.model)
    agent = Agent(profile, strat, AgentConfig(time_mode=config.time_mode, seed=config.seed,
                                              think_cost_s=think_cost_s), clock,
                  platform=emu.platform.name)
    policy: Policy = agent
    if config.human:
        if live is None:
            raise ConfigError("--human needs the dashboard to play through; add --dashboard")
        agent.close()
        policy = HandPolicy(lambda: live.keys)
        live.human = True
    summary = RunSummary(
        game=game_name, backend=emu.backend,
        agent=("a person (keyboard on the dashboard)" if config.human else
               f"three-layer ({agent.strategist.name} strategist)"
               + ("" if profile else ", pixels only (no profile)")),
        time_mode=config.time_mode.value, run_dir=str(run_dir),
        milestones_total=len(profile.milestones) if profile else 0, first_frame=first,
    )
    log.event(first, "start", rom=str(rom.path), sha1=rom.sha1,
              profile=str(profile.path) if profile else None,
              session=session.name if session else None,
              resumed_from=first if save is not None else None)
    if save is not None and save.agent is not None and not config.human:
        restore(agent, save.agent)
    if profile is None:
        summary.warnings.append("no game profile: playing from pixels only")
    store = None
    if config.knowledge and not config.human:
        store = _knowledge(config, agent, rom.sha1, resumed=save is not None
                           and save.agent is not None, log=log, summary=summary, first=first)
    header = {"rom": str(Path(rom.path).resolve()), "sha1": rom.sha1, "game": game_name,
              "profile": str(profile.path) if profile else None, "seed": config.seed,
              "time_mode": config.time_mode.value, "agent": summary.agent,
              "first_frame": first}
    run = Run(config, emu, profile, Switch(policy), None if config.human else agent, clock,
              log, summary, emulator is None, header, live, store, session, first)
    if save is not None and save.agent is not None:
        run.reached = set(save.agent.get("done", []))
    return run


def _knowledge(config: RunConfig, agent: Agent, sha1: str, *, resumed: bool, log: Any,
               summary: RunSummary, first: int) -> Store | None:
    """The run's knowledge store, after the agent recalled what it knows of the game
    (with ``config.recall``, unless a session resumed with its own). Areas are named by
    the profile's ids, or without a profile by the order this run told them apart: the
    two never mix, and a pixels-only run, whose names hold for itself only, neither
    recalls nor replaces what a run with the profile learned."""
    store = open_store(config.knowledge or "")
    keys = agent.world.keys  # ("profile": the game's area ids; "pixels": this run's)
    if keys == "profile" and not config.recall:
        return store
    doc = store.load(sha1)
    if doc is None:
        return store
    if doc.get("keys", "profile") != keys:
        summary.warnings.append("the knowledge store holds what a run with the game's "
                                "profile learned: this pixels-only run keeps its own "
                                "knowledge to itself")
        return None
    if config.recall and keys == "profile" and not resumed:
        agent.remember(doc)
        log.event(first, "knowledge_loaded", areas=len(doc["areas"]),
                  doors=len(doc["transitions"]), things=len(doc["things"]),
                  leads=len(doc.get("leads", [])))
    return store


def _session(config: RunConfig, rom: str, sha1: str,
             game: str) -> tuple[Session | None, Autosave | None]:
    """The named session this run goes on with (made if new), and its last autosave."""
    if not config.session:
        return None, None
    if config.out:
        raise ConfigError("--session keeps its runs in the session's folder; drop --out")
    session = Session(sessions_dir(), config.session)
    if not session.exists:
        session.create(rom, sha1, game)
        return session, None
    meta = session.meta()
    if meta["sha1"] != sha1:
        raise ConfigError(f"session {config.session!r} plays {meta.get('game')} (ROM SHA-1 "
                          f"{meta['sha1'][:12]}), not this ROM: pick another session name")
    return session, session.latest()


def play(config: RunConfig, *, progress: bool = True, subprocess: bool = False,
         strategist: Strategist | None = None, think_cost_s: float | None = None,
         emulator: Emulator | None = None, stop_on_quest: bool = True,
         live: LiveState | None = None) -> RunSummary:
    """Play one run as ``config`` says and return its summary (also saved to disk).

    ``strategist`` replaces the one ``config.strategist`` names (tests); ``emulator`` an
    already open emulator to play on (tests; it is not closed here); ``live`` where a
    dashboard watches (and, with ``config.human``, a person plays).
    """
    run = setup(config, subprocess=subprocess, strategist=strategist,
                think_cost_s=think_cost_s, emulator=emulator, live=live)
    failure: EeveeError | None = None
    with Stopper() as stopper, paced_gc(run.clock.paced) as gc_times:
        switch = sys.getswitchinterval()
        if run.clock.paced:
            # a strategist thread doing pure-Python work holds the GIL for up to the
            # switch interval (5 ms by default): hand it back to the loop within 0.5 ms
            sys.setswitchinterval(0.0005)
        writer = Writer()  # event log, PNGs, the recording: never in a frame
        rss = RssLog()
        rss.sample(0, run.log)
        t_start = time.perf_counter()
        try:
            failure = _loop(run, writer, rss, stopper, progress, t_start,
                            stop_on_quest and config.until == "quest")
            run.summary.frames = run.first + run.emu.frame
            run.summary.wall_s = time.perf_counter() - t_start
            failure = _save_last(run, writer, failure)
        finally:
            sys.setswitchinterval(switch)
            with contextlib.suppress(Exception):  # (the first error is the one)
                writer.close()
            if run.watch is not None:
                with contextlib.suppress(Exception):
                    run.watch.close(run.emu, "error")  # (a no-op once closed)
            if run.share is not None:
                run.share.close()
            if run.own_emulator:
                run.emu.close()
            run.policy.close()
        if progress:
            _progress(run.summary.frames, max(run.summary.frames, 1), t_start,
                      len(run.areas), len(run.reached))
            sys.stderr.write("\n")
        try:
            summary = finish(run, rss, gc_times)
        except StorageError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure  # (one line on the command line; what was saved before is intact)
    return summary


def _loop(run: Run, writer: Writer, rss: RssLog, stopper: Stopper, progress: bool,
          t_start: float, stop_on_quest: bool) -> EeveeError | None:
    """The frames, with the work between them; a write error, if one stopped them."""
    config = run.config
    run.watch = RunWatch(run.log.folder, run.emu, run.header, run.agent, run.clock, writer,
                         run.live, {"game": run.summary.game,
                                    "time_mode": config.time_mode.value})
    run.watch.stopping = lambda: stopper.reason is not None
    if run.store is not None and run.agent is not None:
        run.share = LiveShare(run.store, run.header["sha1"], run.agent.world,
                              lambda: _keep_knowledge(run, writer))
    between = _between(run, writer, rss, stopper, progress, t_start, stop_on_quest)
    observer = Observer(run.emu, run.profile, run.policy.senses)
    try:
        stats = run_frames(run.emu, run.policy, observer, run.clock, config.frames,
                           first=run.first,
                           between=between,
                           on_miss=lambda f, late: run.log.metric(
                               f, "deadline_miss", late_ms=round(late * 1000.0, 3)),
                           record=run.watch.recorder.push)
        run.summary.stopped_by = stats.stopped_by
    except KeyboardInterrupt:  # (outside the main thread, or before the stopper was on)
        run.summary.stopped_by = "Ctrl-C"
    except (StorageError, RecordingError) as exc:
        run.summary.stopped_by = "write error"
        run.summary.warnings.append(str(exc))
        return exc
    return None


def _save_last(run: Run, writer: Writer, failure: EeveeError | None) -> EeveeError | None:
    """The last events, the recording's end, the last screenshot and the final state —
    each on its own, so one that cannot be written does not lose the others."""
    _drain(run)  # (the last events into the recording before it closes)
    steps = [lambda: _keep_knowledge(run, writer),
             lambda: _autosave(run, writer, run.first + run.emu.frame), writer.close,
             lambda: run.watch.close(run.emu, run.summary.stopped_by) if run.watch else None,
             lambda: run.log.screenshot(run.first + run.emu.frame, run.emu.screen()),
             lambda: run.log.write_bytes("final.state", run.emu.save_state())]
    for step in steps:
        try:
            step()
        except (StorageError, RecordingError) as exc:
            failure = failure or exc
    return failure


def _autosave(run: Run, writer: Writer, frames: int) -> None:
    """A session's autosave after ``frames`` frames: the savestate and the agent's state
    taken now, between frames; written together by the writer thread."""
    if run.session is not None and frames > run.first:
        writer.submit(run.session.autosave, frames, run.emu.save_state(),
                      agent_state(run.agent) if run.agent is not None else None)


def _keep_knowledge(run: Run, writer: Writer) -> None:
    """What the agent knows now, handed to the writer thread for the knowledge store
    (the document is made here, between frames; the store is written there)."""
    if run.store is not None and run.agent is not None:
        writer.submit(run.store.save, run.header["sha1"], run.summary.game,
                      run.agent.knowledge())


def _between(run: Run, writer: Writer, rss: RssLog, stopper: Stopper, progress: bool,
             t_start: float, stop_on_quest: bool) -> Any:
    """The loop's work between frames, as a hook for :func:`run_frames`."""
    profile, log, summary, config = run.profile, run.log, run.summary, run.config
    pending = [m for m in (profile.milestones if profile else [])
               if m.name not in run.reached]  # not yet reached
    freeze = FreezeWatch(CHECK_EVERY, FREEZE_FRAMES)
    autosave_every = max(1, round(config.autosave_s * FRAME_RATE_HZ))
    sanity = SanityWatch(profile.hints if profile else {})

    def between(frame: int, values: dict[str, int] | None) -> str | None:
        nonlocal pending
        freeze.press(run.policy.last)
        if stopper.reason is not None:  # Ctrl-C, SIGTERM, SIGHUP: stop here, cleanly
            return stopper.reason
        if run.watch is not None:
            run.watch.between(frame, run.emu, values)
        if values is not None and values.get("game_mode", 1) != 0:
            area = values.get("area")
            if area is not None and area not in run.areas:
                run.areas.add(area)
                log.event(frame, "area_entered", area=area)
            for m in pending:
                if m.reached(values) and sanity.problem(values) is None:
                    # (nonsense variables earn no credit)
                    run.reached.add(m.name)
                    log.event(frame, "milestone", name=m.name, quest=m.quest)
                    if m.name == "quest_complete":
                        run.quest_frame = frame
            if run.reached and len(pending) + len(run.reached) > summary.milestones_total:
                pending = [m for m in pending if m.name not in run.reached]
        if run.clock.paced and frame % CHECK_EVERY == CHECK_EVERY // 2:
            collect(frame)
        if frame % CHECK_EVERY == 0:
            _drain(run)
            stop = _health(frame, run, values, freeze, sanity)
            if stop is not None:
                return stop
        if (frame + 1) % RSS_EVERY == 0:
            rss.sample(frame + 1, log)
        if (frame + 1) % FLUSH_EVERY == 0:
            # the file write happens on the writer thread, never in a frame
            writer.submit(log.write_events, log.take())
        if (frame + 1) % KNOWLEDGE_EVERY == 0:
            _keep_knowledge(run, writer)
        elif run.share is not None and frame % SHARE_EVERY == 0:
            run.share.poll(frame)  # (a new area told at once; others' merged)
        if run.session is not None and (frame + 1 - run.first) % autosave_every == 0:
            _autosave(run, writer, frame + 1)
        if (frame + 1) % PROGRESS_EVERY == 0 and progress:
            _progress(frame + 1 - run.first, config.frames, t_start, len(run.areas),
                      len(run.reached))
        if config.screenshot_every and frame % config.screenshot_every == 0:
            # encoding a PNG takes longer than a frame: the writer thread does it
            writer.submit(log.screenshot, frame, run.emu.screen().copy())
        if run.quest_frame is not None and stop_on_quest:
            return "quest complete"
        return None

    return between


def _drain(run: Run) -> None:
    events = run.policy.drain_events()
    if run.watch is not None:
        run.watch.events(events)
    for e in events:
        run.log.event(e.frame, "agent_" + e.kind, **dict(e.data))
        if e.kind == "area_entered" and run.profile is None:
            run.areas.add(e.data.get("area"))


def finish(run: Run, rss: RssLog, gc_times: GcTimes) -> RunSummary:
    """The summary, the last events and metrics: the run folder complete."""
    summary, log = run.summary, run.log
    summary.deadline_misses = run.clock.stats.deadline_misses
    rss.sample(summary.frames, log)
    summary.rss_mb = rss.summary()
    order = [m.name for m in run.profile.milestones] if run.profile else []
    summary.milestones_done = [n for n in order if n in run.reached]
    summary.quest_complete = "quest_complete" in run.reached
    _drain(run)
    summary.areas_entered = len(run.areas)
    extra: dict[str, Any] = {"quest_complete_frame": run.quest_frame,
                             "gc": gc_times.summary(), "agent_stats": run.policy.stats()}
    log.event(summary.frames, "stop", reason=summary.stopped_by)
    log.flush()
    log.write_json("summary.json", {**summary.to_dict(), **extra})
    return summary


def _health(frame: int, run: Run, values: dict[str, int] | None, freeze: FreezeWatch,
            sanity: SanityWatch) -> str | None:
    """Low-rate checks: a reason to stop, or None (nonsense variables hand the game to
    the profile-free fallback walk)."""
    log, summary = run.log, run.summary
    ram = tuple(sorted(values.items())) if values is not None else None
    if freeze.check(frame, run.emu.screen().tobytes(), ram) and run.agent is not None:
        # (a person may well leave the game alone for a while)
        log.event(frame, "game_frozen", seconds=FREEZE_FRAMES / 59.7275,
                  tried=freeze.tried())
        summary.warnings.append(
            f"the game stopped responding at frame {frame}: screen and memory unchanged "
            f"for {FREEZE_FRAMES} frames while every button was tried ({freeze.tried()})")
        return "game frozen"
    if values is not None and not isinstance(run.policy.policy,
                                                        (WanderPolicy, HandPolicy)):
        problem = sanity.check(values)
        if problem is not None:
            log.event(frame, "profile_nonsense", problem=problem)
            summary.warnings.append(f"profile variables read nonsense ({problem}); "
                                    "switched to the profile-free fallback walk")
            run.policy.policy.close()
            run.policy.policy = WanderPolicy(seed=run.config.seed)
    return None


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
