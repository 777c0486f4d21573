"""``eevee bench perception``: perception speed, and its accuracy on the bundled cartridges.

Speed (:func:`run_all`): per-frame cost of tile grid + screen kind + player by the pixel
path and the VRAM path, on frames recorded from the quest cartridge, one core; plus the
cost of an annotated PNG and of a description. Accuracy (:func:`evaluate_quest`,
:func:`kinds_report`, :func:`player_report`): the figures of the perception issue, with
RAM and ``truth.json`` as ground truth (this module may read truth;
:mod:`eevee.perception` never does). The recorded runs come from
:mod:`eevee.bench.recording` (its names are importable from here too).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import numpy as np

from eevee.bench.recording import (
    DIRS,
    Recording,
    Runner,
    cartridge_profile,
    record_maze,
    record_quest,
    record_quest_solver,
    walk,
)
from eevee.cartridges.registry import get
from eevee.emulator.buttons import Buttons
from eevee.perception import Perception, TileBook
from eevee.perception.annotate import Marker, annotate
from eevee.perception.describe import describe
from eevee.perception.semantics import Outcome, TileSemantics
from eevee.perception.vram import VramDecoder, partitions_agree, sprite_cells

# ---- accuracy ---------------------------------------------------------------------------
QUEST_MODES = {0: "title", 1: "overworld", 2: "dialogue", 3: "menu", 4: "battle",
               5: "transition"}
MAZE_MODES = {0: "title", 1: "overworld", 2: "transition", 6: "title"}


def evaluate_kinds(
    rec: Recording, platform: str, modes: dict[int, str], lag: int = 1
) -> dict[str, Any]:
    """Screen kind from pixels only (no profile, no memory) against RAM's ``game_mode``
    ``lag`` frames earlier (the screen shows the previous frame's state): right, total
    and the confusion matrix ``{truth: {guess: n}}``."""
    seen = Perception(platform)
    confusion: dict[str, dict[str, int]] = {}
    right = 0
    for i, (f, b) in enumerate(zip(rec.frames, rec.buttons)):
        truth = modes[rec.values[max(0, i - lag)]["game_mode"]]
        guess = seen.perceive(f, buttons=b).kind.value
        right += guess == truth
        row = confusion.setdefault(truth, {})
        row[guess] = row.get(guess, 0) + 1
    return {"right": right, "total": len(rec.frames), "confusion": confusion}


def merge_kinds(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum of :func:`evaluate_kinds` results."""
    out: dict[str, Any] = {"right": 0, "total": 0, "confusion": {}}
    for r in results:
        out["right"] += r["right"]
        out["total"] += r["total"]
        for truth, row in r["confusion"].items():
            dst = out["confusion"].setdefault(truth, {})
            for guess, n in row.items():
                dst[guess] = dst.get(guess, 0) + n
    return out


def kinds_report(quest_walk_seeds: tuple[int, ...] = (1, 7)) -> dict[str, Any]:
    """``eevee bench perception --kinds``: pixel-only screen kinds on the quest solver run,
    quest walks through tall grass (battles) with the START menu, and the maze run."""
    parts: dict[str, Any] = {}
    parts["quest_solver"] = evaluate_kinds(record_quest_solver(0), "gba", QUEST_MODES)
    for seed in quest_walk_seeds:
        rec = record_quest(seed=seed, steps=120, keep_memory=0)
        parts[f"quest_walk{seed}"] = evaluate_kinds(rec, "gba", QUEST_MODES)
    if get("maze").built:
        parts["maze"] = evaluate_kinds(record_maze(), "gb", MAZE_MODES)
    total = merge_kinds(list(parts.values()))
    return {
        "accuracy": round(total["right"] / max(1, total["total"]), 4),
        "right": total["right"],
        "total": total["total"],
        "confusion": total["confusion"],
        "parts": {k: [v["right"], v["total"]] for k, v in parts.items()},
    }


def quest_truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(get("quest").truth_path.read_text(encoding="utf-8"))
    return data


def _solid(truth: dict[str, Any], area: int, x: int, y: int) -> bool | None:
    a = truth["areas"][area]
    if not (0 <= y < len(a["grid"]) and 0 <= x < len(a["grid"][y])):
        return None
    return bool(truth["legend"][a["grid"][y][x]]["solid"])


def evaluate_quest(rec: Recording, train: Recording | None = None) -> dict[str, Any]:
    """Done-when figures on a quest recording (``train``: a run that teaches the pixel
    screen classifier its votes, with the profile's hints)."""
    prof = cartridge_profile("quest")
    cell = int(prof.hint("cell_pixels", 16)) if prof else 16
    out: dict[str, Any] = {"frames": len(rec.frames)}
    # player from RAM (the profile) vs the sprite the game draws (OAM index 0)
    seen = Perception("gba", profile=prof)
    exact = 0
    for i, f in enumerate(rec.frames[: len(rec.io)]):
        v = rec.values[i]
        p = seen.perceive(f, values=v, io=rec.io[i])
        if v["game_mode"] != 1 or v["moving"]:
            exact += 1
            continue
        oam = np.frombuffer(rec.oam[i], "<u2")
        ox, oy = int(oam[1]) & 0x1FF, int(oam[0]) & 0xFF
        exact += p.player is not None and p.player.box is not None and \
            (p.player.box[0] & 0x1FF, p.player.box[1] & 0xFF) == (ox, oy)
    out["player_ram_vs_sprite_exact"] = [exact, min(len(rec.frames), len(rec.io))]
    # pixel grid vs VRAM decode on overworld frames
    book = TileBook()
    pix = Perception("gba", book=book)
    agree = total = 0
    min_cells = 600
    for i in range(len(rec.io)):
        if rec.values[i]["game_mode"] != 1:
            continue
        p = pix.perceive(rec.frames[i], io=rec.io[i], vram=rec.vram[i], oam=rec.oam[i],
                         palette=rec.palette[i])
        assert p.vram is not None and isinstance(pix.vram, VramDecoder)
        mask = p.vram.grid.full & ~sprite_cells(p.vram.sprites, p.vram.grid) & ~p.vram.covered(
            pix.vram)
        total += 1
        min_cells = min(min_cells, int(mask.sum()))
        agree += p.grid.origin == p.vram.grid.origin and partitions_agree(
            p.grid.ids, p.vram.grid.ids, mask)
    out["grid_agreement_overworld"] = [agree, total]
    out["grid_agreement_cells_compared_min"] = min_cells
    # screen kind: with hints, pixels+votes (trained on another run), pixels only
    for name, hinted, teach in (("hint", True, None), ("votes", False, train),
                                ("pixels_only", False, None)):
        book = TileBook()
        kp = Perception("gba", profile=prof if hinted else None, book=book)
        if teach is not None:
            tp = Perception("gba", profile=prof, book=book)
            for f, v, b in zip(teach.frames, teach.values, teach.buttons):
                tp.perceive(f, values=v, buttons=b)
            kp.kinds.votes = tp.kinds.votes
        right = 0
        confusion: dict[str, int] = {}
        for f, v, b in zip(rec.frames, rec.values, rec.buttons):
            k = kp.perceive(f, values=v if hinted else None, buttons=b).kind.value
            truth = QUEST_MODES[v["game_mode"]]
            right += k == truth
            if k != truth:
                key = f"{truth}->{k}"
                confusion[key] = confusion.get(key, 0) + 1
        out[f"kind_{name}"] = [right, len(rec.frames), confusion]
    out["kinds_present"] = sorted({QUEST_MODES[v["game_mode"]] for v in rec.values})
    out["semantics"] = semantics_quest(rec, cell)
    return out


def semantics_quest(rec: Recording, cell: int) -> dict[str, Any]:
    """Learn meanings from the recorded move attempts; score them against truth."""
    truth = quest_truth()
    book = TileBook()
    seen = Perception("gba", book=book)
    grids: dict[int, np.ndarray] = {}
    frames_needed = {a["frame"] for a in rec.attempts}
    for i, f in enumerate(rec.frames):
        if i in frames_needed:
            v = rec.values[i]
            # the scroll = camera (the game writes camera_x/y to BG0HOFS/VOFS)
            g = seen.tiler.grid(f, scroll=(v["camera_x"] & 0x1FF, v["camera_y"] & 0x1FF))
            grids[i] = g.ids.copy()
            grids[-i - 1] = np.array(g.origin)
    sem = TileSemantics()
    targets: dict[tuple[int, int, int], list[int]] = {}
    for a in rec.attempts:
        b, af = a["before"], a["after"]
        dx, dy = DIRS[Buttons(a["dir"])]
        tx, ty = b["player_x"] + dx, b["player_y"] + dy
        ids = _cell_ids(grids[a["frame"]], tuple(grids[-a["frame"] - 1]), tx * cell - b["camera_x"],
                        ty * cell - b["camera_y"], cell)
        if af["area"] != b["area"]:
            outcome = Outcome.CHANGED_AREA
        elif af["game_mode"] == 2:
            outcome = Outcome.OPENED_DIALOGUE
        elif af["hp"] < b["hp"] and af["game_mode"] != 4:
            outcome = Outcome.LOST_HP
        elif (af["player_x"], af["player_y"]) != (b["player_x"], b["player_y"]):
            outcome = Outcome.MOVED
        else:
            outcome = Outcome.BLOCKED
        sem.record(ids, outcome)
        targets.setdefault((b["area"], tx, ty), ids)
    right = total = 0
    wrong: list[Any] = []
    for (area, x, y), ids in targets.items():
        solid = _solid(truth, area, x, y)
        if solid is None:
            continue
        meaning, _ = sem.cell_meaning(ids)
        if meaning == "unknown":
            wrong.append((area, x, y, "unknown"))
            total += 1
            continue
        guess_solid = meaning == "wall"
        total += 1
        if guess_solid == solid:
            right += 1
        else:
            wrong.append((area, x, y, meaning))
    return {"cells": total, "right": right, "attempts": len(rec.attempts), "wrong": wrong[:10]}


def _cell_ids(ids: np.ndarray, origin: tuple[int, int], x: int, y: int, size: int) -> list[int]:
    out = []
    rows, cols = ids.shape
    for yy in range(y, y + size, 8):
        for xx in range(x, x + size, 8):
            c, r = (xx + 4 - origin[0]) // 8, (yy + 4 - origin[1]) // 8
            if 0 <= r < rows and 0 <= c < cols:
                out.append(int(ids[r, c]))
    return out


def player_report(rec: Recording | None = None) -> dict[str, Any]:
    """Player position on every frame of the quest solver run: from RAM (the profile) vs the
    drawn sprite (OAM entry 0, one frame later: the screen lags RAM), and without a profile
    (sprites from OAM, pixels) vs RAM."""
    prof = cartridge_profile("quest")
    assert prof is not None
    rec = rec if rec is not None else record_quest_solver()
    cell = int(prof.hint("cell_pixels", 16))
    lag = int(prof.hint("screen_lag_frames", 1))
    ram = Perception("gba", profile=prof)
    sprites = Perception("gba")
    pixels = Perception("gba")
    out: dict[str, Any] = {"frames": 0, "ram_vs_oam": 0, "sprites_vs_ram": 0,
                           "pixels_vs_ram": 0, "lag": lag}
    misses: list[int] = []
    for i in range(len(rec.frames) - lag):
        v, f, b = rec.values[i], rec.frames[i + lag], rec.buttons[i + lag]
        p = ram.perceive(rec.frames[i], values=v, buttons=rec.buttons[i])
        j = i + lag
        s = sprites.perceive(f, buttons=b, io=rec.io[j], vram=rec.vram[j], oam=rec.oam[j])
        x = pixels.perceive(f, buttons=b, io=rec.io[j])
        if v["game_mode"] not in (1, 2, 3):  # the player is drawn: overworld, text, menu
            continue
        out["frames"] += 1
        oam = np.frombuffer(rec.oam[j], "<u2")
        ox, oy = int(oam[1]) & 0x1FF, int(oam[0]) & 0xFF
        ox = ox - 512 if ox >= 256 else ox
        box = p.player.box if p.player is not None else None
        hit = box is not None and (box[0], box[1] & 0xFF) == (ox, oy)
        out["ram_vs_oam"] += hit
        if not hit and len(misses) < 10:
            misses.append(i)
        centre = (ox + cell // 2, oy + cell // 2)
        for key, q in (("sprites_vs_ram", s.player), ("pixels_vs_ram", x.player)):
            out[key] += q is not None and abs(q.screen[0] - centre[0]) <= cell // 2 and abs(
                q.screen[1] - centre[1]) <= cell // 2
    out["ram_misses"] = misses
    return out


# ---- speed ------------------------------------------------------------------------------
def _percentiles(samples: list[float]) -> dict[str, float]:
    a = np.array(samples) * 1e6
    return {"p50": round(float(np.percentile(a, 50)), 1),
            "p99": round(float(np.percentile(a, 99)), 1)}


def time_paths(rec: Recording, repeat: int = 2, warmup: int = 1) -> dict[str, Any]:
    """Per-frame µs of grid + kind + player by both paths (memory already read), as the
    agent calls it: one :class:`Perception` per path fed every recorded frame in order.
    ``warmup`` untimed passes first (tile book, caches filled: the steady state), then
    ``repeat`` timed passes with the garbage collector off while timing."""
    import gc

    result: dict[str, Any] = {}
    n = len(rec.io)
    for path in ("pixels", "vram"):
        seen = Perception("gba", path=path)
        samples: list[float] = []
        enabled = gc.isenabled()
        try:
            for rep in range(warmup + repeat):
                gc.collect()
                gc.disable()
                for i in range(n):
                    f, b = rec.frames[i], rec.buttons[i]
                    if path == "pixels":
                        t0 = time.perf_counter()
                        seen.perceive(f, buttons=b, io=rec.io[i])
                    else:
                        t0 = time.perf_counter()
                        seen.perceive(f, buttons=b, io=rec.io[i], vram=rec.vram[i],
                                      oam=rec.oam[i], palette=rec.palette[i])
                    dt = time.perf_counter() - t0
                    if rep >= warmup:
                        samples.append(dt)
                if enabled:
                    gc.enable()
        finally:
            if enabled:
                gc.enable()
        result[path] = _percentiles(samples)
    return result


def _pin_one_core() -> int | None:
    """Pin this process to one core (the last allowed one); its number, or None."""
    import os

    if not hasattr(os, "sched_setaffinity"):
        return None
    with contextlib.suppress(OSError):
        core = max(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    return None


def run_all(steps: int = 120) -> dict[str, Any]:
    """The benchmark's JSON object."""
    import os

    core = _pin_one_core()
    # seed 7 walks into tall grass: title, dialogue, menu, overworld, battles, transitions
    rec = record_quest(seed=7, steps=steps, keep_memory=10**6)
    per_frame = time_paths(rec)
    modes = [QUEST_MODES[v["game_mode"]] for v in rec.values[: len(rec.io)]]
    prof = cartridge_profile("quest")
    seen = Perception("gba", profile=prof)
    for i in range(len(rec.io)):
        p = seen.perceive(rec.frames[i], values=rec.values[i], io=rec.io[i])
    meanings = seen.semantics.meaning_grid(p.grid.ids)
    t_ann: list[float] = []
    t_desc: list[float] = []
    for _ in range(10):
        t0 = time.perf_counter()
        annotate(rec.frames[len(rec.io) - 1], p.grid, meanings, p.player,
                 [Marker(3, 3, "quest")])
        t_ann.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        describe(p.player, meanings, p.kind, area=rec.values[-1]["area"])
        t_desc.append(time.perf_counter() - t0)
    return {
        "per_frame_us": per_frame,
        "annotate_ms": round(float(np.median(t_ann)) * 1e3, 2),
        "describe_ms": round(float(np.median(t_desc)) * 1e3, 3),
        "frames": len(rec.io),
        "frames_by_kind": {k: modes.count(k) for k in sorted(set(modes))},
        "core": core,
        "load_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "note": "grid + screen kind + player per frame, memory regions already read, one "
                "core, after a warm-up pass, gc off while timing",
    }


__all__ = [
    "DIRS",
    "Recording",
    "Runner",
    "cartridge_profile",
    "evaluate_kinds",
    "evaluate_quest",
    "kinds_report",
    "player_report",
    "record_maze",
    "record_quest",
    "record_quest_solver",
    "run_all",
    "walk",
]


def main(argv: list[str] | None = None) -> int:
    """``python -m eevee.bench.perception [speed|kinds|player]``: one JSON object."""
    import sys

    what = (argv if argv is not None else sys.argv[1:]) or ["speed"]
    if what[0] == "kinds":
        result = kinds_report()
    elif what[0] == "player":
        result = player_report()
    else:
        result = run_all()
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
