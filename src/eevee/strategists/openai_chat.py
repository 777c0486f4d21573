"""Any OpenAI-compatible chat-completions server with images: llama.cpp, vLLM, Ollama,
``transformers serve``, or a cloud API — through the official ``openai`` SDK.

The key comes from an environment variable (``EEVEE_API_KEY``, else ``OPENAI_API_KEY``;
``--api-key-env`` names another), never from the command line, and is never logged. A
local server needs none. The SDK's own retries are off: :class:`~eevee.strategists.model.
Guard` retries, backs off and breaks the circuit, so a slow server costs one timeout per
call at most.

``schema_format`` says how to ask for output under the answer's JSON schema:
``json_schema`` (OpenAI, vLLM, llama.cpp's own server), ``json_object`` (llama-cpp-python's
server: ``{"type": "json_object", "schema": ...}``), or ``none`` (the server ignores it,
as ``transformers serve`` does; the answer is then parsed as it comes).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from typing import Any

from eevee.errors import ConfigError
from eevee.strategists.model import BackendError, Reply
from eevee.strategists.prompt import Prompt

SCHEMA_FORMATS = ("json_schema", "json_object", "none")
KEY_VARS = ("EEVEE_API_KEY", "OPENAI_API_KEY")


def _sdk() -> Any:
    try:
        import openai
    except ImportError:
        raise ConfigError("--strategist openai needs the openai package: "
                          "pip install 'eevee[models]'") from None
    return openai


class OpenAIBackend:
    """Chat completions at ``url`` (``.../v1``) with ``model``; see the module doc."""

    def __init__(self, url: str, model: str, *, api_key_env: str | None = None,
                 timeout_s: float = 30.0, max_tokens: int = 256, temperature: float = 0.0,
                 schema_format: str = "json_schema", seed: int | None = 0) -> None:
        if schema_format not in SCHEMA_FORMATS:
            raise ConfigError(f"schema format {schema_format!r}: use one of "
                              f"{', '.join(SCHEMA_FORMATS)}")
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--model-url {url!r} is not an http(s) address; "
                              "e.g. http://127.0.0.1:8080/v1")
        openai = _sdk()
        self._errors = openai
        names = (api_key_env,) if api_key_env else KEY_VARS
        key = next((os.environ[n] for n in names if os.environ.get(n)), None)
        if api_key_env and key is None:
            raise ConfigError(f"--api-key-env {api_key_env}: that environment variable is "
                              "not set")
        self.client = openai.OpenAI(base_url=url, api_key=key or "not-needed",
                                    timeout=timeout_s, max_retries=0)
        self.model = model
        self.name = f"openai:{model}"
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.schema_format = schema_format
        self.seed = seed

    def complete(self, prompt: Prompt, schema: Mapping[str, Any] | None) -> Reply:
        user: list[dict[str, Any]] = [
            {"type": "image_url", "image_url": {
                "url": "data:image/png;base64," + base64.b64encode(png).decode("ascii")}}
            for png in prompt.images]
        user.append({"type": "text", "text": prompt.user})
        kwargs: dict[str, Any] = {}
        if schema is not None and self.schema_format == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "strategy", "schema": dict(schema)}}
        elif schema is not None and self.schema_format == "json_object":
            kwargs["response_format"] = {"type": "json_object", "schema": dict(schema)}
        if self.seed is not None:
            kwargs["seed"] = self.seed
        e = self._errors
        try:
            r = self.client.chat.completions.create(
                model=self.model, max_tokens=self.max_tokens, temperature=self.temperature,
                messages=[{"role": "system", "content": prompt.system},
                          {"role": "user", "content": user if prompt.images else prompt.user}],
                **kwargs)
        except e.APITimeoutError:
            raise BackendError("timeout", "no answer in time") from None
        except e.APIStatusError as exc:
            raise BackendError(f"http {exc.status_code}", str(exc.message)[:120]) from None
        except e.APIConnectionError as exc:
            raise BackendError("connection failed", _cause(exc)) from None
        except (e.OpenAIError, ValueError) as exc:  # an answer that is not a completion
            raise BackendError("bad reply", str(exc)[:120]) from None
        choices = getattr(r, "choices", None)
        if not choices:
            raise BackendError("bad reply", "no choices in the answer")
        text = choices[0].message.content or ""
        usage = getattr(r, "usage", None)
        return Reply(text, int(getattr(usage, "prompt_tokens", 0) or 0),
                     int(getattr(usage, "completion_tokens", 0) or 0))

    def close(self) -> None:
        self.client.close()


def _cause(exc: BaseException) -> str:
    """The innermost cause's words (refused, reset, closed without an answer…)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return (str(exc) or type(exc).__name__)[:120]
