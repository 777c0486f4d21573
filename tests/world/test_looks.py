"""What a look means is learned from what happened on cells of it."""

from __future__ import annotations

from eevee.world.looks import BUMPED, DOOR, HURT, WALKED, LookBook


def test_a_path_that_leaves_the_map_once_is_floor_a_door_look_leads_away() -> None:
    book = LookBook()
    for _ in range(20):
        book.note(1, WALKED)
    book.note(1, DOOR)  # the path's last cell is the exit
    book.note(2, WALKED)
    book.note(2, DOOR)  # every door of this look led away
    assert book.meaning(1) == "floor" and book.meaning(2) == "door"


def test_one_hurt_among_many_safe_steps_is_not_a_hazard() -> None:
    book = LookBook()
    for _ in range(10):
        book.note(1, WALKED)
    book.note(1, HURT)
    book.note(2, HURT)  # thrown back every time: water
    book.note(3, BUMPED)
    assert (book.meaning(1), book.meaning(2), book.meaning(3)) == ("floor", "hazard", "wall")
