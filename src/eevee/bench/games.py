"""``eevee bench games``: real games the agent has never seen, pixels only, against random.

Each ROM in a folder (``.gb``, ``.gbc``, ``.gba``) is played by the three-layer agent with
no profile (the screen and the memory blocks perception reads, nothing else) and by the
random baseline, for the same frames and seed, each in a child process (stable-retro
allows one core per process). A watcher that both runs share, and that neither reads,
counts per run:

- ``past_title``: the first frame the player was seen to walk under the d-pad (None:
  never), from the same perception the agent uses, run beside either policy;
- ``screens``: distinct screens, each the 8 × 8-pixel block means of the grey screen in
  steps of 16, sampled every :data:`SAMPLE` frames; a sample is a new screen when it
  differs from every screen seen before in more than
  :data:`~eevee.reactive.novelty.SAME_AT_MOST` of its blocks
  (a sprite that moved, a flower that sways, an NPC that paced do not make a place seen
  anew: counted exactly, standing still among animated tiles "saw" a new screen every
  sample); ``screens_exact``: samples that differ in any block;
- ``player_tiles``: distinct (area, cell) the player was seen to stand on;
- ``longest_same``: the longest run of frames, sampled every :data:`SAMPLE`, over which the
  screen stayed exactly the same;
- ``ended``: ``frames`` (ran them all), or the watchdog's ``game frozen`` (nothing changed
  for :data:`~eevee.runner.session.FREEZE_FRAMES` frames while every button was tried), or
  ``error``; ``stderr``: what the child wrote on stderr (nothing, for a clean run).

A ``manifest.json`` in the folder (a list of ``{"file", "genre", "has_title", ...}``)
adds what each game is to the report, so the table says which rows must beat random by
how much; it is data about the games, never read by the agent.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from eevee.bench.agent import Wrapped
from eevee.errors import ConfigError
from eevee.reactive.novelty import Screens
from eevee.reactive.prodder import block_key

SAMPLE = 30  # frames between screen samples
EXTENSIONS = (".gb", ".gbc", ".gba")
AGENTS = ("eevee", "random")


def screen_key(screen: np.ndarray) -> bytes:
    """The screen as its 8 × 8 blocks' mean grey in steps of 16 (what counts as a
    distinct screen; :func:`~eevee.reactive.prodder.block_key`)."""
    return block_key(screen, 16)


class Watcher:
    """What the bench counts, from the emulator and the buttons, beside any policy."""

    def __init__(self, platform: str) -> None:
        from eevee.agents.estimate import Estimate
        from eevee.agents.senses import Senses
        from eevee.world import WorldModel

        self.sight = Senses(platform, WorldModel(keys="pixels"))
        self.estimate = Estimate(16)
        self.past_title: int | None = None
        self.exact: set[bytes] = set()
        self.screens = Screens(keep=None)  # the distinct screens' block keys
        self.tiles: set[tuple[int, int, int]] = set()
        self.longest_same = 0
        self._last: bytes | None = None
        self._same_since = 0

    def see(self, frame: int, screen: np.ndarray, memory: Any, buttons: int) -> None:
        """Every frame: where the player is (the estimate follows every step)."""
        from eevee.perception.screenkind import ScreenKind

        self.sight.perceive(screen, memory, None, buttons)
        p = self.sight.percept
        if p is None:
            return
        v = self.estimate.update(p, buttons)
        if self.estimate.played and p.kind is ScreenKind.OVERWORLD:
            if self.past_title is None:
                self.past_title = frame
            self.tiles.add((v["area"], v["player_x"], v["player_y"]))
        self.sample(frame, screen)

    def sample(self, frame: int, screen: np.ndarray) -> None:
        """Every :data:`SAMPLE` frames: a distinct screen? The same as the last?"""
        if frame % SAMPLE == 0:
            key = screen_key(screen)
            if key not in self.exact:
                self.exact.add(key)
                self._distinct(np.frombuffer(key, np.uint8))
            raw = screen.tobytes()
            if raw != self._last:
                self._last, self._same_since = raw, frame
            self.longest_same = max(self.longest_same, frame - self._same_since)


    def _distinct(self, key: np.ndarray) -> None:
        """Count ``key`` as a screen unless one seen before is the same but for at most
        :data:`~eevee.reactive.novelty.SAME_AT_MOST` of its blocks."""
        if not self.screens.known(key):
            self.screens.remember(key)


class _Watched(Wrapped):
    """The policy, with the watcher told of each frame and its buttons."""

    def __init__(self, inner: Any, watcher: Watcher) -> None:
        from eevee.agents.policy import MEMORY, SCREEN

        super().__init__(inner)
        self.watcher = watcher
        self.senses = inner.senses | frozenset((SCREEN, MEMORY))
        self.last = 0

    def act(self, obs: Any) -> int:
        self.watcher.see(obs.frame, obs.screen, obs.memory, self.last)
        self.last = int(self.inner.act(obs))
        return self.last


def measure_game(path: str, agent: str, frames: int, seed: int) -> dict[str, Any]:
    """One (ROM, agent, seed) run, in this process."""
    from eevee.agents.baselines import RandomPolicy
    from eevee.agents.three_layer import Agent, AgentConfig
    from eevee.emulator import open_emulator
    from eevee.runner.loop import Observer, run_frames
    from eevee.runner.session import FREEZE_FRAMES
    from eevee.runner.watchdog import FreezeWatch
    from eevee.runtime.clock import Clock, TimeMode
    from eevee.strategists import make_strategist

    with open_emulator(path) as emu:
        platform = emu.platform.name
        inner: Any = (RandomPolicy(seed=seed) if agent == "random" else
                      Agent(None, make_strategist("builtin", {}),
                            AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0,
                                        seed=seed), platform=platform))
        watcher = Watcher(platform)
        policy = _Watched(inner, watcher)
        freeze = FreezeWatch(60, FREEZE_FRAMES)

        def between(frame: int, values: Any) -> str | None:
            freeze.press(policy.last)
            if frame % 60 == 0 and freeze.check(frame, emu.screen().tobytes(), None):
                return "game frozen"
            return None

        observer = Observer(emu, None, policy.senses)
        stats = run_frames(emu, policy, observer, Clock(TimeMode.UNLOCKED), frames,
                           between=between)
        policy.close()
    return {"past_title": watcher.past_title, "screens": len(watcher.screens),
            "screens_exact": len(watcher.exact),
            "player_tiles": len(watcher.tiles), "longest_same": watcher.longest_same,
            "ended": "frames" if stats.stopped_by == "frame limit" else stats.stopped_by,
            "frames_run": stats.frames,
            **({"tried_when_frozen": freeze.tried()} if freeze.reported else {})}


def roms_in(folder: str, only: tuple[str, ...] = ()) -> list[Path]:
    """The ROMs in ``folder``, by name (``only``: just these file names, or names
    without their extension); a missing or empty folder, or a name in ``only`` that
    is not there, is a user's mistake."""
    d = Path(folder)
    if not d.is_dir():
        raise ConfigError(f"--roms {folder!r} is not a folder; give the folder that holds "
                          "the .gb/.gbc/.gba files")
    roms = sorted(p for p in d.iterdir() if p.suffix.lower() in EXTENSIONS)
    if not roms:
        raise ConfigError(f"no .gb, .gbc or .gba files in {folder!r}; put the ROMs there")
    if only:
        missing = [n for n in only if not any(n in (p.name, p.stem) for p in roms)]
        if missing:
            raise ConfigError(f"--games {', '.join(missing)}: not in {folder!r}; the ROMs "
                              f"there are {', '.join(p.name for p in roms)}")
        roms = [p for p in roms if p.name in only or p.stem in only]
    return roms


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        games = json.loads(path.read_text(encoding="utf-8"))
        return {Path(str(g["file"])).name: dict(g) for g in games}
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a list of {{'file': ...}} objects ({exc}); fix or "
                          "remove it") from None


