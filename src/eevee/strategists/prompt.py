"""The prompt a model strategist reads: templates (data files a user can change) filled
from the :class:`StrategyContext`, plus the annotated frame as PNG.

The templates are ``system.txt`` and ``user.txt`` in :data:`PROMPTS` (this package's
``prompts/`` folder), or in a folder of the user's (``--prompt-dir``); they are
:class:`string.Template` texts with these fields: ``$frame``, ``$description``,
``$quests``, ``$todos``, ``$memories``, ``$events``, ``$summary``, ``$actions``,
``$max_x``, ``$max_y``. A template naming any other field is refused when it is read.

>>> t = Templates.read()
>>> ctx = StrategyContext(120, "s", "In Town at (3, 4).", (), ())
>>> p = build_prompt(ctx, t)
>>> "Frame 120. In Town at (3, 4)." in p.user, '- talk, "at": [x, y]' in p.system
(True, True)
"""

from __future__ import annotations

import io
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from eevee.errors import ConfigError
from eevee.goals.quests import Objective
from eevee.perception.annotate import tile_frames
from eevee.strategists.answer import KINDS
from eevee.strategists.base import StrategyContext

PROMPTS = Path(__file__).with_name("prompts")
FIELDS = frozenset(("frame", "description", "quests", "todos", "memories", "events", "summary",
                    "actions", "max_x", "max_y"))
MAX_TEMPLATE = 64 * 1024
MAX_TODOS = 12
_HOW = {
    "goto": 'goto, "at": [x, y] - walk next to that cell',
    "walk": 'walk, "at": [x, y] - walk onto that cell',
    "talk": 'talk, "at": [x, y] - face the person or thing at that cell and press A',
    "use": 'use, "at": [x, y] - face that cell and press A (a sign, a chest, a switch)',
    "enter": 'enter, "area": "<name>" - go through a known door to that area',
    "explore": "explore - go where the map is still unknown",
}


@dataclass(frozen=True)
class Templates:
    system: string.Template
    user: string.Template

    @classmethod
    def read(cls, folder: Path | str | None = None) -> Templates:
        """The templates in ``folder`` (default: the bundled ones); a missing, huge,
        non-UTF-8 file, or a field not in :data:`FIELDS`, is a :class:`ConfigError`."""
        base = Path(folder) if folder is not None else PROMPTS
        return cls(_template(base / "system.txt"), _template(base / "user.txt"))


def _template(path: Path) -> string.Template:
    try:
        if path.stat().st_size > MAX_TEMPLATE:
            raise ConfigError(f"prompt template {path} is over {MAX_TEMPLATE // 1024} KiB; "
                              "shorten it")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read prompt template {path}: {exc.strerror or exc}; "
                          "give --prompt-dir a folder with system.txt and user.txt") from None
    except UnicodeDecodeError:
        raise ConfigError(f"prompt template {path} is not UTF-8 text") from None
    t = string.Template(text)
    names = set()
    for m in t.pattern.finditer(text):
        if m.group("invalid") is not None:
            raise ConfigError(f"prompt template {path} has a stray '$' (write $$ for a dollar)")
        names.add(m.group("named") or m.group("braced"))
    unknown = names - FIELDS - {None}
    if unknown:
        raise ConfigError(f"prompt template {path} names unknown field(s) "
                          f"{', '.join(sorted(unknown))}; known: {', '.join(sorted(FIELDS))}")
    return t


@dataclass(frozen=True)
class Prompt:
    """What one call sends: the system and user texts and the images (PNG bytes)."""

    system: str
    user: str
    images: tuple[bytes, ...] = ()


def build_prompt(ctx: StrategyContext, templates: Templates, *, summary: Sequence[str] = (),
                 frames: Sequence[np.ndarray] = ()) -> Prompt:
    """The prompt for ``ctx``: the templates filled in, and the last annotated frames
    (one, or up to four tiled in a 2×2 sheet) as PNG."""
    w, h = ctx.map_size or (256, 256)
    kinds = [k for k in KINDS if k != "enter" or ctx.areas]
    fields = {
        "frame": str(ctx.frame),
        "description": ctx.description,
        "quests": _lines(f"{q.name} ({q.kind}): " + (f"next: {q.current.milestone}"
                                                     if q.current else "done")
                         for q in ctx.quests),
        "todos": _lines(_todo(o, d) for o, d in list(zip(ctx.todos, _dists(ctx)))[:MAX_TODOS]),
        "memories": _lines(ctx.memories),
        "events": _lines(ctx.recent),
        "summary": _lines(summary),
        "actions": "\n".join(f"- {_HOW[k]}" for k in kinds)
        + (f"\nKnown areas: {', '.join(sorted(ctx.areas))}" if ctx.areas else ""),
        "max_x": str(w - 1), "max_y": str(h - 1),
    }
    images: tuple[bytes, ...] = ()
    if frames:
        pics = [Image.fromarray(np.asarray(f, np.uint8)) for f in frames]
        images = (tile_frames(pics) if len(pics) > 1 else _png(pics[0]),)
    return Prompt(templates.system.substitute(fields), templates.user.substitute(fields),
                  images)


def _dists(ctx: StrategyContext) -> tuple[float | None, ...]:
    return tuple(ctx.distances) if ctx.distances else (None,) * len(ctx.todos)


def _todo(o: Objective, d: float | None) -> str:
    where = f" at {list(o.target.cell)}" if o.target.cell is not None else ""
    far = f", {d:.0f} cells away" if d is not None else ""
    return f"{o.name} ({o.action}{where}{far})"


def _lines(items: Iterable[str]) -> str:
    out = [f"- {x}" for x in items]
    return "\n".join(out) if out else "- (none)"


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()
