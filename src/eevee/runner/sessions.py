"""Named sessions: a game that goes on across runs, and survives a kill.

``eevee play --session NAME`` starts the session or resumes it. Its folder
(``$EEVEE_DATA/sessions/NAME``) holds ``session.json`` (the game, the frames played,
which autosave is the latest, the runs so far), one run folder per run
(``run-<first frame>``: events, recording, summary, as for any run) and the latest
autosave: the emulator's savestate and the agent's state (:mod:`eevee.agents.resume`)
at one frame, saved together.

An autosave is written into a new folder, flushed, renamed into place, and only then
named in ``session.json`` (itself replaced atomically); older autosaves are deleted
after. A kill at any moment — during an autosave too — leaves ``session.json`` naming a
complete autosave, so the session resumes from the last one that finished.

>>> import tempfile, pathlib
>>> s = Session(pathlib.Path(tempfile.mkdtemp()), "demo")
>>> s.create("/roms/quest.gba", "ab" * 20, "quest")
>>> s.autosave(600, b"state", {"version": 1})
>>> save = s.latest()
>>> save.frame, save.state, s.meta()["frames"]
(600, b'state', 600)
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eevee.errors import ConfigError, StorageError
from eevee.runtime.files import data_dir, storage_error, write_atomic

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
META = "session.json"
AUTOSAVE_S = 30.0  # seconds of game time between autosaves (default)


def sessions_dir() -> Path:
    return data_dir() / "sessions"


@dataclass(frozen=True)
class Autosave:
    """One complete autosave: the frame it was taken after, the emulator's savestate,
    the agent's state (None: a person played)."""

    frame: int
    state: bytes
    agent: dict[str, Any] | None


class Session:
    """One named session under ``root`` (see the module doc)."""

    def __init__(self, root: Path, name: str) -> None:
        if not NAME.match(name):
            raise ConfigError(f"session name {name!r}: use letters, digits, '.', '_' and "
                              "'-' (up to 64), starting with a letter or digit")
        self.name = name
        self.folder = Path(root) / name

    @property
    def exists(self) -> bool:
        return (self.folder / META).is_file()

    def meta(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / META).read_text(encoding="utf-8"))
        except OSError as exc:
            raise storage_error(self.folder / META, exc, "read") from exc
        except ValueError as exc:
            raise StorageError(f"{self.folder / META} is damaged ({exc}): delete the "
                               f"session (eevee sessions delete {self.name})") from exc
        if not isinstance(data, dict) or "sha1" not in data:
            raise StorageError(f"{self.folder / META} is not a session file: delete the "
                               f"session (eevee sessions delete {self.name})")
        return data

    def _write_meta(self, meta: dict[str, Any]) -> None:
        write_atomic(self.folder / META,
                     (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def create(self, rom: str, sha1: str, game: str) -> None:
        """A new session of the game (nothing played yet)."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._write_meta({"name": self.name, "rom": rom, "sha1": sha1, "game": game,
                          "created": now, "frames": 0, "autosave": None, "runs": []})

    def run_folder(self, first: int) -> Path:
        """A new run folder for a run starting at frame ``first`` (noted in the session)."""
        base = self.folder / f"run-{first:09d}"
        path, n = base, 2
        while path.exists():  # (resumed twice from one autosave)
            path = base.with_name(f"{base.name}-{n}")
            n += 1
        meta = self.meta()
        meta["runs"] = [*meta.get("runs", []), {"folder": path.name, "first_frame": first}]
        self._write_meta(meta)
        return path

    def autosave(self, frame: int, state: bytes, agent: dict[str, Any] | None) -> None:
        """Save ``state`` and ``agent`` as the latest autosave (call off the frame thread)."""
        name = f"autosave-{frame:09d}"
        tmp = self.folder / f"{name}.tmp"
        final = self.folder / name
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            write_atomic(tmp / "state.bin", state)
            write_atomic(tmp / "agent.json", json.dumps(agent).encode("utf-8"))
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
        except OSError as exc:
            raise storage_error(final, exc) from exc
        meta = self.meta()
        meta.update(frames=frame, autosave=name,
                    saved=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        self._write_meta(meta)
        for old in self.folder.glob("autosave-*"):
            if old.name != name:  # (older ones, and leftovers of a killed autosave)
                with contextlib.suppress(OSError):
                    shutil.rmtree(old)

    def latest(self) -> Autosave | None:
        """The autosave ``session.json`` names, or None before the first one."""
        name = self.meta().get("autosave")
        if not name:
            return None
        folder = self.folder / str(name)
        try:
            state = (folder / "state.bin").read_bytes()
            agent = json.loads((folder / "agent.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StorageError(f"the session's autosave {folder} is unreadable ({exc}): "
                               f"delete the session (eevee sessions delete {self.name})") \
                from exc
        return Autosave(int(self.meta()["frames"]), state, agent)

    def delete(self) -> None:
        if not self.exists:
            raise ConfigError(f"no session {self.name!r} in {self.folder.parent}")
        try:
            shutil.rmtree(self.folder)
        except OSError as exc:
            raise storage_error(self.folder, exc, "delete") from exc


def list_sessions(root: Path | None = None) -> list[dict[str, Any]]:
    """Every session's ``session.json`` under ``root``."""
    root = root or sessions_dir()
    out = []
    for meta in sorted(root.glob(f"*/{META}")) if root.is_dir() else []:
        with contextlib.suppress(StorageError, ConfigError):
            out.append(Session(root, meta.parent.name).meta())
    return out
