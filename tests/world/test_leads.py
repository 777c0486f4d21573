"""Leads: the agent's own memory of which try moved the game on, kept in order, tried
once each in a later run, and first among the todos."""

from __future__ import annotations

from eevee.goals.todos import LEAD, world_todos
from eevee.world import WorldModel
from eevee.world.knowledge import (
    export_playthrough,
    export_world,
    import_playthrough,
    import_world,
)
from eevee.world.leads import Lead, Leads


def _learned() -> WorldModel:
    """A world in which three tries moved the game on: a person, a lever, a door."""
    w = WorldModel(default_size=(12, 10))
    w.observe(0, 0, (1, 1))
    w.curiosity.see_thing(0, (6, 2), frame=0)
    for lead in (Lead("thing", 0, (6, 2)), Lead("cell", 0, (9, 9)), Lead("enter", 1, (0, 0))):
        w.leads.note(lead)
    w.learn_transition(10, 0, (5, 5), 1, (0, 0))
    return w


def test_leads_come_back_in_the_order_progress_happened() -> None:
    again = WorldModel(default_size=(12, 10))
    import_world(again, export_world(_learned()))
    assert again.leads.recalled == [Lead("thing", 0, (6, 2)), Lead("cell", 0, (9, 9)),
                                    Lead("enter", 1, (0, 0))]
    assert again.leads.made == [] and again.leads.next() == Lead("thing", 0, (6, 2))


def test_the_next_lead_is_the_first_todo_and_each_is_tried_once() -> None:
    w = WorldModel(default_size=(12, 10))
    import_world(w, export_world(_learned()))
    w.observe(0, 0, (1, 1))
    best = max(world_todos(w, 0, (1, 1)), key=lambda t: t[0].priority)[0]
    assert best.priority == LEAD and best.action == "talk" and best.target.cell == (6, 2)
    # a person who does not answer A is walked onto (an item): the lead stays until then
    w.tried_thing(20, best.npc, "thing", answered=False)
    best = max(world_todos(w, 0, (1, 1)), key=lambda t: t[0].priority)[0]
    assert (best.action, best.target.cell, best.priority) == ("walk", (6, 2), LEAD)
    w.tried_thing(30, best.npc, "walk", answered=False)
    best = max(world_todos(w, 0, (1, 1)), key=lambda t: t[0].priority)[0]
    assert (best.action, best.target.cell) == ("use", (9, 9))
    w.tried_cell(40, 0, (9, 9), answered=False)  # (it did nothing this time: go on)
    best = max(world_todos(w, 0, (1, 1)), key=lambda t: t[0].priority)[0]
    assert (best.action, best.target.area) == ("enter", 1)
    w.observe(50, 0, (5, 5))
    w.observe(60, 1, (0, 0))
    assert w.leads.next() is None
    assert all(o.priority < LEAD for o, _ in world_todos(w, 1, (0, 0)))


def test_a_person_no_longer_there_is_looked_for_then_skipped() -> None:
    w = WorldModel(default_size=(12, 10))
    w.leads.recall([{"kind": "thing", "area": 0, "cell": [8, 8]},
                    {"kind": "step", "area": 0, "cell": [2, 2]}])
    w.observe(0, 0, (1, 1))
    [(go, _)] = [t for t in world_todos(w, 0, (1, 1)) if t[0].priority == LEAD]
    assert (go.action, go.target.cell) == ("walk", (8, 8))
    w.observe(10, 0, (8, 7))  # there, and nobody: the next lead
    [(step, _)] = [t for t in world_todos(w, 0, (8, 7)) if t[0].priority == LEAD]
    assert (step.action, step.target.cell) == ("walk", (2, 2))
    w.observe(20, 0, (2, 2))
    assert w.leads.next() is None


def test_a_short_run_does_not_forget_a_long_ones_leads() -> None:
    leads = Leads()
    leads.recall([{"kind": "cell", "area": 0, "cell": [1, 1]},
                  {"kind": "cell", "area": 0, "cell": [2, 2]},
                  {"kind": "bogus", "area": 0, "cell": [3, 3]},  # (malformed: skipped)
                  {"kind": "cell", "area": 0},
                  {"kind": "cell", "area": 0, "cell": ["x", 1]}])
    assert len(leads.recalled) == 2
    leads.note(Lead("cell", 0, (1, 1)))
    assert [d["cell"] for d in leads.export()] == [[1, 1], [2, 2]]
    leads.note(Lead("cell", 0, (2, 2)))
    leads.note(Lead("enter", 3, (0, 0)))
    assert [d["kind"] for d in leads.export()] == ["cell", "cell", "enter"]


def test_a_resumed_play_through_keeps_which_leads_were_followed() -> None:
    w = WorldModel(default_size=(12, 10))
    import_world(w, export_world(_learned()))
    w.observe(0, 0, (1, 1))
    w.tried_thing(5, (0, 0), "thing", answered=True)  # the person: followed
    w.leads.note(Lead("thing", 0, (6, 2)))  # ... and it moved the game on again
    back = WorldModel(default_size=(12, 10))
    import_world(back, export_world(w))
    import_playthrough(back, export_playthrough(w))
    assert back.leads.made == [Lead("thing", 0, (6, 2))]
    assert back.leads.recalled == w.leads.recalled and back.leads.done == {0}
    assert back.leads.next() == Lead("cell", 0, (9, 9))


def test_a_person_met_elsewhere_is_not_followed_for_ever() -> None:
    """Someone near the lead's cell answers, but not the one it was (the person it was
    wanders further than the lead looks): after a few such answers the lead is left."""
    leads = Leads()
    leads.recall([{"kind": "thing", "area": 0, "cell": [2, 2]},
                  {"kind": "cell", "area": 0, "cell": [9, 9]}])
    leads.tried("thing", 0, (8, 9), answered=False)  # (someone who walked off: no count)
    for _ in range(3):
        leads.tried("thing", 0, (9, 9), answered=True)
    assert leads.next() == Lead("thing", 0, (2, 2))
    leads.tried("thing", 0, (9, 9), answered=True)
    assert leads.next() == Lead("cell", 0, (9, 9))
    leads.tried("thing", 0, (7, 2), answered=True)  # (a person, while a place is next)
    assert leads.next() == Lead("cell", 0, (9, 9))
