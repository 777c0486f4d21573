"""``eevee bench agent``: how well and how cheaply each agent plays each cartridge.

Agents (each a :class:`~eevee.agents.policy.Policy` run through the one frame loop,
:func:`eevee.runner.loop.run_frames`): ``builtin`` = the three-layer agent with the
profile's variables as a sharper sensor (no walkthrough: profiles hold none);
``builtin_pixels`` = the same cartridge played with no profile at all (the screen and, on
GBA, the IO/VRAM/OAM blocks only): the three-layer agent on variables estimated from
perception (:mod:`eevee.agents.estimate`), as ``eevee play --no-profile`` plays;
``builtin_every30`` = the three-layer agent deciding
every 30th frame (dodge); ``random`` = uniformly random buttons; ``wander`` = the seeded
walker; ``solver`` = the recorded solution.

Per (cartridge, agent): frames to finish the main quest (its ``quest_complete``
milestone, scored from RAM by the bench whatever the agent reads), areas entered, the
share of reachable cells seen on screen, tiles stood on, agent work per frame (p50/p99
µs), the loop's unlocked fps against the emulator's raw fps, and frames survived (action
cartridges). Ground truth (``truth.json``) and the solver's inputs are read here, for
scoring and the solver baseline only — never by an agent. Each measurement runs in its
own process (stable-retro: one emulator per process).
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from eevee.errors import ConfigError

AGENTS = ("builtin", "builtin_pixels", "random", "wander", "solver", "builtin_every30")
CARTRIDGES = ("quest", "maze", "dodge", "grove", "keep")
EVERY30_ONLY = ("dodge",)  # builtin_every30 is measured on the action cartridge only
# builtin_pixels (no profile at all) is measured on these
PIXELS_ON = ("quest", "maze", "grove", "keep")
# ... and these, in the style of real games, are played from pixels only (their quests
# are to be finished so: the profile-driven agent is not measured on them)
PIXELS_ONLY = ("grove", "keep")
FRAME_NS = 16_742_706


def _cart(name: str) -> Any:
    from eevee.cartridges import registry

    carts = {c.name: c for c in registry.list_cartridges()}
    if name not in carts:
        raise ConfigError(f"unknown cartridge {name!r}; available: {', '.join(sorted(carts))}")
    return carts[name]


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


class Wrapped:
    """A policy around another: everything but :meth:`act` is the inner one's."""

    def __init__(self, inner: Any, name: str | None = None) -> None:
        self.inner = inner
        self.name, self.senses = name or inner.name, inner.senses

    def reset(self, *, seed: int | None = None) -> None:
        self.inner.reset(seed=seed)

    def act(self, obs: Any) -> int:
        return int(self.inner.act(obs))

    def drain_events(self) -> list[Any]:
        return list(self.inner.drain_events())

    def stats(self) -> dict[str, Any]:
        return dict(self.inner.stats())

    def close(self) -> None:
        self.inner.close()