def _kept(result: dict[str, Any], stderr: str) -> dict[str, Any]:
    """What the table keeps of one run: its figures (or its error), and its stderr."""
    out = {"ended": "error", **result} if "error" in result else dict(result)
    out["stderr_bytes"] = len(stderr.encode("utf-8"))
    if stderr.strip() and "error" not in result:
        out["stderr_first"] = stderr.strip().splitlines()[0][:200]
    return out


def random_runs(report: dict[str, Any], frames: int, source: str = "the report",
                sha1: dict[str, str] | None = None) -> dict[tuple[str, int], dict[str, Any]]:
    """The random baseline's runs of an earlier report, by (game, seed): a random run
    depends only on the ROM, the seed and the frames, so comparing two versions of the
    agent needs it played once. A report of other frames, or one whose game was played
    on a ROM other than the one of that name now (``sha1``: the ROMs' SHA-1 by name; a
    report from before the SHA-1 was recorded is taken on trust), is a user's mistake.

    >>> r = {"frames": 300, "games": {"a.gb": {"sha1": "ab", "seeds": {
    ...     "1": {"random": {"screens": 4}}}}}}
    >>> random_runs(r, 300, sha1={"a.gb": "ab"})
    {('a.gb', 1): {'screens': 4}}
    >>> random_runs(r, 300, sha1={"a.gb": "cd"})
    Traceback (most recent call last):
    eevee.errors.ConfigError: the report: its a.gb was another ROM (SHA-1 ab, this one's is cd): ...
    >>> random_runs({"frames": 300, "games": [1]}, 300)
    Traceback (most recent call last):
    eevee.errors.ConfigError: the report is not a report of eevee bench games --json: ...
    """
    try:
        had = int(report["frames"])
        if had != frames:
            raise ConfigError(f"{source} has runs of {had} frames, not {frames}: run with "
                              f"--frames {had}, or without it")
        for name, g in report["games"].items():
            now = (sha1 or {}).get(name)
            if g.get("sha1") and now is not None and g["sha1"] != now:
                raise ConfigError(f"{source}: its {name} was another ROM (SHA-1 "
                                  f"{g['sha1']}, this one's is {now}): play random again, "
                                  "without --random-from")
        return {(str(name), int(seed)): dict(run["random"])
                for name, g in report["games"].items()
                for seed, run in g.get("seeds", {}).items()
                if "error" not in run.get("random", {"error": 1})}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ConfigError(f"{source} is not a report of eevee bench games --json: make one "
                          "with eevee bench games --json > FILE") from None


