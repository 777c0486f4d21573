"""Regenerate the annotated frames in ``docs/perception/``: one per bundled cartridge.

Each image is what the strategist's vision-language model is shown: the frame scaled up,
the tile grid with coordinates, tile meanings learned while playing (every attempted move
is recorded against the tiles of the cell it aimed at, with what happened: moved,
blocked, changed area, lost health), the player marker, quest or hazard markers and a
one-line description on top.

The runs are scripted (the cartridges' solver scripts or a seeded walk); the outcomes of
the moves are read from the cartridges' RAM through their profiles, as the perception
benchmark does. Usage::

    .venv/bin/python scripts/perception_images.py [quest] [maze] [dodge] [--out DIR]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np

from eevee.bench.perception import (
    DIRS,
    Recording,
    Runner,
    _cell_ids,
    cartridge_profile,
    record_quest,
    walk,
)
from eevee.cartridges.registry import get
from eevee.cartridges.solver import walkthrough
from eevee.emulator.buttons import Buttons
from eevee.perception import Perception, ScreenKind, TileSemantics
from eevee.perception.annotate import Marker, render, to_png
from eevee.perception.describe import describe
from eevee.perception.semantics import Outcome
from eevee.profiles.reader import VariableReader

ROOT = Path(__file__).resolve().parents[1]
ORANGE = (255, 140, 0)


def _outcome(before: dict[str, int], after: dict[str, int], d: tuple[int, int],
             hurt: bool) -> Outcome | None:
    """What a move in direction ``d`` did, from the RAM variables before and after it
    (``hurt``: it cost health, however the game counts that); None when the player ended
    up somewhere else (another button took over)."""
    if after.get("area") != before.get("area"):
        return Outcome.CHANGED_AREA
    if hurt:
        return Outcome.LOST_HP
    x, y = before["player_x"], before["player_y"]
    if (after["player_x"], after["player_y"]) == (x + d[0], y + d[1]):
        return Outcome.MOVED
    if (after["player_x"], after["player_y"]) == (x, y):
        return Outcome.BLOCKED
    return None


def _at_edge(x: int, y: int, d: tuple[int, int], area: dict[str, int]) -> bool:
    """Whether a player at (x, y) pushing in direction ``d`` is at the play area's edge."""
    return (d[0] < 0 and x <= area.get("x_min", 0)) or (d[0] > 0 and x >= area.get("x_max", 224)) \
        or (d[1] < 0 and y <= area.get("y_min", 0)) or (d[1] > 0 and y >= area.get("y_max", 144))


