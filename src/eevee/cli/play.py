"""``eevee play [ROM]``: play a game headless and leave a run folder behind.

The run folder holds ``config.json`` (every option, so a run can be repeated),
``events.jsonl`` (one JSON object per event), ``recording.eevr`` (what ``eevee replay``
and ``eevee video`` need), ``summary.json``, the final savestate ``final.state`` and
periodic screenshots. Ctrl-C stops cleanly and still saves. ``--dashboard`` serves a live
page of the run; ``--human`` lets a person play through that page.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from eevee.errors import ConfigError

PLAY_DEFAULT_FRAMES = 36_000  # 10 min of game time; a run stops sooner when the quest is done


def add_parser(sub: Any) -> None:
    p = sub.add_parser("play", help="play a game (default: the bundled quest cartridge)")
    p.add_argument("rom", nargs="?", default=None,
                   help="ROM file or bundled cartridge name (default: quest)")
    p.add_argument("--backend", default="auto", help="emulator backend (default: auto)")
    p.add_argument("--strategist", default="builtin",
                   help="builtin (default); openai (any OpenAI-compatible server: "
                        "--model-url, --model); transformers (a local model folder: --model "
                        "PATH [--adapter PATH]); slow (builtin behind a 1 s delay)")
    add_model_options(p)
    p.add_argument("--time-mode", default="realtime",
                   help="realtime, unlocked, paused or virtual (default: realtime)")
    p.add_argument("--frames", type=int, default=None,
                   help="stop after this many frames (default: 36000 = 10 min of game time; "
                        "the run also stops when the main quest completes)")
    p.add_argument("--seconds", type=float, default=None,
                   help="stop after this much game time, in seconds")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--profile", default=None, help="game profile file (default: match by SHA-1)")
    p.add_argument("--no-profile", action="store_true",
                   help="play from pixels only, ignoring any profile")
    p.add_argument("--out", default=None, help="run folder (default: runs/NAME-TIME)")
    p.add_argument("--screenshot-every", type=int, default=600,
                   help="save a screenshot every N frames (0: never; default 600)")
    p.add_argument("--until", choices=("quest", "frames"), default="quest",
                   help="quest: stop when the main quest completes (default); frames: keep "
                        "playing after it until the frame limit")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--knowledge", default=None, metavar="STORE",
                   help="where what the agent learns of a game is kept: a folder (SQLite; "
                        "default $EEVEE_DATA/knowledge or ~/.local/share/eevee/knowledge), "
                        "or a redis://, falkordb:// or neo4j:// server")
    p.add_argument("--no-knowledge", action="store_true",
                   help="keep nothing of what the agent learns")
    p.add_argument("--recall", action="store_true",
                   help="start from what earlier runs learned of the game: its maps, doors, "
                        "people and what moved the game on (the default with a knowledge "
                        "store and a profile)")
    p.add_argument("--fresh", action="store_true",
                   help="start knowing nothing of the game (the store still keeps what "
                        "this run learns)")
    p.add_argument("--session", default=None, metavar="NAME",
                   help="start or resume a named session: the game, the agent's state and "
                        "its knowledge autosaved together, so a killed run resumes")
    p.add_argument("--autosave-every", type=float, default=None, metavar="S",
                   help="a session's autosave interval in seconds of game time (default 30)")
    p.add_argument("--dashboard", action="store_true",
                   help="serve a live page of the run (frame, overlay, plan, quests, maps, "
                        "latency; pause, resume, step)")
    p.add_argument("--human", action="store_true",
                   help="play yourself on the dashboard page (arrows, Z/X = A/B, Enter/Shift "
                        "= START/SELECT, A/S = L/R); recorded like the agent's play")
    p.add_argument("--host", default="127.0.0.1",
                   help="dashboard address (default 127.0.0.1; any other needs --token)")
    p.add_argument("--port", type=int, default=8765,
                   help="dashboard port (default 8765; 0 picks a free one)")
    p.add_argument("--token", default=None,
                   help="a secret the page must present (required off 127.0.0.1)")
    p.set_defaults(run=run)


def add_model_options(p: argparse.ArgumentParser) -> None:
    """The flags of a model strategist (``--strategist openai|transformers``)."""
    g = p.add_argument_group("model strategist")
    g.add_argument("--model-url", default=None,
                   help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    g.add_argument("--model", default=None,
                   help="the server's model name, or a local model folder (transformers)")
    g.add_argument("--adapter", default=None, help="a LoRA adapter folder (transformers)")
    g.add_argument("--api-key-env", default=None, metavar="VAR",
                   help="the environment variable holding the API key (default: "
                        "EEVEE_API_KEY, else OPENAI_API_KEY; a local server needs none)")
    g.add_argument("--model-timeout", type=float, default=None, metavar="S",
                   help="seconds to wait for one answer (default 30)")
    g.add_argument("--max-tokens", type=int, default=None, help="answer length (default 256)")
    g.add_argument("--model-images", choices=("frame", "last4", "none"), default=None,
                   help="what the model sees: the annotated frame (default), the last "
                        "four in a 2x2 sheet, or none (a text-only model)")
    g.add_argument("--prompt-dir", default=None,
                   help="a folder with system.txt and user.txt to use as the prompt")
    g.add_argument("--model-latency", type=float, default=None, metavar="S",
                   help="declared seconds per call, charged as frames in virtual time "
                        "(default: measured)")
    g.add_argument("--schema-format", choices=("json_schema", "json_object", "none"),
                   default=None, help="how to ask the server for output under the answer's "
                   "JSON schema (json_object for llama-cpp-python; none: parse as it comes)")
    g.add_argument("--model-retries", type=int, default=None,
                   help="retries of a failed call, with back-off (default 1)")


def run(args: argparse.Namespace) -> int:
    from eevee.runner.config import RunConfig
    from eevee.runner.stopping import NAMES, Stopper

    if args.frames is None and args.seconds is None:
        args.frames = PLAY_DEFAULT_FRAMES
    if args.no_knowledge and args.knowledge:
        raise ConfigError("--knowledge and --no-knowledge contradict each other; pick one")
    if not args.no_knowledge and args.knowledge is None:
        from eevee.world.store import default_dir

        args.knowledge = str(default_dir())
    if args.no_knowledge:
        args.knowledge = None
    config = RunConfig.from_args(args)
    # (a second Ctrl-C after the run's own handler is gone, while the folder's path is
    # printed or the process winds down, changes nothing: it is on its way out with 130)
    with Stopper():
        code = _play(args, config)
    if code:
        for sig in NAMES:
            signal.signal(sig, signal.SIG_IGN)
    return code


def _play(args: argparse.Namespace, config: Any) -> int:
    """The run as ``config`` says, its table printed; the exit status."""
    from eevee.runner.session import play
    from eevee.runner.stopping import EXIT_CODES

    if not config.dashboard:
        summary = play(config, progress=not args.quiet)
    else:
        from eevee.dashboard import Dashboard
        from eevee.runner.live import LiveState

        if config.human and config.time_mode.value != "realtime":
            raise ConfigError("--human plays in real time; drop --time-mode "
                              f"{config.time_mode.value}")
        live = LiveState()
        with Dashboard(live, host=args.host, port=args.port, token=args.token) as board:
            url = board.start()
            print(f"dashboard: {url}", file=sys.stderr, flush=True)
            if config.human:
                _open_page(url)
            summary = play(config, progress=not args.quiet, live=live)
    print(summary.table())
    if config.session:
        print(f"session {config.session}: {summary.frames} frames played in all "
              f"(eevee play --session {config.session} goes on)", file=sys.stderr)
    code = EXIT_CODES.get(summary.stopped_by, 0)
    if code:
        print(f"eevee: stopped by {summary.stopped_by}; the run folder is complete: "
              f"{summary.run_dir}", file=sys.stderr)
    return code


def _open_page(url: str) -> None:
    """Open the page in the person's browser, where there is a screen to show it on."""
    import contextlib
    import os
    import webbrowser

    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in (
            "darwin", "win32"):
        with contextlib.suppress(Exception):  # (no browser: the URL is printed above)
            webbrowser.open(url)
