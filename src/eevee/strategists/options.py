"""What a model strategist needs to be made: where the model is and how to ask it.

Saved with every run in ``config.json`` (the API key never is: it stays in the
environment variable :attr:`ModelOptions.api_key_env` names).

>>> ModelOptions(timeout_s=-1)
Traceback (most recent call last):
...
eevee.errors.ConfigError: --model-timeout must be a positive number of seconds, got -1
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from eevee.errors import ConfigError

IMAGES = ("frame", "last4", "none")


@dataclass(frozen=True)
class ModelOptions:
    url: str | None = None  # an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1
    model: str | None = None  # its model name; or a local folder (transformers)
    adapter: str | None = None  # a LoRA adapter folder (transformers)
    api_key_env: str | None = None  # the environment variable holding the key
    timeout_s: float = 30.0
    max_tokens: int = 256
    images: str = "frame"  # frame, last4 (a 2x2 sheet of the last four) or none
    prompt_dir: str | None = None  # system.txt and user.txt of the user's
    latency_s: float | None = None  # declared latency per call (virtual time charges it)
    schema_format: str = "json_schema"  # json_schema, json_object or none
    retries: int = 1

    def __post_init__(self) -> None:
        if not math.isfinite(self.timeout_s) or self.timeout_s <= 0:
            raise ConfigError("--model-timeout must be a positive number of seconds, got "
                              f"{self.timeout_s:g}")
        if self.latency_s is not None and (not math.isfinite(self.latency_s)
                                           or self.latency_s < 0):
            raise ConfigError(f"--model-latency must be 0 or more seconds, got {self.latency_s}")
        if not 1 <= self.max_tokens <= 8192:
            raise ConfigError(f"--max-tokens must be 1 to 8192, got {self.max_tokens}")
        if self.images not in IMAGES:
            raise ConfigError(f"--model-images must be one of {', '.join(IMAGES)}, "
                              f"got {self.images!r}")
        if not 0 <= self.retries <= 5:
            raise ConfigError(f"--model-retries must be 0 to 5, got {self.retries}")