def quest_image() -> tuple[bytes, str]:
    """The quest: a walk from town into the forest; meanings from the walk's moves."""
    prof = cartridge_profile("quest")
    assert prof is not None
    cell = int(prof.hint("cell_pixels", 16))
    rec = record_quest(seed=1, steps=90, keep_memory=10**6)
    seen = Perception("gba", profile=prof)
    sem = TileSemantics()
    grids: dict[int, tuple[np.ndarray, tuple[int, int]]] = {}
    need = {a["frame"] for a in rec.attempts}
    percepts = []
    for i, f in enumerate(rec.frames):
        p = seen.perceive(f, values=rec.values[i], io=rec.io[i] if i < len(rec.io) else None)
        percepts.append(p)
        if i in need:
            grids[i] = (p.grid.ids.copy(), p.grid.origin)
    for a in rec.attempts:
        b, af = a["before"], a["after"]
        dx, dy = DIRS[Buttons(a["dir"])]
        ids, origin = grids[a["frame"]]
        target = _cell_ids(ids, origin, (b["player_x"] + dx) * cell - b["camera_x"],
                           (b["player_y"] + dy) * cell - b["camera_y"], cell)
        hurt = af["hp"] < b["hp"] and af["game_mode"] != 4  # not a battle's damage
        outcome = Outcome.OPENED_DIALOGUE if af["game_mode"] == 2 else _outcome(
            b, af, (dx, dy), hurt)
        if outcome is not None:
            sem.record(target, outcome)
    # the last still overworld frame of the walk
    i = max(k for k, v in enumerate(rec.values)
            if v["game_mode"] == 1 and not v["moving"] and percepts[k].player is not None)
    p, v = percepts[i], rec.values[i]
    areas = prof.hint("areas", [])
    area = areas[v["area"]] if v["area"] < len(areas) else v["area"]
    markers = []
    # the walkthrough's quest-step cells, marked on the picture (from solver.json)
    for steps in walkthrough(get("quest")).get("quest_steps", {}).values():
        for step in steps:
            if step.get("area") == v["area"] and "cell" in step:
                x, y = step["cell"]
                col, row = p.grid.cell_at(x * cell - v["camera_x"] + cell // 2,
                                          y * cell - v["camera_y"] + cell // 2)
                if 0 <= col < 30 and 0 <= row < 20:
                    markers.append(Marker(col, row, "quest", (255, 255, 255)))
    meanings = sem.meaning_grid(p.grid.ids)
    text = describe(p.player, meanings, p.kind, area=area, hp=(v["hp"], v["max_hp"])).text
    img = render(rec.frames[i], p.grid, meanings, p.player, markers, title=f"[quest] {text}")
    return to_png(img), f"quest frame {i}"


def maze_image(solver_frames: int = 560, walk_steps: int = 80) -> tuple[bytes, str]:
    """The maze (Game Boy), seen from pixels alone (no profile): the solver's run into the
    great hall, then a seeded walk there; meanings from the moves (a step that changed
    rooms is a door, one that fell in water a hazard)."""
    from eevee.cartridges.solver import load_script
    from eevee.emulator import open_emulator

    prof = cartridge_profile("maze")
    assert prof is not None
    cell = int(prof.hint("cell_pixels", 16))
    step = int(prof.hint("step_frames", 8))
    cart = get("maze")
    with open_emulator(cart.rom_path, backend="pyboy") as emu:
        run = Runner(emu, VariableReader(prof), gba=False)
        for buttons, n in load_script(cart.solver_path):
            run.step(buttons, min(n, solver_frames - len(run.rec.frames)))
            if len(run.rec.frames) >= solver_frames:
                break
        walk(run, walk_steps, seed=3, step_frames=step)
    rec: Recording = run.rec
    seen = Perception("gb")
    sem = TileSemantics()
    percepts = [seen.perceive(f, buttons=b) for f, b in zip(rec.frames, rec.buttons)]
    for a in rec.attempts:
        v, after = a["before"], a["after"]
        d = DIRS[Buttons(a["dir"])]
        g = percepts[a["frame"]].grid
        target = _cell_ids(g.ids, g.origin, (v["player_x"] + d[0]) * cell,
                           (v["player_y"] + d[1]) * cell, cell)
        outcome = _outcome(v, after, d, after["falls"] > v["falls"])
        if outcome is not None:
            sem.record(target, outcome)
    i = max(k for k, v in enumerate(rec.values)
            if v["game_mode"] == 1 and not v["move_timer"] and percepts[k].player is not None)
    p = percepts[i]
    meanings = sem.meaning_grid(p.grid.ids)
    text = describe(p.player, meanings, p.kind).text
    img = render(rec.frames[i], p.grid, meanings, p.player,
                 title=f"[maze, pixels only] {text}")
    return to_png(img), f"maze frame {i}, {len(rec.attempts)} moves learned from"


def dodge_image(frames: int = 6000) -> tuple[bytes, str]:
    """Dodge: the solver's first runs seen without a profile (VRAM path: the player is
    the sprite that follows the d-pad); the floor is what the player moved over, the edges
    of the play area what stopped it; the falling rocks and bolts (the other sprites) are
    marked."""
    from eevee.cartridges.solver import load_script
    from eevee.emulator import open_emulator

    prof = cartridge_profile("dodge")
    assert prof is not None
    cart = get("dodge")
    with open_emulator(cart.rom_path, backend="retro") as emu:
        run = Runner(emu, VariableReader(prof), gba=True, keep_memory=frames)
        for buttons, n in load_script(cart.solver_path):
            run.step(buttons, min(n, frames - len(run.rec.frames)))
            if len(run.rec.frames) >= frames:
                break
    rec: Recording = run.rec
    seen = Perception("gba", path="vram")
    pix = Perception("gba")  # the pixel grid the meanings are learned on
    sem = TileSemantics()
    size = int(prof.hint("player_size", 16))
    area = prof.hint("player_area", {})
    percepts, grids = [], []
    for i in range(len(rec.io)):
        percepts.append(seen.perceive(rec.frames[i], buttons=rec.buttons[i], io=rec.io[i],
                                      vram=rec.vram[i], oam=rec.oam[i],
                                      palette=rec.palette[i]))
        grids.append(pix.perceive(rec.frames[i], buttons=rec.buttons[i], io=rec.io[i]).grid)
    for i in range(0, len(rec.io) - 8, 4):
        v, b, after = rec.values[i], rec.buttons[i], rec.values[i + 8]
        d = next((DIRS[k] for k in DIRS if b & k), None)
        if d is None or v["game_mode"] != 1 or after["game_mode"] != 1:
            continue
        g = grids[i]
        x, y = v["player_x"], v["player_y"]
        if (after["player_x"], after["player_y"]) != (x, y):  # moved over: floor
            sem.record(_cell_ids(g.ids, g.origin, after["player_x"], after["player_y"], size),
                       Outcome.MOVED)
        elif _at_edge(x, y, d, area):  # pushed against an edge of the play area
            sem.record(_cell_ids(g.ids, g.origin, x + d[0] * size, y + d[1] * size, size),
                       Outcome.BLOCKED)
    # a frame late in a run, the player found, with the most hazards on screen
    live = [k for k in range(len(rec.io) // 2, len(rec.io))
            if rec.values[k]["game_mode"] == 1 and percepts[k].player is not None]
    i = max(live, key=lambda k: len(percepts[k].vram.sprites) if percepts[k].vram else 0)
    p, g = percepts[i], grids[i]
    me = p.player.box if p.player is not None else None
    markers = []
    for s in p.vram.sprites if p.vram is not None else []:
        if me is not None and s.x < me[2] and me[0] < s.x + s.width and s.y < me[3] \
                and me[1] < s.y + s.height:
            continue  # the player's own sprite
        col, row = g.cell_at(s.x + s.width // 2, s.y + s.height // 2)
        if 0 <= col < 30 and 0 <= row < 20:
            markers.append(Marker(col, row, "rock" if s.width >= 16 else "bolt", ORANGE))
    meanings = sem.meaning_grid(g.ids)
    text = describe(p.player, meanings, ScreenKind.OVERWORLD,
                    objects=[(m.label, (m.col, m.row)) for m in markers]).text
    img = render(rec.frames[i], g, meanings, p.player, markers, title=f"[dodge] {text}")
    return to_png(img), f"dodge frame {i}"


MAKERS: dict[str, Callable[[], tuple[bytes, str]]] = {
    "quest": quest_image,
    "maze": maze_image,
    "dodge": dodge_image,
}


def main(argv: list[str] | None = None) -> int:
    """Write the images of the named cartridges (all by default) to ``--out``."""
    ap = argparse.ArgumentParser(description="annotated frames for docs/perception")
    ap.add_argument("names", nargs="*", help=f"cartridges (default: {', '.join(MAKERS)})")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "perception")
    args = ap.parse_args(argv)
    unknown = sorted(set(args.names) - set(MAKERS))
    if unknown:
        ap.error(f"no image for {', '.join(unknown)}; choose from {', '.join(MAKERS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(MAKERS):
        if not get(name).built:
            print(f"{name}: not built (eevee cartridges build {name}); skipped")
            continue
        png, what = MAKERS[name]()
        (args.out / f"{name}.png").write_bytes(png)
        print(f"{name}: {what} -> {args.out / (name + '.png')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
