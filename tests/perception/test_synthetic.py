"""Tile book, pixel grid, semantics, annotate, describe and situation on synthetic frames."""

from __future__ import annotations

import json

import numpy as np
import pytest

from eevee.perception import (
    Outcome,
    PerceptionError,
    PixelTiler,
    ScreenClassifier,
    ScreenKind,
    TileBook,
    TileSemantics,
    detect_origin,
    partitions_agree,
)
from eevee.perception.annotate import Marker, annotate, render, tile_frames
from eevee.perception.describe import describe
from eevee.perception.player import Player, PlayerLocator
from eevee.perception.situation import situation_key

RNG = np.random.default_rng(3)
TILES = RNG.integers(0, 256, (10, 8, 8, 3), dtype=np.uint8)
LAYOUT = RNG.integers(0, 10, (40, 50))
WORLD = TILES[LAYOUT].transpose(0, 2, 1, 3, 4).reshape(320, 400, 3)


def view(sx: int, sy: int) -> np.ndarray:
    return np.ascontiguousarray(WORLD[sy : sy + 160, sx : sx + 240])


@pytest.mark.parametrize("scroll", [(0, 0), (3, 5), (17, 9), (8, 1)])
def test_grid_matches_the_tile_layout_at_any_scroll(scroll: tuple[int, int]) -> None:
    tiler = PixelTiler("gba", TileBook())
    grid = tiler.grid(view(*scroll), scroll=scroll)
    assert grid.ids.shape == (20, 30)
    c0, r0 = grid.map_cell(0, 0) or (0, 0)
    truth = LAYOUT[r0 : r0 + 20, c0 : c0 + 30]
    assert partitions_agree(grid.ids, truth, grid.full)


