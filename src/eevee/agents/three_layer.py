"""The three-layer agent: reactive every frame, tactical ~10 Hz, strategic on triggers.

It implements :class:`~eevee.agents.policy.Policy`. Every frame it runs perception
(:mod:`eevee.agents.senses`); the profile's variables, when there are any, are a sharper
sensor (exact cell, area, HP, game mode) — never a script: nothing here knows where to
go or what to do in a particular game. What it learns (cell looks and meanings, doors,
things seen, what answered A, healers) goes into the world model, and the built-in
strategist turns that into todos the way a careful first-time player would.

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
from dataclasses import dataclass
from typing import Any

from eevee.agents.estimate import Estimate
from eevee.agents.figures import Figures
from eevee.agents.overlay import Overlay
from eevee.agents.policy import ALL_SENSES, Event, Observation
from eevee.agents.restless import Restless
from eevee.agents.senses import Senses
from eevee.agents.sighted import Sighted
from eevee.agents.strike import Strike
from eevee.agents.thinking import Thinking
from eevee.agents.trials import Trials
from eevee.agents.watching import Watching
from eevee.emulator.platform import PLATFORMS
from eevee.goals.quests import GoalBook
from eevee.goals.todos import few_alike, todo_steps
from eevee.profiles.profile import Profile
from eevee.reactive.controller import MODES, ReactiveController
from eevee.runtime.clock import Clock, TimeMode
from eevee.runtime.latency import Latency
from eevee.strategists.base import Strategist, Strategy, StrategyContext
from eevee.strategists.cache import StrategyCache
from eevee.tactical.plan import FACING_NAME
from eevee.tactical.planner import TacticalPlanner
from eevee.world.knowledge import export_world, import_world
from eevee.world.memories import LongMemory, memories, recent
from eevee.world.model import CellKind, WorldModel
from eevee.world.rescale import rescale, to_new

Cell = tuple[int, int]
FRAME_NS = 16_742_706  # one frame at 59.7275 Hz
PLAN_BUDGET = 32  # A* expansions (or flood cells) per frame: long searches spread over frames
GIVE_UP_FRAMES = 1500  # an objective not done in this many frames is given up
SENSOR_VARS = frozenset(("area", "player_x", "player_y", "facing", "moving", "game_mode",
                         "camera_x", "camera_y", "hp"))  # where and how, not progress
REGION = 6  # cells: the situation names the part of the area the player is in
MAX_FAILS = 3  # plans that found no way to an objective's target before it is given up


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


class Agent(Watching, Thinking, Restless, Sighted):
    """Buttons for every frame from what it sees (and the profile's variables)."""

    senses = ALL_SENSES

    def __init__(
        self,
        profile: Profile | None,
        strategist: Strategist,
        config: AgentConfig | None = None,
        clock: Clock | None = None,
        platform: str | None = None,
    ) -> None:
        self.config = cfg = config or AgentConfig()
        self.profile = profile
        self.strategist = strategist
        self.name = strategist.name
        self.clock = clock or Clock(cfg.time_mode)
        hints: Mapping[str, Any] = profile.hints if profile else {}
        self.hints = hints
        # (areas named by the profile's ids, or by the order pixels told them apart)
        self.world = WorldModel(names=dict(enumerate(hints.get("areas") or [])),
                                keys="profile" if profile is not None else "pixels")
        plat = platform or (profile.platform if profile else "gba")
        self.sight = Senses(plat, self.world, cell_px=int(hints.get("cell_pixels", 16) or 16),
                            profile=profile)
        screen = PLATFORMS[plat]
        self.world.view_px = min(screen.width, screen.height) // 2
        self.trials = Trials(self.world)
        self.estimate = Estimate(int(hints.get("cell_pixels", 16) or 16))
        self.overlay = Overlay()  # (no profile: a text a press of A opened with no box)
        self.figures = Figures()  # (no profile: the map's sprites, frame to frame)
        self.strike = Strike()  # (no profile: A at a figure on the move in front)
        self.sight.tools = self.figures.tools  # (what A shows by the player is no thing)
        self._presses = 0
        # what milestones are made of, less where the player is and what the screen
        # shows: a flag or an item changing is progress, walking into a room is not
        self._progress_vars = tuple(sorted({c.var for m in (profile.milestones if profile
                                                             else []) for c in m.when}
                                           - SENSOR_VARS))
        self._progress: tuple[int, ...] | None = None
        self._pickups = 0  # (no profile) things picked up, as last seen
        self._objective_since = 0
        self._fails = 0
        self._bumps = 0  # the reactive layer's bumps, as last seen
        self._still = 0
        self._buttons = 0
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
        self._kind_of = {int(v): k for k, v in self.modes.items() if int(v) >= 0}
        steps = {name: d for d, name in FACING_NAME.items()}
        self._facing_step = {int(c): steps[n] for n, c in self.planner.facing.items()
                             if n in steps}
        # profile variables under other names (a game's ``move_timer`` is ``moving``)
        self._aliases = tuple((str(k), str(src)) for k, src in
                              dict(hints.get("var_aliases", {}) or {}).items())
        self.latency = {name: Latency(name, budget) for name, budget in (
            ("perception", 1_000_000), ("agent", 1_000_000), ("reactive", 1_000_000),
            ("tactical", FRAME_NS), ("strategic", 1_000_000_000))}
        self.long_memory = LongMemory()
        self._start_thinking()
        self._area: Any = None
        self._hp = -1
        self._battle = 0
        self._interrupted = False  # a dialogue or battle since the last overworld frame
        self._start_restless()
        self._lag = 0  # > 0: the game reports a step's new cell when the step ends
        self._facing = -1
        self._cell: Cell | None = None
        self._moved_at, self._entered_at = 0, -10**9  # (moved; entered a new area)
        self._way_area: Any = None  # the area of the estimate's way out
        self._values: Mapping[str, int] = {}
        self._npcs: dict[Any, Cell] = {}
        self.quest_complete_frame: int | None = None
        self._pending = list(profile.milestones) if profile else []

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        closing = getattr(self.strategist, "close", None)
        if closing is not None:
            closing()  # (a model in this process lets go of its memory)

    # ------------------------------------------------------------------ memory
    def knowledge(self) -> dict[str, Any]:
        """What this agent learned that stays true when the game starts again
        (:mod:`eevee.world.knowledge`): call between frames."""
        return export_world(self.world)

    def remember(self, doc: dict[str, Any]) -> None:
        """Start from what an earlier run learned of this game (before the first frame)."""
        import_world(self.world, doc)

    # ------------------------------------------------------------------ policy
    def reset(self, *, seed: int | None = None) -> None:
        """Only a fresh agent starts a game: make a new one to play again."""
        if seed is not None and seed != self.config.seed:
            raise ValueError("make a new Agent for another seed")

    def drain_events(self) -> list[Event]:
        out = [Event(e.frame, e.kind, dict(e.data)) for e in self.world.events.drain()]
        calls = getattr(self.strategist, "drain_calls", None)  # (a model's call records)
        if calls is not None:
            out.extend(Event(int(c.pop("at")), "model_call", c) for c in calls())
        return out

    # ------------------------------------------------------------------ per frame
    def act(self, obs: Observation) -> int:
        """Buttons to hold during the next frame."""
        t0 = time.perf_counter_ns()
        frame = obs.frame
        self.sight.perceive(obs.screen, obs.memory, obs.variables, self._buttons)
        self.reactive.screen = obs.screen
        if obs.variables is not None:
            values: Mapping[str, int] = obs.variables
        else:  # no profile: what the variables would say, from perception
            seen = self.sight.percept
            assert seen is not None
            values = self.estimate.update(seen, self._buttons)
            if self.estimate.cell_px != self.world.cell_px:
                self._new_cell_size(frame, self.world.cell_px, self.estimate.cell_px)
            self.sight.player_slot = self.estimate.slot
            self.reactive.lag = self.estimate.lag
            values = self._overlaid(frame, obs.screen, values)
        if self._aliases:
            values = dict(values)
            for name, src in self._aliases:
                if src in values:
                    values[name] = values[src]
        self._values = values
        if self.reactive.dodger is not None:
            return self._act_dodging(frame, values, obs.tables.get("hazards"), t0)
        t1 = time.perf_counter_ns()
        self.latency["perception"].add(t1 - t0)
        mode = values.get("game_mode", -1)
        kind = self._kind_of.get(mode, "unknown")
        if kind == "overworld":
            self._observe(frame, values)
        elif kind in ("dialogue", "battle"):
            self._interrupted = True
        if kind == "battle" and self._battle == 0:
            self._battle = 1
            if self._cell is not None:  # an encounter: the cell is costly
                self.world.mark(frame, self._area, self._cell, CellKind.SLOW, "encounter")
        elif kind == "dialogue":
            self.sight.dialogue_frame()
        self._watch_tries(frame, kind, values)
        if self.thinking:
            self._poll_strategy(frame)
        if frame % self.config.tactical_every == 0:
            self._tactical(frame, values)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        elif self._planning is not None:
            # a plan under way: its next slice (a bounded number of A* expansions)
            self._step_planning(frame)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        elif (self.reactive.need_replan and self.reactive.plan is None
              and kind == "overworld" and self.strategy is not None and not self._spent
              and not self.reactive.explore_fallback and self.trials.pending is None):
            # on demand between ticks: the plan ran out or broke
            self._replan(frame, values)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        held = self._buttons  # (in the frame just shown)
        self._buttons = self._react(frame, values, t0,
                                    watched=obs.screen if obs.variables is None else None)
        if obs.variables is None:
            self._buttons = self._struck(frame, kind, values, self._buttons, held)
        return self._buttons

    def _react(self, frame: int, values: Mapping[str, int], t0: int,
               watched: Any = None) -> int:
        """The reactive layer's buttons, timed; ``t0``: when this frame's agent work began;
        ``watched``: the screen, when what a press of A opens is watched (no profile)."""
        t2 = time.perf_counter_ns()
        presses = self.reactive.presses
        buttons = self.reactive.act(frame, values)
        if watched is not None and self.reactive.presses != presses:
            self.overlay.pressed(frame, watched, (values.get("camera_x", 0),
                                                  values.get("camera_y", 0)))
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
            self._milestones(frame, values)
            self.latency["tactical"].add(time.perf_counter_ns() - t1)
        self.reactive.hazard_bytes = raw
        return self._react(frame, values, t0)

    # ------------------------------------------------------------------ tactical
    def _milestones(self, frame: int, v: Mapping[str, int]) -> list[str]:
        """Milestones newly reached (the bench scores them; for the agent a milestone
        is only a sign that progress happened)."""
        if not self._pending or self.profile is None:
            return []
        reached = {m.name: m.reached(v) for m in self._pending}
        newly = self.goals.update(reached)
        if newly:
            self._pending = [m for m in self._pending if m.name not in newly]
        for name in newly:
            self.world.events.add(frame, "milestone", name=name)
            if name == "quest_complete" and self.quest_complete_frame is None:
                self.quest_complete_frame = frame
        return newly

    def _new_cell_size(self, frame: int, old: int, new: int) -> None:
        """The player's moves told another cell size (without a profile): what was
        learned by cell moves into the new cells (:mod:`eevee.world.rescale`), and plans
        and searches made in the old ones are dropped. A map restored from a saved
        session is in the cells its run learned: only the size is taken."""
        if not self.world.rescalable:
            self.sight.cell_px = self.world.cell_px = new
            return
        rescale(self.world, old, new)
        self.estimate.rescaled(old, new)
        self.sight.cell_px = self.world.cell_px = new
        if self._cell is not None:
            self._cell = to_new(self._cell, old, new)
        self.reactive.set_plan(None)
        self._planning = None
        self.planner.forget_attempts()
        self.world.events.add(frame, "cells_rescaled", old=old, new=new)
        # walls learned in the old cells are not known in the new ones (a wall cell four
        # times the size may be half floor): forgotten, and what was tried is worth a try
        # again, as after progress (the map redrawn: counted so, and the tactical tick
        # does the rest)
        self.world.redrawn += 1
        if self.strategy is not None:
            self._trigger(frame, "cells_rescaled")

    def _picked_up(self, frame: int) -> None:
        """Something gone from under the player's feet (an item picked up,
        :mod:`eevee.agents.figures`) makes what said no when walked into worth walking
        into again (a locked door, with the key); nothing else is tried again for it."""
        if self.figures.pickups != self._pickups:
            self._pickups = self.figures.pickups
            doors = self.world.curiosity.picked_up(self._door)
            self.world.events.add(frame, "picked_up", doors=doors)
            if doors:
                self._trigger(frame, "progress")

    def _door(self, key: Any) -> bool:
        """Whether place ``key`` (area, cell) looks like few others: a door, not floor."""
        amap = self.world.area(key[0])
        return amap.inside(key[1]) and few_alike(self.world, amap.look(key[1]))

    def _tactical(self, frame: int, v: Mapping[str, int]) -> None:
        newly = self._milestones(frame, v)
        state = tuple(v.get(k, 0) for k in self._progress_vars)
        if self.profile is None:  # (no flags to watch: the signs are the map redrawn, and
            # someone who said something new and then left: the cat found goes home)
            state = (self.world.redrawn, self.world.curiosity.departures)
            self._picked_up(frame)
        if state != self._progress or newly:
            first = self._progress is None
            self._progress = state
            if not first:
                lead = self._lead_now(frame, v)
                if lead is not None:
                    self.world.leads.note(lead)
                    self.world.events.add(frame, "lead_learned", lead=lead.kind,
                                          area=lead.area, cell=list(lead.cell))
                self.world.curiosity.progress()
                self.world.events.add(frame, "progress", epoch=self.world.curiosity.epoch)
                if self._area is not None:
                    self.world.world_changed(frame, self._area)
                    self.planner.forget_attempts(self._area)
                self._trigger(frame, "progress")
        if self.strategy is None and not self.thinking:
            self._trigger(frame, "start")
        elif frame - self._last_think >= self.config.strategic_every:
            self._trigger(frame, "tick")
        if self._kind_of.get(v.get("game_mode", -1)) != "overworld":
            return
        if self._area is not None and self._cell is not None and (
                self._still >= 2 or self.sight.new_view()) and (
                self.profile is not None or self.estimate.played):
            # (from pixels, not before the player walked: a title is no map)
            self.sight.look_around(frame, self._area, self._cell, self._values,
                                   still=self._still >= 2)
        if self.strategy is not None and self.strategy.action.kind != "explore" and (
                frame - self._objective_since > GIVE_UP_FRAMES or self._fails >= MAX_FAILS):
            self._give_up(frame)
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
        elif (self.reactive.need_replan and self.strategy is not None and not self._spent
              and self.trials.pending is None):  # (a try's answer is awaited)
            self._replan(frame, v)

    def _replan(self, frame: int, v: Mapping[str, int]) -> None:
        """Start planning and run its first slice; the rest runs in the next frames
        (:meth:`_step_planning`), so no frame carries a whole long search."""
        assert self.strategy is not None
        area = v.get("area", 0)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        self._npcs = {t.key: t.cell for t in self.world.curiosity.things_in(area)}
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
            self._fails += 1
            # nothing plannable: explore instead of standing still
            plan = yield from self.planner.explore_steps(frame, area, cell, npcs)
            self.reactive.set_plan(plan, "explore")
        elif plan is None:  # nothing left to explore here: :mod:`.restless`
            yield from self._nothing_left(frame, area, cell, npcs)

    # ------------------------------------------------------------------ strategic
    def situation(self, v: Mapping[str, int], todos: tuple[str, ...] = ()) -> str:
        """The cache key: where (the area, and the part of it: distances rank the
        todos), how the game stands, and what there is to do."""
        low = int(v.get("hp", 1) * 3 < max(1, v.get("max_hp", 1)))
        part = (v.get("player_x", 0) // REGION, v.get("player_y", 0) // REGION)
        return (f"area={v.get('area')};part={part};progress={self._progress};low_hp={low};"
                f"todos={hash(todos) & 0xFFFFFFFF:x}")

    def _context_steps(self, frame: int, v: Mapping[str, int]
                       ) -> Generator[int, None, StrategyContext]:
        """The strategist's context, a part at a time (:func:`~eevee.goals.todos.todo_steps`)."""
        cur = self.strategy.objective.name if self.strategy else "none"
        area = v.get("area", -1)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        area_name = self.world.names.get(area, str(area))
        desc = (f"In {area_name} at {cell}, HP {v.get('hp')}/{v.get('max_hp')}; "
                f"current objective: {cur}.")
        todos = yield from todo_steps(self.world, area, cell, hp=v.get("hp"),
                                      max_hp=v.get("max_hp"))
        # (the objective under way is part of it: a strategist may keep it)
        situation = self.situation(v, (cur, *sorted(o.name for o, _ in todos)))
        return StrategyContext(
            frame=frame, situation=situation, description=desc,
            quests=tuple(self.goals.quests), todos=tuple(o for o, _ in todos),
            distances=tuple(float(d) for _, d in todos), values=dict(v),
            area=area, cell=cell, current=cur if self.strategy else None,
            memories=memories(self.world, area),
            **(self._model_context(area, cell, v) if self._looks else {}),
        )

    def _model_context(self, area: Any, cell: Cell, v: Mapping[str, int]) -> dict[str, Any]:
        """What only a model strategist reads (the built-in one ranks todos): what draws
        the annotated frame (on the strategist's thread, not here), the map's bounds, the
        things and doors here, the recent events and the long memory."""
        amap = self.world.area(area)
        events = self.world.events.events
        return {"scene": self.sight.scene(area, cell, v),
                "map_size": (int(amap.kinds.shape[1]), int(amap.kinds.shape[0])),
                "things": {t.cell: t.key for t in self.world.curiosity.things_in(area)},
                "areas": {str(self.world.names.get(t.to_area, t.to_area)): t.to_area
                          for t in self.world.doors_of(area)},
                "recent": recent(events), "summary": self.long_memory.update(events)}

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
            **({} if self.profile else {"estimate": self.estimate.stats(),
                                         "bored_proddings": self.reactive.boredom.proddings}),
            "latency": {k: v.summary() for k, v in self.latency.items()},
            **({"model": self.strategist.stats()}  # type: ignore[attr-defined]
               if hasattr(self.strategist, "drain_calls") else {}),
        }