class Taped(Wrapped):
    """Keeps the buttons of every frame (to replay them without the policy)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.tape: list[int] = []

    def act(self, obs: Any) -> int:
        b = int(self.inner.act(obs))
        self.tape.append(b)
        return b


class Every(Wrapped):
    """Decides every ``n``-th frame and holds its buttons in between."""

    def __init__(self, inner: Any, n: int) -> None:
        super().__init__(inner, f"{inner.name}_every{n}")
        self.n = n
        self._b = 0

    def act(self, obs: Any) -> int:
        if obs.frame % self.n == 0:
            self._b = int(self.inner.act(obs))
        return self._b


def make_policy(agent_name: str, cart: Any, profile: Any, seed: int = 0) -> tuple[Any, Any]:
    """(policy, the profile the policy may read or None) for one bench agent."""
    from eevee.agents.baselines import RandomPolicy, ScriptPolicy, WanderPolicy
    from eevee.agents.three_layer import Agent, AgentConfig
    from eevee.emulator import Buttons
    from eevee.runtime.clock import TimeMode
    from eevee.strategists import make_strategist

    if agent_name in ("builtin", "builtin_every30"):
        # virtual time, thinking charged as 0 frames: the builtin strategist takes
        # microseconds, and in line it makes every measurement reproducible
        agent = Agent(profile, make_strategist("builtin", profile.hints),
                      AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0, seed=seed),
                      platform=profile.platform)
        return (Every(agent, 30) if agent_name == "builtin_every30" else agent), profile
    if agent_name == "builtin_pixels":
        return Agent(None, make_strategist("builtin", {}),
                     AgentConfig(time_mode=TimeMode.VIRTUAL, think_cost_s=0.0, seed=seed),
                     platform=profile.platform), None
    if agent_name == "random":
        return RandomPolicy(seed=seed), None
    if agent_name == "wander":
        return WanderPolicy(seed=seed), profile
    if agent_name == "solver":
        sol = json.loads((cart.data_dir / "solver.json").read_text(encoding="utf-8"))
        inputs = [(int(Buttons.parse(b)) if b else 0, int(n)) for b, n in sol["inputs"]]
        return ScriptPolicy(inputs), None
    raise ConfigError(f"unknown agent {agent_name!r}; available: {', '.join(AGENTS)}")


class Scorer:
    """What the bench counts between frames, from RAM (whatever the agent reads)."""

    def __init__(self, profile: Any, truth: dict[str, Any]) -> None:
        self.reach = _reachable(truth)
        self.seen = {k: np.zeros_like(v) for k, v in self.reach.items()}
        sc = profile.hint("screen_cells", [15, 10])
        self.cells = (int(sc[0]), int(sc[1]))
        self.px = int(profile.hint("cell_pixels", 16))
        self.finish_m = next((m for m in profile.milestones if m.name == "quest_complete"),
                             None)
        self.overworld = int(dict(profile.hint("modes", {}) or {}).get("overworld", 1))
        # (a game scored by survival; keep has hazards too, and a quest to finish)
        self.action_game = isinstance(profile.hint("hazards"), dict) and \
            profile.hint("score") is not None
        self.stood: set[tuple[int, int, int]] = set()
        self.areas: set[int] = set()
        self.finish: int | None = None
        self.best_score = 0

    def __call__(self, f: int, v: dict[str, int] | None) -> str | None:
        assert v is not None
        if self.action_game:
            self.best_score = max(self.best_score, int(v.get("best_score", 0)))
        elif v.get("game_mode") == self.overworld:
            a = v.get("area", 0)
            self.areas.add(a)
            self.stood.add((a, v["player_x"], v["player_y"]))
            if f % 8 == 0 and a in self.seen:
                if "camera_x" in v:
                    x0, y0 = v["camera_x"] // self.px, v["camera_y"] // self.px
                    self.seen[a][max(0, y0):max(0, y0 + self.cells[1] + 1),
                                 max(0, x0):max(0, x0 + self.cells[0] + 1)] = True
                else:  # the whole room is on screen
                    self.seen[a][:] = True
        if self.finish is None and self.finish_m is not None and self.finish_m.reached(v):
            self.finish = f
            if not self.action_game:
                return "quest complete"
        return None

    def figures(self) -> dict[str, Any]:
        reach, seen, game = self.reach, self.seen, not self.action_game
        total = int(sum(int(m.sum()) for m in reach.values()))
        seen_n = int(sum(int((seen[k] & reach[k]).sum()) for k in reach))
        ent = [k for k in reach if k in self.areas]
        ent_total = int(sum(int(reach[k].sum()) for k in ent))
        ent_seen = int(sum(int((seen[k] & reach[k]).sum()) for k in ent))
        return {
            "frames_to_finish": self.finish,
            "areas_entered": len(self.areas) if game else None,
            "seen_fraction": round(seen_n / total, 3) if total and game else None,
            "seen_fraction_entered": round(ent_seen / ent_total, 3) if ent_total and game
            else None,
            "tiles_stood_on": len(self.stood) if game else None,
            "frames_survived": None if game else self.best_score,
        }


def measure(cartridge: str, agent_name: str, frames: int = 50_000,
            seed: int = 0) -> dict[str, Any]:
    """One (cartridge, agent, seed) measurement, in this process."""
    from eevee.emulator import open_emulator
    from eevee.profiles import load_profile
    from eevee.runner.loop import Observer, run_frames
    from eevee.runtime.clock import Clock, TimeMode

    cart = _cart(cartridge)
    profile = load_profile(cart.profile_path)
    truth = json.loads((cart.data_dir / "truth.json").read_text(encoding="utf-8"))
    policy, sees = make_policy(agent_name, cart, profile, seed)
    score = Scorer(profile, truth)
    if agent_name == "solver":
        frames = min(frames, policy.length + 60)
    taped = Taped(policy)
    with open_emulator(cart.rom_path) as emu:
        t_raw = time.perf_counter()
        state = emu.save_state()
        for _ in range(3000):
            emu.step(0)
        boot_fps = 3000 / (time.perf_counter() - t_raw)
        emu.load_state(state)
        observer = Observer(emu, sees, policy.senses)
        scoring = Observer(emu, profile, frozenset(("variables",)))
        t0 = time.perf_counter()
        stats = run_frames(emu, taped, observer, Clock(TimeMode.UNLOCKED), frames,
                           # (the variables the loop read after the step, when it reads
                           # them for the policy: one read a frame, not two)
                           between=lambda f, v: score(f, v if v is not None
                                                      else scoring.variables()),
                           keep_work=True)
        wall = time.perf_counter() - t0
        # the raw emulator on the very same frames: the run's buttons replayed alone
        # (a game's screens differ in cost: a title may take twice a map's time)
        emu.load_state(state)
        t_raw = time.perf_counter()
        for b in taped.tape[:stats.frames]:
            emu.step(b)
        raw_fps = stats.frames / (time.perf_counter() - t_raw)
    agent_stats = policy.stats()
    policy.close()
    arr = np.asarray(stats.work_ns, dtype=np.float64) / 1000.0
    return {
        **score.figures(),
        "seed": seed,
        "frames_run": stats.frames,
        "agent_us_per_frame": {"p50": round(float(np.percentile(arr, 50)), 2),
                               "p99": round(float(np.percentile(arr, 99)), 2)},
        "unlocked_fps": round(stats.frames / wall, 1),
        "raw_fps": round(raw_fps, 1),
        "fps_ratio": round(stats.frames / wall / raw_fps, 3),
        "raw_fps_boot_screen": round(boot_fps, 1),
        "deadline_misses": int((np.asarray(stats.work_ns) > FRAME_NS).sum()),
        "agent_stats": {k: v for k, v in agent_stats.items() if k != "latency"},
    }


def run_all(frames: int = 50_000, agents: tuple[str, ...] = AGENTS,
            cartridges: tuple[str, ...] = CARTRIDGES, seeds: tuple[int, ...] = (0,),
            progress: bool = False, jobs: int = 1) -> dict[str, Any]:
    """Every cartridge × agent × seed, each in a child process (``builtin_every30``:
    dodge only; ``builtin_pixels``: quest, maze, grove and keep; ``builtin``: not on
    grove and keep); ``jobs`` children at a time. The frames and the play figures do
    not depend on ``jobs``; the timings do (children share the cores): take timings
    with one job."""
    from eevee.bench.children import call, in_children

    for c in cartridges:
        _cart(c)
    for a in agents:
        if a not in AGENTS:
            raise ConfigError(f"unknown agent {a!r}; available: {', '.join(AGENTS)}")
    runs = [(c, a, s) for c in cartridges for a in agents for s in seeds
            if not (a == "builtin_every30" and c not in EVERY30_ONLY)
            and not (a == "builtin_pixels" and c not in PIXELS_ON)
            and not (a == "builtin" and c in PIXELS_ONLY)]
    codes = [call("eevee.bench.agent.measure", c, a, frames, s) for c, a, s in runs]
    got = in_children(codes, jobs, progress=(lambda i: "{} {} seed {}".format(*runs[i]))
                      if progress else None)
    results: dict[str, Any] = {c: {} for c in cartridges}
    for (cart, agent, seed), r in zip(runs, got, strict=True):
        results[cart][agent if len(seeds) == 1 else f"{agent}@{seed}"] = r
    return results


def finishes(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per cartridge and agent, over its seeds: how many finished the main quest, and
    the median frames of those that did (None: none did) — the figure to compare two
    versions of the agent by, a single seed being one path among many.

    >>> finishes({"maze": {"solver@0": {"frames_to_finish": 900},
    ...                    "solver@1": {"frames_to_finish": None}}})
    {'maze': {'solver': {'finished': 1, 'runs': 2, 'median': 900}}}
    """
    out: dict[str, dict[str, Any]] = {}
    for cart, per in results.items():
        runs: dict[str, list[int | None]] = {}
        for key, r in per.items():
            runs.setdefault(key.split("@")[0], []).append(r.get("frames_to_finish"))
        out[cart] = {}
        for agent, done in runs.items():
            got = sorted(f for f in done if f is not None)
            out[cart][agent] = {"finished": len(got), "runs": len(done),
                                "median": (int(np.median(got)) if got else None)}
    return out
