"""The three-layer agent: reactive every frame, tactical ~10 Hz, strategic on triggers.

- reactive (:mod:`eevee.reactive`): every frame, memory only;
- tactical (:class:`~eevee.tactical.planner.TacticalPlanner`): every ``tactical_every``
  frames (6 → ~10 Hz) it checks milestones and triggers, and replans when the reactive
  layer asks (plan done, surprise, blocked);
- strategic (a :class:`~eevee.strategists.Strategist`): on triggers (new area, quest
  update, stale strategy, stuck) or ~1 Hz, behind a cache keyed by situation.

Where the strategist runs depends on the time mode: ``realtime``/``unlocked`` → a worker
thread (the frame loop never waits); ``paused`` → in line with the clock paused;
``virtual`` → in line, and its latency (declared by the strategist, or the fixed
``think_cost_s``, else measured) is charged as frames: the strategy only takes effect that
many frames later, while the reactive layer keeps playing. Declared latencies make runs
reproducible: same seed, same strategist → same event log.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from eevee.goals.quests import GoalBook
from eevee.profiles.profile import Profile
from eevee.reactive.controller import MODES, ReactiveController
from eevee.runtime.clock import Clock, TimeMode
from eevee.runtime.latency import Latency
from eevee.strategists.base import Action, Strategist, Strategy, StrategyContext
from eevee.strategists.cache import StrategyCache
from eevee.tactical.planner import TacticalPlanner
from eevee.world.model import CellKind, Transition, WorldModel

Cell = tuple[int, int]
FRAME_NS = 16_742_706  # one frame at 59.7275 Hz
PLAN_BUDGET = 32  # A* expansions (or flood cells) per frame: long searches spread over frames


@dataclass(frozen=True)
class AgentConfig:
    time_mode: TimeMode = TimeMode.UNLOCKED
    seed: int = 0
    tactical_every: int = 6
    strategic_every: int = 60
    stale_after: int = 600
    stuck_after: int = 600
    think_cost_s: float | None = None
    side_quests: bool = False


class Agent:
    """Buttons for every frame from the profile's variables (and the world it learns)."""

    def __init__(
        self,
        profile: Profile | None,
        strategist: Strategist,
        config: AgentConfig | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = cfg = config or AgentConfig()
        self.profile = profile
        self.strategist = strategist
        self.name = strategist.name
        self.clock = clock or Clock(cfg.time_mode)
        hints: Mapping[str, Any] = profile.hints if profile else {}
        self.hints = hints
        sizes = hints.get("area_sizes") or []
        names = hints.get("areas") or []
        self.world = WorldModel(
            sizes={i: (int(s[0]), int(s[1])) for i, s in enumerate(sizes)},
            names=dict(enumerate(names)),
        )
        doors = hints.get("doors")
        for d in doors if isinstance(doors, list) else []:
            to_cell = d.get("to_cell")
            self.world.add_hint_transition(Transition(
                d["area"], (int(d["cell"][0]), int(d["cell"][1])), d["to_area"],
                (int(to_cell[0]), int(to_cell[1])) if to_cell else None, learned=False))
        self.goals = GoalBook.from_milestones(profile.milestones if profile else [])
        self.reactive = ReactiveController(self.world, hints, cfg.seed)
        self.planner = TacticalPlanner(self.world, hints.get("facing_codes"))
        # A* expansions per frame: a long search spreads over a few frames (the reactive
        # layer waits or keeps walking its fallback meanwhile) instead of one long frame
        self.planner.budget = PLAN_BUDGET
        self._planning: Generator[None, None, None] | None = None
        self.cache = StrategyCache(cfg.stale_after)
        self.strategy: Strategy | None = None
        self.modes = {**MODES, **dict(hints.get("modes", {}) or {})}
        # profile variables under other names (maze: ``move_timer`` is ``moving``)
        self._aliases = tuple((str(k), str(src)) for k, src in
                              dict(hints.get("var_aliases", {}) or {}).items())
        npc = hints.get("npc_table") or {}
        self._npc_stride = int(npc.get("stride", 0) or 0)
        self._npc_counts = list(hints.get("npc_counts") or [])
        self.npc_address = int(str(npc["address"]), 0) if npc.get("address") else None
        self.npc_bytes_len = int(npc.get("count", 0) or 0) * self._npc_stride
        dodger = self.reactive.dodger
        if dodger is not None and self.npc_address is None:
            # an action game: the memory block read every frame is the hazards array
            self.npc_address, self.npc_bytes_len = dodger.address, dodger.nbytes
        self.latency = {
            "agent": Latency("agent", 1_000_000),
            "reactive": Latency("reactive", 1_000_000),
            "tactical": Latency("tactical", FRAME_NS),
            "strategic": Latency("strategic", 1_000_000_000),
        }
        self.strategic_calls = 0
        self.triggers: dict[str, int] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._future: Future[tuple[Strategy, int]] | None = None
        self._virtual_due: tuple[int, Strategy] | None = None
        self._last_think = -10**9
        self._area: Any = None
        self._flags = -1
        self._inventory = -1
        self._hp = -1
        self._battle = 0
        self._cell: Cell | None = None
        self._moved_at = 0
        self._values: Mapping[str, int] = {}
        self._npcs: dict[int, Cell] = {}
        self.quest_complete_frame: int | None = None
        self._pending = list(profile.milestones) if profile else []

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # ------------------------------------------------------------------ per frame
    def act(self, frame: int, values: Mapping[str, int], npc_bytes: bytes | None = None) -> int:
        """Buttons to hold during the next frame."""
        t0 = time.perf_counter_ns()
        if self._aliases:
            values = dict(values)
            for name, src in self._aliases:
                if src in values:
                    values[name] = values[src]
        self._values = values
        mode = values.get("game_mode", -1)
        if self.reactive.dodger is not None:
            return self._act_dodging(frame, values, npc_bytes, t0)
        if mode == self.modes["overworld"]:
            self._observe(frame, values)
        elif mode == self.modes["battle"] and self._battle == 0:
            self._battle = 1
            if self._cell is not None:  # an encounter: the cell is costly
                self.world.mark(frame, self._area, self._cell, CellKind.SLOW, "encounter")
        if self._future is not None or self._virtual_due is not None:
            self._poll_strategy(frame)
        if frame % self.config.tactical_every == 0:
            t1 = time.perf_counter_ns()
            self._tactical(frame, values, npc_bytes)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        elif self._planning is not None:
            # a plan under way: its next slice (a bounded number of A* expansions)
            t1 = time.perf_counter_ns()
            self._step_planning(frame)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        elif (self.reactive.need_replan and self.reactive.plan is None
              and mode == self.modes["overworld"] and self.strategy is not None
              and not self.reactive.explore_fallback):
            # on demand between ticks: the plan ran out or broke
            t1 = time.perf_counter_ns()
            self._npcs = self._read_npcs(values.get("area", 0), npc_bytes)
            self._replan(frame, values)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        return self._react(frame, values, t0)

    def _react(self, frame: int, values: Mapping[str, int], t0: int) -> int:
        """The reactive layer's buttons, timed; ``t0``: when this frame's agent work began."""
        t2 = time.perf_counter_ns()
        buttons = self.reactive.act(frame, values)
        t3 = time.perf_counter_ns()
        self.latency["reactive"].add(t3 - t2)
        self.latency["agent"].add(t3 - t0)
        return buttons

    def _act_dodging(self, frame: int, values: Mapping[str, int], raw: bytes | None,
                     t0: int) -> int:
        """Action games: no map to learn; milestones at the tactical rate, the hazard
        override every frame."""
        if frame % self.config.tactical_every == 0:
            t1 = time.perf_counter_ns()
            self._tactical(frame, values, None)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        if self._future is not None or self._virtual_due is not None:
            self._poll_strategy(frame)
        self.reactive.hazard_bytes = raw
        return self._react(frame, values, t0)

    def _observe(self, frame: int, v: Mapping[str, int]) -> None:
        area = v.get("area", 0)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        self._battle = 0
        if area != self._area:
            self._area = area
            self._trigger(frame, "new_area")
        if cell != self._cell:
            self._cell = cell
            self._moved_at = frame
        self.world.observe(frame, area, cell)
        hp = v.get("hp", 0)
        if 0 <= hp < self._hp and v.get("moving", 0) == 0:
            self.world.mark(frame, area, cell, CellKind.HAZARD, "hp dropped")
        self._hp = hp

    # ------------------------------------------------------------------ tactical
    def _tactical(self, frame: int, v: Mapping[str, int], npc_bytes: bytes | None) -> None:
        flags = v.get("quest_flags", 0)
        inv = v.get("inventory", 0)
        newly: list[str] = []
        if self._pending and self.profile is not None:
            # milestones not yet reached (a handful of comparisons, ~10 Hz)
            reached = {m.name: m.reached(v) for m in self._pending}
            newly = self.goals.update(reached)
            if newly:
                self._pending = [m for m in self._pending if m.name not in newly]
            for name in newly:
                self.world.events.add(frame, "milestone", name=name)
                if name == "quest_complete" and self.quest_complete_frame is None:
                    self.quest_complete_frame = frame
        changed = flags != self._flags or inv != self._inventory
        if changed or newly:
            first = self._flags < 0
            self._flags, self._inventory = flags, inv
            if not first:
                if changed and self._area is not None:
                    self.world.world_changed(frame, self._area)
                self._trigger(frame, "quest_update")
        if self.strategy is None and self._future is None and self._virtual_due is None:
            self._trigger(frame, "start")
        elif frame - self._last_think >= self.config.strategic_every:
            self._trigger(frame, "tick")
        if v.get("game_mode", -1) != self.modes["overworld"]:
            return
        if frame - self._moved_at > self.config.stuck_after:
            self._moved_at = frame
            self.world.events.add(frame, "stuck", area=self._area, cell=list(self._cell or ()))
            self.reactive.set_plan(None)
            self._planning = None
            self._trigger(frame, "stuck")
            return
        if self._planning is not None:
            self._step_planning(frame)
        elif (self.reactive.need_replan and self.strategy is not None
                and self.reactive.dodger is None):
            self._npcs = self._read_npcs(v.get("area", 0), npc_bytes)
            self._replan(frame, v)

    def _replan(self, frame: int, v: Mapping[str, int]) -> None:
        """Start planning and run its first slice; the rest runs in the next frames
        (:meth:`_step_planning`), so no frame carries a whole long search."""
        assert self.strategy is not None
        area = v.get("area", 0)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        self._planning = self._replan_steps(frame, area, cell, self.strategy)
        self._step_planning(frame)

    def _step_planning(self, frame: int) -> None:
        if self._planning is None:
            return
        try:
            next(self._planning)
        except StopIteration:
            self._planning = None

    def _replan_steps(self, frame: int, area: Any, cell: Cell,
                      strategy: Strategy) -> Generator[None, None, None]:
        npcs = dict(self._npcs)
        plan = yield from self.planner.plan_steps(frame, area, cell, strategy.action, npcs)
        self.reactive.temp_blocked = {c: frame for c in npcs.values()}
        self.reactive.set_plan(plan, strategy.objective.name)
        if plan is None and strategy.action.kind != "explore":  # (explored just now)
            # nothing plannable: explore instead of standing still
            plan = yield from self.planner.explore_steps(frame, area, cell, npcs)
            self.reactive.set_plan(plan, "explore")

    def _read_npcs(self, area: int, raw: bytes | None) -> dict[int, Cell]:
        if not raw or not self._npc_stride:
            return {}
        count = self._npc_counts[area] if 0 <= area < len(self._npc_counts) else 0
        out = {}
        for i in range(count):
            x, y = raw[i * self._npc_stride], raw[i * self._npc_stride + 1]
            out[i] = (int(x), int(y))
            self.world.see_npc(area, i, (int(x), int(y)))
        return out

    # ------------------------------------------------------------------ strategic
    def situation(self, v: Mapping[str, int]) -> str:
        low = int(v.get("hp", 1) * 3 < max(1, v.get("max_hp", 1)))
        return (f"area={v.get('area')};flags={v.get('quest_flags')};"
                f"inv={v.get('inventory')};low_hp={low}")

    def _context(self, frame: int, v: Mapping[str, int], situation: str) -> StrategyContext:
        cur = self.strategy.objective.name if self.strategy else "none"
        area_name = self.world.names.get(v.get("area", -1), str(v.get("area")))
        desc = (f"In {area_name} at ({v.get('player_x')}, {v.get('player_y')}), "
                f"HP {v.get('hp')}/{v.get('max_hp')}; current objective: {cur}.")
        return StrategyContext(
            frame=frame, situation=situation, description=desc,
            quests=tuple(self.goals.quests), todos=(), values=dict(v),
            area=v.get("area"), cell=(v.get("player_x", 0), v.get("player_y", 0)),
        )

    def _trigger(self, frame: int, reason: str) -> None:
        self.triggers[reason] = self.triggers.get(reason, 0) + 1
        if self._future is not None or self._virtual_due is not None:
            return  # one call at a time; the next trigger will ask again
        self._last_think = frame
        v = self._values
        situation = self.situation(v)
        if reason in ("tick", "new_area", "start"):
            cached = self.cache.get(situation, frame)
            if cached is not None:
                self._apply(frame, cached, cached=True)
                return
        ctx = self._context(frame, v, situation)
        self.strategic_calls += 1
        mode = self.config.time_mode
        if mode in (TimeMode.REALTIME, TimeMode.UNLOCKED):
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="strategist")
            self._future = self._executor.submit(self._timed_think, ctx)
            return
        if mode == TimeMode.PAUSED:
            self.clock.pause()
            try:
                strategy, ns = self._timed_think(ctx)
            finally:
                self.clock.resume()
            self.latency["strategic"].add(ns)
            self._apply(frame, strategy)
            return
        strategy, ns = self._timed_think(ctx)
        self.latency["strategic"].add(ns)
        cost = self.config.think_cost_s
        if cost is None:
            cost = self.strategist.latency_s
        if cost is None:
            cost = ns / 1e9
        delay = self.clock.frames_for(cost)
        if delay == 0:
            self._apply(frame, strategy)
        else:
            self._virtual_due = (frame + delay, strategy)

    def _timed_think(self, ctx: StrategyContext) -> tuple[Strategy, int]:
        t0 = time.perf_counter_ns()
        strategy = self.strategist.think(ctx)
        return strategy, time.perf_counter_ns() - t0

    def _poll_strategy(self, frame: int) -> None:
        if self._future is not None:
            if not self._future.done():
                return
            fut, self._future = self._future, None
            try:
                strategy, ns = fut.result()
            except Exception as exc:  # a strategist failure must not stop the game
                self.world.events.add(frame, "strategist_error", error=repr(exc))
                return
            self.latency["strategic"].add(ns)
            self._apply(frame, strategy)
        elif self._virtual_due is not None and frame >= self._virtual_due[0]:
            strategy = self._virtual_due[1]
            self._virtual_due = None
            self._apply(frame, strategy)

    def _apply(self, frame: int, strategy: Strategy, *, cached: bool = False) -> None:
        old = self.strategy
        self.strategy = strategy
        if not cached:
            self.cache.put(strategy)
        if old is None or old.action != strategy.action:
            act: Action = strategy.action
            self.world.events.add(frame, "objective", name=strategy.objective.name,
                                  action=act.kind, area=act.target.area,
                                  cell=list(act.target.cell) if act.target.cell else None)
            self.reactive.need_replan = True
            self._planning = None  # planned for the old action: start again

    # ------------------------------------------------------------------ reporting
    def stats(self) -> dict[str, Any]:
        r = self.reactive.stats
        return {
            "strategist": self.strategist.name,
            "strategic_calls": self.strategic_calls,
            "cache_hits": self.cache.hits,
            "triggers": dict(sorted(self.triggers.items())),
            "plans": self.planner.plans_made,
            "plan_failures": self.planner.failures,
            "bumps": r.bumps,
            "surprises": r.surprises,
            "tiles_stood_on": self.world.tiles_stood_on(),
            "areas_entered": len(self.world.entered),
            "latency": {k: v.summary() for k, v in self.latency.items()},
        }
