"""``eevee``: play, inspect, build and benchmark.

Each verb lives in its own module with ``add_parser(subparsers)`` and ``run(args)``;
heavy imports happen inside ``run`` so ``eevee --help`` stays instant. A user's mistake
(an :class:`~eevee.errors.EeveeError`) prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from eevee import __version__
from eevee.errors import EeveeError, printable

VERBS = ("play", "replay", "video", "knowledge", "sessions", "info", "cartridges", "bench")


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line said in one line (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"eevee: error: {printable(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="eevee",
        description="An agent that plays Game Boy Advance and Game Boy games in real time.",
    )
    parser.add_argument("--version", action="version", version=f"eevee {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for verb in VERBS:
        module = importlib.import_module(f"eevee.cli.{verb}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except EeveeError as exc:
        print(f"eevee: error: {printable(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("eevee: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
