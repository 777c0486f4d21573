"""The typed configuration of one run, saved as ``config.json`` in its run folder."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eevee.emulator.platform import FRAME_RATE_HZ
from eevee.errors import ConfigError
from eevee.runtime.clock import TimeMode
from eevee.strategists.options import ModelOptions

DEFAULT_FRAMES = 1800
UNTIL = ("quest", "frames")  # stop when the main quest completes, or only at the frame limit
MAX_SECONDS = 365 * 24 * 3600.0  # a run of more game time than this is a typo


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides what a run does."""

    rom: str = "quest"
    backend: str = "auto"
    strategist: str = "builtin"
    time_mode: TimeMode = TimeMode.REALTIME
    frames: int = DEFAULT_FRAMES
    seed: int = 0
    profile: str | None = None
    use_profile: bool = True
    out: str | None = None
    screenshot_every: int = 600
    until: str = "quest"
    knowledge: str | None = None  # the knowledge store's folder (None: keep nothing)
    recall: bool = False  # start from the store's knowledge of the game (needs a profile)
    session: str | None = None  # a named session to start or resume
    autosave_s: float = 30.0  # a session's autosave interval, in seconds of game time
    human: bool = False  # a person plays, through the dashboard's keyboard
    dashboard: bool = False  # a live page watches (eevee play --dashboard)
    model: ModelOptions = field(default_factory=ModelOptions)  # a model strategist's

    def __post_init__(self) -> None:
        if self.until not in UNTIL:
            raise ConfigError(f"--until must be one of {', '.join(UNTIL)}, got {self.until!r}")
        if self.frames < 1:
            raise ConfigError(f"--frames must be at least 1, got {self.frames}")
        if self.screenshot_every < 0:
            raise ConfigError(f"--screenshot-every must be 0 or more, got {self.screenshot_every}")
        if not math.isfinite(self.autosave_s) or self.autosave_s <= 0:
            raise ConfigError(f"--autosave-every must be positive, got {self.autosave_s}")
        if self.recall and not self.knowledge:
            raise ConfigError("--recall needs a knowledge store; drop --no-knowledge")
        if self.profile is not None and not self.use_profile:
            raise ConfigError("--profile and --no-profile contradict each other; pick one")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> RunConfig:
        frames = DEFAULT_FRAMES
        if args.frames is not None and args.seconds is not None:
            raise ConfigError("give --frames or --seconds, not both")
        if args.frames is not None:
            frames = args.frames
        elif args.seconds is not None:
            if not math.isfinite(args.seconds) or args.seconds <= 0:
                raise ConfigError(f"--seconds must be a positive number, got {args.seconds}")
            if args.seconds > MAX_SECONDS:
                raise ConfigError(f"--seconds {args.seconds} is more than a year of game time "
                                  f"({MAX_SECONDS:.0f} s at most)")
            frames = max(1, round(args.seconds * FRAME_RATE_HZ))
        if getattr(args, "recall", False) and getattr(args, "fresh", False):
            raise ConfigError("--recall and --fresh contradict each other; pick one")
        session = getattr(args, "session", None)
        if session is not None and not str(session).strip():
            raise ConfigError("--session needs a name (letters, digits, '.', '_', '-')")
        if args.rom is not None and not str(args.rom).strip():
            raise ConfigError("the ROM is an empty name; pass a .gba or .gb file, a bundled "
                              "cartridge name, or nothing for quest")
        return cls(
            rom=args.rom or "quest",
            backend=args.backend,
            strategist=args.strategist,
            time_mode=TimeMode.parse(args.time_mode),
            frames=frames,
            seed=args.seed,
            profile=args.profile,
            use_profile=not args.no_profile,
            out=args.out,
            screenshot_every=args.screenshot_every,
            until=getattr(args, "until", None) or "quest",
            knowledge=getattr(args, "knowledge", None),
            # (recalled by default where there is a store, unless asked to start fresh)
            recall=bool(getattr(args, "recall", False)) or (
                bool(getattr(args, "knowledge", None)) and not getattr(args, "fresh", False)),
            session=getattr(args, "session", None),
            autosave_s=(30.0 if getattr(args, "autosave_every", None) is None
                        else float(args.autosave_every)),
            human=bool(getattr(args, "human", False)),
            dashboard=bool(getattr(args, "dashboard", False) or getattr(args, "human", False)),
            model=model_options(args),
        )

    def run_dir(self, game_name: str) -> Path:
        if self.out:
            return Path(self.out)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = Path("runs") / f"{game_name}-{stamp}"
        n = 2
        while path.exists():  # (two runs in one second: never the same folder)
            path = Path("runs") / f"{game_name}-{stamp}-{n}"
            n += 1
        return path

    def to_json(self) -> str:
        data: dict[str, Any] = dataclasses.asdict(self)
        data["time_mode"] = self.time_mode.value
        return json.dumps(data, indent=2, sort_keys=True) + "\n"


def model_options(args: argparse.Namespace) -> ModelOptions:
    """The model strategist's options from ``eevee play``'s flags (defaults elsewhere)."""
    d = ModelOptions()
    get = lambda name, default: (default if getattr(args, name, None) is None  # noqa: E731
                                 else getattr(args, name))
    return ModelOptions(
        url=get("model_url", d.url), model=get("model", d.model),
        adapter=get("adapter", d.adapter), api_key_env=get("api_key_env", d.api_key_env),
        timeout_s=float(get("model_timeout", d.timeout_s)),
        max_tokens=int(get("max_tokens", d.max_tokens)), images=get("model_images", d.images),
        prompt_dir=get("prompt_dir", d.prompt_dir),
        latency_s=None if getattr(args, "model_latency", None) is None
        else float(args.model_latency),
        schema_format=get("schema_format", d.schema_format),
        retries=int(get("model_retries", d.retries)))
