"""Files that are never half-written, and JSON-lines logs that survive a torn last line.

:func:`write_atomic` writes a temporary file beside the target, flushes it to the disk
and renames it over the target, so a reader (or a run killed at any moment) sees the
old file or the new one, never a mix; a failure (a full disk, a read-only folder) leaves
the old file as it was, removes the temporary one and raises one
:class:`~eevee.errors.StorageError` line that names the file and the fix.
:func:`append_lines` appends whole lines and flushes them; :func:`read_jsonl` reads such a
log back, skipping a last line that a kill cut short.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "log.jsonl"
>>> append_lines(p, ['{"a": 1}', '{"a": 2}'])
>>> with p.open("a") as f:
...     _ = f.write('{"a": 3')            # a torn last line
>>> [r["a"] for r in read_jsonl(p)]
[1, 2]
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eevee.errors import StorageError


def data_dir() -> Path:
    """Where Eevee keeps what outlives a run: ``$EEVEE_DATA``, else
    ``$XDG_DATA_HOME/eevee``, else ``~/.local/share/eevee``."""
    base = os.environ.get("EEVEE_DATA")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "eevee"


def storage_error(path: Path, exc: OSError, action: str = "write") -> StorageError:
    """One line naming the file, the reason and what to do."""
    reason = exc.strerror or str(exc)
    fix = {28: "free some space", 27: "free some space (a file size limit was hit)",
           30: "choose a writable folder (--out)", 13: "choose a writable folder (--out)",
           20: "a file stands where a folder should be: choose another --out",
           17: "a file stands where a folder should be: choose another --out"}.get(
        exc.errno or 0, "check the disk and the folder")
    return StorageError(f"cannot {action} {path}: {reason}; {fix}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing (see the module doc)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
        _sync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(path, exc) from exc


def _sync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def append_lines(path: Path, lines: Iterable[str]) -> None:
    """Append whole lines to ``path`` and flush them to the disk; a failed append is cut
    back off (unbuffered, so nothing is written after the cut), so the file always ends
    with a whole line."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if not data:
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise storage_error(path, exc) from exc
    try:
        start = os.lseek(fd, 0, os.SEEK_END)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, start)
        raise storage_error(path, exc) from exc
    finally:
        os.close(fd)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file; a torn last line (a kill mid-write) is
    skipped, a damaged line elsewhere is a :class:`StorageError` naming it."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise storage_error(path, exc, "read") from exc
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            if i == len(lines) - 1:  # (no newline after it: cut short by a kill)
                break
            raise StorageError(f"{path} line {i + 1} is not JSON: the log is damaged "
                               "there") from None
        if isinstance(value, dict):
            out.append(value)
    return out
