"""``eevee sessions``: the named sessions (``eevee play --session NAME``).

``list`` them; ``show NAME`` its game, frames played, latest autosave and runs;
``delete NAME`` it (its runs and autosave; the knowledge store keeps what was learned).
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("sessions", help="the named sessions of eevee play --session")
    ssub = p.add_subparsers(dest="action", metavar="ACTION")
    ssub.required = True
    ssub.add_parser("list", help="every session").set_defaults(run=run)
    for name, text in (("show", "one session"), ("delete", "delete a session")):
        s = ssub.add_parser(name, help=text)
        s.add_argument("name", help="the session's name")
        s.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from eevee.runner.sessions import Session, list_sessions, sessions_dir

    if args.action == "list":
        metas = list_sessions()
        if not metas:
            print(f"no sessions in {sessions_dir()}")
        for m in metas:
            print(f"{m['name']:16} {m.get('game', '?'):10} frames {m.get('frames', 0):>7}  "
                  f"runs {len(m.get('runs', [])):>3}  saved {m.get('saved', '-')}")
        return 0
    session = Session(sessions_dir(), args.name)
    if args.action == "delete":
        session.delete()
        print(f"deleted session {args.name}")
        return 0
    if not session.exists:
        from eevee.errors import ConfigError

        raise ConfigError(f"no session {args.name!r} in {sessions_dir()} (eevee sessions list)")
    m = session.meta()
    print(f"session {m['name']}: {m.get('game')} (ROM {m.get('rom')}, SHA-1 {m['sha1']})")
    print(f"  frames played {m.get('frames', 0)}, latest autosave {m.get('autosave') or '-'} "
          f"({m.get('saved', '-')})")
    for r in m.get("runs", []):
        print(f"  run from frame {r['first_frame']:>7}: {session.folder / r['folder']}")
    return 0
