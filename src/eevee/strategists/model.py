"""A strategist that asks a model, and never lets the model break the run.

:class:`ModelStrategist` builds the prompt (:mod:`eevee.strategists.prompt`), asks a
:class:`Backend` (an OpenAI-compatible server, or a model in this process), parses the
answer strictly (:mod:`eevee.strategists.answer`) and returns it as the strategy. Anything
that goes wrong — a refused connection, a timeout, an HTTP error, a closed connection,
an empty, garbled or out-of-bounds answer — is logged as one call record and the
built-in strategist decides instead, so the run goes on. Around the calls:

- **retries with back-off** for transport failures (not for a bad answer: the same
  question gets the same answer from a deterministic model);
- **a circuit breaker** counted in calls, not seconds (so virtual time stays
  deterministic): after :attr:`Guard.trip_after` failed calls in a row the model is
  skipped for ``cooldown`` calls (doubling up to :attr:`Guard.max_cooldown`), then tried
  again once;
- **a frame cache**: a situation answered before (same situation key, and a frame that
  looks the same: :class:`~eevee.strategists.cache.StrategyCache`) reuses that answer;
- **accounting**: every call is a record (latency, tokens in and out, cache hit, the
  parse result or the failure, the chosen actions) that the agent drains into the run's
  event log, and :meth:`ModelStrategist.stats` sums them for ``summary.json``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from eevee.errors import EeveeError
from eevee.strategists.answer import Allowed, AnswerError, answer_schema, parse_answer
from eevee.strategists.base import Strategist, Strategy, StrategyContext, with_scene
from eevee.strategists.cache import StrategyCache, look_of
from eevee.strategists.prompt import Prompt, Templates, build_prompt

CACHE_FRAMES = 1800  # an answer is reused for at most 30 s of game time


class BackendError(EeveeError):
    """A call that brought no answer; ``reason`` is a short tag for the log."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Reply:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0


class Backend(Protocol):
    """Where a model answers: ``complete`` one prompt (under ``schema`` if it can)."""

    name: str

    def complete(self, prompt: Prompt, schema: Mapping[str, Any] | None) -> Reply: ...

    def close(self) -> None: ...


@dataclass
class Guard:
    """Retries, back-off and the circuit breaker (counted in calls; see the module doc)."""

    retries: int = 1
    backoff_s: float = 0.5
    trip_after: int = 3
    max_cooldown: int = 32
    failures: int = 0  # in a row
    cooldown: int = 0  # calls to skip now
    _next_cooldown: int = 4

    def allow(self) -> bool:
        if self.cooldown > 0:
            self.cooldown -= 1
            return False
        return True

    def success(self) -> None:
        self.failures, self._next_cooldown = 0, 4

    def failure(self) -> bool:
        """Count a failed call; True when the breaker opens now."""
        self.failures += 1
        if self.failures >= self.trip_after:
            self.cooldown = self._next_cooldown
            self._next_cooldown = min(self.max_cooldown, self._next_cooldown * 2)
            self.failures = self.trip_after - 1  # (one more failure after the pause trips it)
            return True
        return False


@dataclass
class CallStats:
    calls: int = 0
    ok: int = 0
    cache_hits: int = 0
    skipped: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    tokens_in: int = 0
    tokens_out: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = np.asarray(self.latencies_ms or [0.0])
        asked = self.calls - self.cache_hits - self.skipped
        return {"calls": self.calls, "answered_ok": self.ok, "cache_hits": self.cache_hits,
                "skipped_breaker_open": self.skipped, "failures": dict(self.failures),
                "parse_success_rate": round(self.ok / asked, 3) if asked else None,
                "tokens_in": self.tokens_in, "tokens_out": self.tokens_out,
                "latency_ms_p50": round(float(np.percentile(lat, 50)), 1),
                "latency_ms_p99": round(float(np.percentile(lat, 99)), 1)}