def test_origin_is_found_from_pixels_alone() -> None:
    for sx, sy in [(0, 0), (5, 2), (11, 7)]:
        assert detect_origin(view(sx, sy)) == ((-sx) & 7, (-sy) & 7)
    tiler = PixelTiler("gba", TileBook())
    for i in range(12):  # tracking while scrolling one pixel per frame
        grid = tiler.grid(view(i, i // 2))
        assert grid.origin == ((-i) & 7, (-(i // 2)) & 7)


def test_same_tiles_get_the_same_ids_across_frames_and_runs(tmp_path) -> None:
    book = TileBook()
    tiler = PixelTiler("gba", book)
    first = tiler.grid(view(0, 0)).ids.copy()
    path = tmp_path / "book.npz"
    book.save(path)
    again = PixelTiler("gba", TileBook.load(path)).grid(view(0, 0)).ids
    assert np.array_equal(first, again)
    assert len(book) == len(np.unique(LAYOUT[:20, :30]))


def test_book_stays_bounded_on_noise() -> None:
    book = TileBook(capacity=1000)
    tiler = PixelTiler("gba", book)
    tiler.grid(view(0, 0))  # the real tiles, then seen again and again
    for _ in range(20):
        tiler.grid(RNG.integers(0, 256, (160, 240, 3), dtype=np.uint8), origin=(0, 0))
        tiler.grid(view(0, 0))
    assert len(book) <= 1000
    assert book.evicted > 0
    assert (tiler.grid(view(0, 0), learn=False).ids >= 0).all()  # the real tiles survived


def test_bad_inputs_raise_one_line_errors(tmp_path) -> None:
    with pytest.raises(PerceptionError, match="frame must be"):
        PixelTiler("gba", TileBook()).grid(np.zeros((10, 10, 3), np.uint8))
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"nope")
    with pytest.raises(PerceptionError, match="not a tile book"):
        TileBook.load(bad)


def test_gb_grid_shape() -> None:
    grid = PixelTiler("gb", TileBook()).grid(np.zeros((144, 160, 3), np.uint8))
    assert grid.ids.shape == (18, 20)


def test_screen_kinds_from_rules_and_hints() -> None:
    kinds = ScreenClassifier()
    assert kinds.classify(view(0, 0)) is ScreenKind.TITLE  # no input yet
    kinds.note_buttons(0x8)  # START
    assert kinds.classify(np.zeros((160, 240, 3), np.uint8)) is ScreenKind.TRANSITION
    kinds.classify(view(0, 0))  # black to the scene in one frame: looks like a fade
    assert kinds.classify(view(0, 0)) is ScreenKind.OVERWORLD
    boxed = view(0, 0).copy()  # a framed text box across the bottom: dialogue
    boxed[110:158, 4:236] = 250
    boxed[110:112, 4:236] = boxed[156:158, 4:236] = 20
    boxed[110:158, 4:6] = boxed[110:158, 234:236] = 20
    boxed[112:114, 6:234] = boxed[152:154, 6:234] = 200
    assert kinds.classify(boxed) is ScreenKind.DIALOGUE
    hinted = ScreenClassifier({4: "battle"})
    assert hinted.classify(view(0, 0), game_mode=4) is ScreenKind.BATTLE
    assert ScreenClassifier.from_dict(json.loads(json.dumps(hinted.to_dict()))).mode_map


def test_player_follows_the_dpad_among_sprites() -> None:
    loc = PlayerLocator()
    npc, me = [40, 40], [100, 60]
    for t in range(12):
        me[0] += 2
        npc[1] += 1 if t % 2 else -1
        boxes = [(npc[0], npc[1], npc[0] + 16, npc[1] + 16), (me[0], me[1], me[0] + 16, me[1] + 16)]
        p = loc.from_boxes(boxes, 0x10, None)  # RIGHT held
    assert p is not None and p.box == (me[0], me[1], me[0] + 16, me[1] + 16)


def test_semantics_learn_and_serialise() -> None:
    sem = TileSemantics()
    for _ in range(3):
        sem.record([1, 2], Outcome.MOVED)
        sem.record([3], Outcome.BLOCKED)
    sem.record([4], Outcome.CHANGED_AREA)
    sem.record([5], Outcome.LOST_HP)
    sem.record([6], Outcome.OPENED_DIALOGUE)
    assert [sem.meaning(i) for i in range(1, 7)] == [
        "walkable", "walkable", "wall", "door", "hazard", "interactive"]
    back = TileSemantics.from_dict(json.loads(json.dumps(sem.to_dict())))
    assert back.belief(3) == sem.belief(3)
    assert sem.meaning_grid(np.array([[1, 3, 99]])).tolist() == [[0, 1, -1]]


def test_annotated_png_and_description() -> None:
    tiler = PixelTiler("gba", TileBook())
    grid = tiler.grid(view(0, 0))
    meanings = (grid.ids % 6 - 1).astype(np.int8)
    player = Player(screen=(124, 68), cell=(15, 8), source="ram", facing="north")
    png = annotate(view(0, 0), grid, meanings, player, [Marker(3, 3, "key")], scale=3)
    assert png.startswith(b"\x89PNG")
    img = render(view(0, 0), grid, meanings, player)
    assert img.size[0] >= 720
    assert tile_frames([img] * 4).startswith(b"\x89PNG")
    d = describe(player, meanings, ScreenKind.OVERWORLD, area="Town", hp=(12, 20))
    assert d.text.startswith("Player at (15,8) facing north")
    assert d.facts["hp"] == [12, 20]


def test_situation_key_ignores_far_animation() -> None:
    ids = np.arange(600, dtype=np.int32).reshape(20, 30)
    moved = ids.copy()
    moved[0, 0] = -5  # an animated tile far from the player
    a = situation_key(ScreenKind.OVERWORLD, 1, (15, 8), ids)
    assert a == situation_key(ScreenKind.OVERWORLD, 1, (15, 8), moved)
    assert a != situation_key(ScreenKind.OVERWORLD, 2, (15, 8), ids)