def run_games(folder: str, frames: int = 20_000, seeds: tuple[int, ...] = (0,),
              progress: bool = False, jobs: int = 1, only: tuple[str, ...] = (),
              random_from: tuple[dict[str, Any], str] | None = None) -> dict[str, Any]:
    """Every ROM (``only``: these) × seed, the agent and the random baseline (module
    doc); ``jobs`` children at a time (the figures do not depend on it: no timings are
    taken). ``random_from``: an earlier report and what to call it, whose random runs
    (:func:`random_runs`) are not played again."""
    from eevee.bench.children import call, in_children

    roms = roms_in(folder, only)
    about = _manifest(Path(folder))
    sha1 = {rom.name: hashlib.sha1(rom.read_bytes()).hexdigest() for rom in roms}
    known = {} if random_from is None else \
        random_runs(random_from[0], frames, random_from[1], sha1)
    runs = [(rom, seed, agent) for rom in roms for seed in seeds for agent in AGENTS
            if agent != "random" or (rom.name, seed) not in known]
    codes = [call("eevee.bench.games.measure_game", str(r), a, frames, s) for r, s, a in runs]
    got = in_children(codes, jobs, done=_kept,
                      progress=(lambda i: f"{runs[i][0].name} seed {runs[i][1]} {runs[i][2]}")
                      if progress else None)
    done = {(r.name, s, a): out for (r, s, a), out in zip(runs, got, strict=True)}
    done.update({(name, s, "random"): run for (name, s), run in known.items()})
    results: dict[str, Any] = {}
    for rom in roms:
        info = about.get(rom.name, {})
        entry = results[rom.name] = {"genre": info.get("genre"), "sha1": sha1[rom.name],
                                     "has_title": info.get("has_title"), "seeds": {}}
        for seed in seeds:
            pair = {agent: done[(rom.name, seed, agent)] for agent in AGENTS}
            mine, rand = pair["eevee"].get("screens"), pair["random"].get("screens")
            entry["seeds"][str(seed)] = {
                **pair, "screens_ratio": round(mine / rand, 2) if mine and rand else None}
    return {"frames": frames, "seeds": list(seeds), "games": results}


def table(report: dict[str, Any]) -> str:
    """The report as a text table, a row per game and seed; with several seeds, a row
    per game of the screens summed over them."""
    rows = [f"{'game':24s} {'seed':>4s} {'genre':12s} {'title@':>7s} {'screens':>8s} "
            f"{'random':>7s} {'ratio':>6s} {'tiles':>6s} {'same':>6s} {'ended':12s}"]
    for name, g in report["games"].items():
        for seed, r in g["seeds"].items():
            e, rnd = r["eevee"], r["random"]
            rows.append(
                f"{name[:24]:24s} {seed:>4s} {str(g.get('genre') or '?')[:12]:12s} "
                f"{e.get('past_title')!s:>7s} {e.get('screens')!s:>8s} "
                f"{rnd.get('screens')!s:>7s} {r.get('screens_ratio')!s:>6s} "
                f"{e.get('player_tiles')!s:>6s} {e.get('longest_same')!s:>6s} "
                f"{str(e.get('ended'))[:12]:12s}")
    if len(report.get("seeds", ())) > 1:
        for name, g in report["games"].items():
            mine = sum(r["eevee"].get("screens") or 0 for r in g["seeds"].values())
            rand = sum(r["random"].get("screens") or 0 for r in g["seeds"].values())
            rows.append(f"{name[:24]:24s} all seeds: screens {mine} against random's "
                        f"{rand}, ratio {round(mine / rand, 2) if rand else None}")
    return "\n".join(rows)
