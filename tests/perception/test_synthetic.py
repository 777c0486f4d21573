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


def test_book_index_with_shared_slots_and_old_formats(tmp_path) -> None:
    """Hashes that share the index slot (same top bits) are all found, through evictions
    and a save/load; a book of another format names the fix."""
    book = TileBook(capacity=64)
    keys = (np.uint64(5) << np.uint64(58)) | np.arange(1, 200, dtype=np.uint64)  # one slot
    for start in range(0, 190, 10):
        frame = keys[start : start + 20]
        assert (book.lookup(frame) >= 0).all()
        pos, found = book._find(book._keys)
        assert found.all() and (pos == np.arange(len(book))).all()
    assert len(book) <= 64 and book.evicted > 0
    ids = book.lookup(keys[170:190], learn=False)
    assert (ids >= 0).all()
    book.save(tmp_path / "b.npz")
    again = TileBook.load(tmp_path / "b.npz")
    assert again.lookup(keys[170:190], learn=False).tolist() == ids.tolist()
    np.savez(tmp_path / "old.npz", format=np.array([1]), meta=np.zeros(4, np.int64))
    with pytest.raises(PerceptionError, match="delete the file"):
        TileBook.load(tmp_path / "old.npz")


def test_repeated_frames_cost_a_compare_and_keep_the_counts() -> None:
    book = TileBook()
    tiler = PixelTiler("gba", book)
    first = tiler.grid(view(3, 5), scroll=(3, 5))
    for _ in range(4):
        again = tiler.grid(view(3, 5), scroll=(3, 5))
    assert np.array_equal(first.ids, again.ids) and np.array_equal(first.flags, again.flags)
    assert book.seen_count(int(first.ids[4, 4])) == 5  # the repeats counted when asked


def test_tile_flags_and_boxes_at_any_scroll() -> None:
    """A framed box over a scrolled, textured scene: its border tiles get edge flags, the
    scene's do not, and the box is found from the flags wherever the cells start."""
    from eevee.perception.screenkind import kind_of_boxes, tile_boxes
    from eevee.perception.tilebook import FEATURED, HEDGE, VEDGE

    boxed = view(5, 3).copy()
    boxed[112:160, :] = 250
    boxed[112:114] = boxed[156:158] = 20
    boxed[114:116] = boxed[154:156] = 120
    boxed[112:158, 0:2] = boxed[112:158, 238:240] = 20
    boxed[116:154, 2:4] = boxed[116:154, 236:238] = 120
    for scroll in [(0, 0), (5, 3), (2, 7)]:
        grid = PixelTiler("gba", TileBook()).grid(boxed, scroll=scroll)
        assert grid.flags is not None and (grid.flags & FEATURED).all()
        edges = (grid.flags & (HEDGE | VEDGE)) != 0
        assert not edges[:10].any()  # the scene
        assert edges[14:].any()
        boxes = tile_boxes(grid, boxed)  # the frame: for a side left of the cells
        assert kind_of_boxes(boxes, 240, 160) is ScreenKind.DIALOGUE, (scroll, boxes)
    menu = view(5, 3).copy()  # a tall box at the top right: its top border can be above
    menu[0:72, 160:240] = 250  # the first cells
    menu[0:2, 160:240] = menu[70:72, 160:240] = 20
    menu[2:4, 162:240] = menu[68:70, 162:240] = 120
    menu[0:72, 160:162] = menu[0:72, 238:240] = 20
    menu[4:68, 162:164] = menu[4:68, 236:238] = 120
    for scroll in [(0, 0), (5, 3), (2, 7)]:
        grid = PixelTiler("gba", TileBook()).grid(menu, scroll=scroll)
        boxes = tile_boxes(grid, menu)
        assert kind_of_boxes(boxes, 240, 160) is ScreenKind.MENU, (scroll, boxes)


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


def _framed(frame: np.ndarray, y0: int, y1: int) -> np.ndarray:
    """``frame`` with a framed box across the bottom, rows ``y0`` to ``y1``."""
    boxed = frame.copy()
    boxed[y0:y1, 4:236] = 250
    boxed[y0:y0 + 2, 4:236] = boxed[y1 - 2:y1, 4:236] = 20
    boxed[y0:y1, 4:6] = boxed[y0:y1, 234:236] = 20
    boxed[y0 + 2:y0 + 4, 6:234] = boxed[y1 - 6:y1 - 4, 6:234] = 200
    return boxed


def test_a_thin_bar_the_player_walks_beside_is_a_status_bar_not_a_text_box() -> None:
    from eevee.perception.screenkind import HUD_LOOKS

    kinds = ScreenClassifier()
    kinds.note_buttons(0x8)  # START
    kinds.classify(np.zeros((160, 240, 3), np.uint8))
    kinds.classify(view(0, 0))
    bar, text = _framed(view(0, 0), 132, 158), _framed(view(0, 0), 110, 158)
    for _ in range(HUD_LOOKS // 2):  # a message the game shows a while as play goes on
        assert kinds.classify(bar) is ScreenKind.DIALOGUE
    kinds.note_moved()  # (the player walked meanwhile)
    assert kinds.classify(bar) is ScreenKind.DIALOGUE  # YOU GOT THE KEY!: still text
    for _ in range(HUD_LOOKS):  # a level and hearts, framed, there for good
        kinds.classify(bar)
    kinds.note_moved()  # the player walked with the bar on screen
    assert kinds.classify(bar) is ScreenKind.OVERWORLD
    assert kinds.classify(text) is ScreenKind.DIALOGUE  # a text box is still one
    other = ScreenClassifier()  # walking beside a text box two lines tall proves nothing
    other.note_buttons(0x8)
    other.classify(np.zeros((160, 240, 3), np.uint8))
    other.classify(view(0, 0))
    assert other.classify(text) is ScreenKind.DIALOGUE
    other.note_moved()
    assert other.classify(text) is ScreenKind.DIALOGUE
    middle = _framed(view(0, 0), 114, 140)  # as thin, off the edge: no status bar there
    for _ in range(HUD_LOOKS + 1):
        assert other.classify(middle) is ScreenKind.DIALOGUE
    other.note_moved()
    assert other.classify(middle) is ScreenKind.DIALOGUE


def test_a_step_that_goes_on_after_a_tap_still_tells_the_player() -> None:
    """A tap starts a step that the game finishes with the d-pad let go: the figure that
    goes on the tapped way is the player, not the one nearer the middle that stands."""
    loc = PlayerLocator()
    me, other = [40, 40], [100, 60]

    def boxes() -> list[tuple[int, int, int, int]]:
        return [(me[0], me[1], me[0] + 8, me[1] + 16),
                (other[0], other[1], other[0] + 8, other[1] + 16)]

    loc.from_boxes(boxes(), 0x10, None)  # RIGHT, one frame
    for _ in range(6):  # the step, with nothing held
        me[0] += 1
        found = loc.from_boxes(boxes(), 0, None)
    assert found is not None and found.box == tuple(boxes()[0])


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
