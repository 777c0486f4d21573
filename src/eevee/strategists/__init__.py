"""Strategists: set objectives on demand — the built-in planner, or a model.

Model strategists (``openai``, ``transformers``) import their heavy dependencies only
when made; the built-in strategist stands in whenever a model fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eevee.errors import ConfigError
from eevee.strategists.base import Action, Strategist, Strategy, StrategyContext
from eevee.strategists.builtin import BuiltinStrategist
from eevee.strategists.cache import StrategyCache
from eevee.strategists.options import ModelOptions
from eevee.strategists.testing import SlowStrategist

NAMES = ("builtin", "slow", "openai", "transformers")


def make_strategist(name: str, hints: Mapping[str, Any] | None = None,
                    options: ModelOptions | None = None) -> Strategist:
    """``builtin``; ``slow`` (builtin behind a 1 s sleep, for real-time tests); ``openai``
    (an OpenAI-compatible server) or ``transformers`` (a local model folder), each with
    the built-in strategist standing in when the model fails."""
    if name == "builtin":
        return BuiltinStrategist(hints)
    if name == "slow":
        return SlowStrategist(BuiltinStrategist(hints), sleep_s=1.0)
    if name not in NAMES:
        raise ConfigError(f"unknown strategist {name!r}; available: {', '.join(NAMES)}")
    from eevee.strategists.model import Guard, ModelStrategist
    from eevee.strategists.prompt import Templates

    o = options or ModelOptions()
    templates = Templates.read(o.prompt_dir)  # (a bad template fails before a model loads)
    backend: Any
    if name == "openai":
        from eevee.strategists.openai_chat import OpenAIBackend

        if not o.url or not o.model:
            raise ConfigError("--strategist openai needs --model-url (e.g. "
                              "http://127.0.0.1:8080/v1) and --model (the server's model name)")
        backend = OpenAIBackend(o.url, o.model, api_key_env=o.api_key_env,
                                timeout_s=o.timeout_s, max_tokens=o.max_tokens,
                                schema_format=o.schema_format)
    else:
        from eevee.strategists.local_model import TransformersBackend

        if not o.model:
            raise ConfigError("--strategist transformers needs --model PATH (a local folder "
                              "saved by save_pretrained)")
        backend = TransformersBackend(o.model, adapter=o.adapter, max_tokens=o.max_tokens)
    return ModelStrategist(backend, BuiltinStrategist(hints), templates=templates,
                           images=o.images, latency_s=o.latency_s,
                           guard=Guard(retries=o.retries),
                           use_schema=o.schema_format != "none")


__all__ = [
    "NAMES",
    "Action",
    "BuiltinStrategist",
    "ModelOptions",
    "SlowStrategist",
    "Strategist",
    "Strategy",
    "StrategyCache",
    "StrategyContext",
    "make_strategist",
]
