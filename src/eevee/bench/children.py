"""Benchmark runs in child processes of their own (stable-retro allows one emulator core a
process), several at a time.

>>> from eevee.bench.children import in_children
>>> [r["n"] for r in in_children(["print('{\\"n\\": 1}')", "print('{\\"n\\": 2}')"], jobs=2)]
[1, 2]
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def call(function: str, *args: Any) -> str:
    """The code for a child that prints, as JSON, what ``function`` (``module.name``)
    returns for ``args`` (each written as its ``repr``).

    >>> for part in call("eevee.bench.agent.measure", "quest", 300).split("; "):
    ...     print(part)
    import json
    from eevee.bench.agent import measure
    print(json.dumps(measure('quest', 300)))
    """
    module, name = function.rsplit(".", 1)
    return (f"import json; from {module} import {name}; "
            f"print(json.dumps({name}({', '.join(map(repr, args))})))")


def run_child(code: str) -> tuple[dict[str, Any], str]:
    """Run the Python ``code`` in an isolated child: the JSON object its last line
    printed (``{"error": ...}``, its last line on stderr, when it failed), and what it
    wrote on stderr."""
    proc = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True,
                          text=True, cwd=str(Path.cwd()))
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["failed"]
        return {"error": tail[0]}, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, proc.stderr


def in_children(codes: Sequence[str], jobs: int = 1,
                done: Callable[[dict[str, Any], str], dict[str, Any]] | None = None,
                progress: Callable[[int], str] | None = None) -> list[dict[str, Any]]:
    """:func:`run_child` of each of ``codes``, ``jobs`` at a time; the results in the
    order of ``codes``. ``done(result, stderr)``: what to keep of a run (default: its
    result); ``progress(i)``: the line to show on stderr as run ``i`` is taken."""
    from concurrent.futures import ThreadPoolExecutor

    out: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        futures = [pool.submit(run_child, code) for code in codes]
        for i, fut in enumerate(futures):
            result, err = fut.result()
            out.append(done(result, err) if done is not None else result)
            if progress is not None:
                sys.stderr.write(f"\r[{i + 1}/{len(codes)}] {progress(i)}" + " " * 20)
                sys.stderr.flush()
    if progress is not None:
        sys.stderr.write("\n")
    return out