class ModelStrategist:
    """A model sets the objectives; the built-in strategist stands in whenever it fails."""

    wants_scene = True  # (the agent draws the annotated frame for its calls)

    def __init__(self, backend: Backend, fallback: Strategist, *,
                 templates: Templates | None = None, images: str = "frame",
                 latency_s: float | None = None, guard: Guard | None = None,
                 use_schema: bool = True) -> None:
        if images not in ("frame", "last4", "none"):
            raise ValueError(f"images={images!r}: use frame, last4 or none")
        self.backend = backend
        self.fallback = fallback
        self.templates = templates or Templates.read()
        self.images = images
        self.latency_s = latency_s
        self.guard = guard or Guard()
        self.use_schema = use_schema
        self.name = backend.name
        self.stats_ = CallStats()
        self._records: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._frames: deque[np.ndarray] = deque(maxlen=4)
        self._cache = StrategyCache(max_age=CACHE_FRAMES)

    # ------------------------------------------------------------------ the call
    def think(self, ctx: StrategyContext) -> Strategy:
        ctx = with_scene(ctx)
        if ctx.annotated_frame is not None:
            self._frames.append(ctx.annotated_frame)
        look = look_of(ctx.annotated_frame)
        hit = self._cache.get(ctx.situation, ctx.frame, look)
        if hit is not None:
            self._record(ctx, "cache", 0.0, strategy=hit)
            return hit
        if not self.guard.allow():
            return self._fall_back(ctx, "skipped", "breaker open (model failed before)", 0.0)
        allowed = _allowed(ctx)
        prompt = build_prompt(ctx, self.templates, summary=ctx.summary,
                              frames=self._pictures())
        schema = answer_schema(allowed) if self.use_schema else None
        t0 = time.perf_counter()
        reply: Reply | None = None
        for attempt in range(self.guard.retries + 1):
            try:
                reply = self.backend.complete(prompt, schema)
                break
            except BackendError as exc:
                if attempt == self.guard.retries:
                    return self._failed(ctx, exc.reason, str(exc), t0)
                time.sleep(self.guard.backoff_s * (2 ** attempt))
            except Exception as exc:  # a client library's surprise must not stop the game
                return self._failed(ctx, "backend error", f"{type(exc).__name__}: {exc}", t0)
        assert reply is not None
        try:
            strategy = parse_answer(reply.text, allowed, frame=ctx.frame,
                                    situation=ctx.situation)
        except AnswerError as exc:
            return self._failed(ctx, "bad answer", str(exc), t0, reply)
        self.guard.success()
        self._cache.put(strategy, look)
        self._record(ctx, "ok", time.perf_counter() - t0, reply=reply, strategy=strategy)
        return strategy

    def _pictures(self) -> list[np.ndarray]:
        if self.images == "none" or not self._frames:
            return []
        return list(self._frames) if self.images == "last4" else [self._frames[-1]]

    def _failed(self, ctx: StrategyContext, reason: str, detail: str, t0: float,
                reply: Reply | None = None) -> Strategy:
        opened = self.guard.failure()
        why = detail + ("; model paused (circuit breaker open)" if opened else "")
        return self._fall_back(ctx, reason, why, time.perf_counter() - t0, reply)

    def _fall_back(self, ctx: StrategyContext, reason: str, detail: str, seconds: float,
                   reply: Reply | None = None) -> Strategy:
        s = self.fallback.think(ctx)
        s = Strategy(s.objective, s.actions, s.fallback, s.confidence, s.situation, s.made_at,
                     f"built-in ({reason}): {s.reasoning}"[:300])
        self._record(ctx, reason, seconds, reply=reply, strategy=s, error=detail[:200])
        return s

    # ------------------------------------------------------------------ accounting
    def _record(self, ctx: StrategyContext, result: str, seconds: float, *,
                reply: Reply | None = None, strategy: Strategy | None = None,
                error: str = "") -> None:
        st = self.stats_
        st.calls += 1
        if result == "ok":
            st.ok += 1
        elif result == "cache":
            st.cache_hits += 1
        elif result == "skipped":
            st.skipped += 1
        else:
            st.failures[result] = st.failures.get(result, 0) + 1
        if reply is not None:
            st.tokens_in += reply.tokens_in
            st.tokens_out += reply.tokens_out
        if result not in ("cache", "skipped"):
            st.latencies_ms.append(seconds * 1000)
        rec: dict[str, Any] = {
            "at": ctx.frame, "model": self.name, "result": result,
            "latency_ms": round(seconds * 1000, 1),
            "tokens_in": reply.tokens_in if reply else 0,
            "tokens_out": reply.tokens_out if reply else 0,
            "cache_hit": result == "cache", "used": "model" if result in ("ok", "cache")
            else "builtin",
        }
        if strategy is not None:
            rec["objective"] = strategy.objective.name
            rec["actions"] = [_words(a) for a in strategy.actions]
        if reply is not None:
            rec["answer"] = reply.text[:300]  # (what the model said, to see why it failed)
        if error:
            rec["error"] = error
        with self._lock:
            self._records.append(rec)

    def drain_calls(self) -> list[dict[str, Any]]:
        """The call records since the last drain (the agent logs them between frames)."""
        with self._lock:
            out, self._records = self._records, []
        return out

    def stats(self) -> dict[str, Any]:
        return self.stats_.summary()

    def close(self) -> None:
        self.backend.close()


def _allowed(ctx: StrategyContext) -> Allowed:
    return Allowed(ctx.map_size, dict(ctx.things), dict(ctx.areas),
                   {o.name: o for o in ctx.todos}, ctx.area)


def _words(a: Any) -> str:
    where = a.target.cell if a.target.cell is not None else a.target.area
    return a.kind if where is None else f"{a.kind} {list(where) if a.target.cell else where}"
