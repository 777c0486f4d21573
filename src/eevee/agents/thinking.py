"""The strategic layer's timing: when the strategist is asked, where it runs, and when
its answer takes effect (a mixin of :class:`~eevee.agents.three_layer.Agent`).

``realtime``/``unlocked`` → a worker thread (the frame loop never waits); ``paused`` → in
line with the clock paused; ``virtual`` → in line, its latency (declared by the
strategist, or the fixed ``think_cost_s``, else measured) charged as frames: the strategy
takes effect that many frames later while the reactive layer keeps playing. A situation
already answered (same place, progress and todos) is served from the cache. Whatever
the mode, the question itself (the todos, which scan whole areas) is put together a part
a frame, so that no frame carries it whole.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from eevee.goals.quests import Action
from eevee.reactive.controller import ReactiveController
from eevee.runtime.clock import Clock, TimeMode
from eevee.runtime.latency import Latency
from eevee.strategists.base import Strategist, Strategy, StrategyContext
from eevee.strategists.cache import StrategyCache
from eevee.world.model import WorldModel

ASK_BUDGET = 8192  # cells the todos may scan in one frame (a 64 × 64 map: two parts)
DONE = frozenset(("arrived", "tried", "gave_up"))  # triggers that end an objective


class Thinking:
    """Asks the strategist on triggers and applies its answers (module doc)."""

    config: Any
    clock: Clock
    strategist: Strategist
    cache: StrategyCache
    strategy: Strategy | None
    world: WorldModel
    reactive: ReactiveController
    latency: dict[str, Latency]
    strategic_calls: int
    triggers: dict[str, int]
    _why: str
    _executor: ThreadPoolExecutor | None
    _future: Future[tuple[Strategy, int]] | None
    _virtual_due: tuple[int, Strategy] | None
    _last_think: int
    _values: Mapping[str, int]
    _planning: Any
    _objective_since: int
    _fails: int
    _asked: tuple[Any, Any]
    _asking: Generator[int, None, None] | None
    _spent: bool
    _again: str | None
    _frame_now: int
    _progress: tuple[int, ...] | None

    def _context_steps(self, frame: int, v: Mapping[str, int]
                       ) -> Generator[int, None, StrategyContext]:
        raise NotImplementedError

    def _start_thinking(self) -> None:
        """The strategic layer's state, as a fresh agent has it."""
        self.strategic_calls = 0
        self.triggers = {}
        self._why = ""  # what triggered the strategist call under way
        self._executor = None
        self._future = None
        self._virtual_due = None
        self._asking = None
        self._spent = False  # the objective under way is done with
        self._again = None  # a trigger while a question was under way
        self._asked = (None, None)
        self._last_think = -10**9

    @property
    def thinking(self) -> bool:
        """Whether a question to the strategist is under way (being put or answered)."""
        return (self._asking is not None or self._future is not None
                or self._virtual_due is not None)

    def _trigger(self, frame: int, reason: str) -> None:
        self.triggers[reason] = self.triggers.get(reason, 0) + 1
        if reason in DONE:  # (not to be followed again while the next is asked for:
            self._spent = True  # the reactive layer waits for the next plan)
            self.reactive.plan, self.reactive.need_replan = None, True
            self.reactive.explore_fallback = False
        if self._asking is not None and reason != self._why:
            self._asking = None  # news while the question is put: put it afresh
        elif self.thinking:  # one call at a time: ask again once this one is answered
            self._again = self._again or reason
            return
        self._put(frame, reason)

    def _put(self, frame: int, reason: str) -> None:
        """Start putting the question (``reason``: what triggered it)."""
        self._why = reason
        self._last_think = frame
        self._asked = self._where()
        # (the context is gathered a part a frame: the todos scan whole areas)
        self._asking = self._ask(frame, reason, dict(self._values))
        self._step_asking(frame)

    def _step_asking(self, frame: int) -> None:
        """The next parts of the question under way, up to :data:`ASK_BUDGET` cells
        scanned (a small room's whole question fits in one frame; a large map's takes a
        part a frame); ``frame``: this frame."""
        assert self._asking is not None
        self._frame_now = frame
        # (with no strategy yet there is nothing to follow meanwhile: a fresh or resumed
        # agent's first question is put whole, in the frame that asks it)
        budget = ASK_BUDGET if self.strategy is not None else 1 << 62
        spent = 0
        try:
            while spent < budget:
                spent += next(self._asking)
        except StopIteration:
            self._asking = None

    def _ask(self, frame: int, reason: str, v: Mapping[str, int]
             ) -> Generator[int, None, None]:
        ctx = yield from self._context_steps(frame, v)
        frame = self._frame_now  # (the frame the question is complete in)
        if reason in ("tick", "new_area", "start") and not self._looks:
            # the same situation and the same todos: the same answer, no call (a model
            # strategist keeps its own cache, which also compares the frames)
            cached = self.cache.get(ctx.situation, frame)
            if cached is not None:
                self._apply(frame, cached, cached=True)
                return
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

    @property
    def _looks(self) -> bool:
        return bool(getattr(self.strategist, "wants_scene", False))

    def _where(self) -> tuple[Any, Any]:
        """What a strategy must still fit when it arrives: the area and the progress."""
        return self._values.get("area"), self._progress

    def _timed_think(self, ctx: StrategyContext) -> tuple[Strategy, int]:
        t0 = time.perf_counter_ns()
        strategy = self.strategist.think(ctx)
        return strategy, time.perf_counter_ns() - t0

    def _poll_strategy(self, frame: int) -> None:
        """The question under way a step further; once it is answered, the one a
        trigger meanwhile asked for."""
        self._poll(frame)
        if self._again is not None and not self.thinking:
            reason, self._again = self._again, None
            self._put(frame, reason)

    def _poll(self, frame: int) -> None:
        if self._asking is not None:
            self._step_asking(frame)
        elif self._future is not None:
            if not self._future.done():
                return
            fut, self._future = self._future, None
            try:
                strategy, ns = fut.result()
            except Exception as exc:  # a strategist failure must not stop the game
                self.world.events.add(frame, "strategist_error", error=repr(exc))
                return
            self.latency["strategic"].add(ns)
            if self._where() != self._asked:
                # it thought about a place or a state of the game that is gone: ask again
                self.world.events.add(frame, "strategy_stale", objective=
                                      strategy.objective.name, asked_at=strategy.made_at)
                self._trigger(frame, "stale")
                return
            self._apply(frame, strategy)
        elif self._virtual_due is not None and frame >= self._virtual_due[0]:
            strategy = self._virtual_due[1]
            self._virtual_due = None
            self._apply(frame, strategy)

    def _apply(self, frame: int, strategy: Strategy, *, cached: bool = False) -> None:
        old = self.strategy
        self._spent = False
        self.strategy = strategy
        if not cached:
            self.cache.put(strategy)
        if old is None or old.action != strategy.action:
            self._objective_since, self._fails = frame, 0
            act: Action = strategy.action
            self.world.events.add(frame, "objective", name=strategy.objective.name,
                                  action=act.kind, area=act.target.area,
                                  cell=list(act.target.cell) if act.target.cell else None,
                                  trigger=self._why, cached=cached,
                                  reasoning=strategy.reasoning[:200])
            self.reactive.need_replan = True
            self._planning = None  # planned for the old action: start again
