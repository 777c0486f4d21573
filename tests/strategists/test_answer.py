"""A model's answer is untrusted: the strict parser takes the two documented shapes and
refuses anything else with a reason, never with a crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eevee.goals.quests import Objective, Target
from eevee.strategists.answer import Allowed, AnswerError, answer_schema, parse_answer

TALK = Objective("talk to NPC at (6, 2)", 5, "talk", Target(0, (6, 2)), "todo", "elder")
ALLOWED = Allowed(map_size=(20, 15), things={(6, 2): "elder"}, areas={"Inn": 1},
                  todos={TALK.name: TALK}, area=0)


def answer(**over: object) -> str:
    a = {"reasoning": "the elder may know", "objective": "talk to NPC at (6, 2)",
         "actions": [{"do": "talk", "at": [6, 2]}], "fallback": "explore", "confidence": 0.75}
    a.update(over)
    return json.dumps(a)


def test_a_json_answer_becomes_the_strategy_and_keeps_the_todos_priority() -> None:
    s = parse_answer(answer(), ALLOWED, frame=120, situation="here")
    assert s.objective is TALK  # (a todo the model picked keeps its priority)
    assert (s.action.kind, s.action.target, s.action.npc) == ("talk", Target(0, (6, 2)), "elder")
    assert (s.confidence, s.made_at, s.situation) == (0.75, 120, "here")
    assert s.reasoning == "the elder may know"


def test_lines_and_a_fenced_json_answer_are_read_too() -> None:
    s = parse_answer("STRATEGY: go to the inn\nACTIONS: enter Inn; explore\n"
                     "FALLBACK: wait\nCONFIDENCE: 0.5", ALLOWED)
    assert [a.kind for a in s.actions] == ["enter", "explore"]
    assert s.action.target.area == 1 and s.fallback == "wait"
    s = parse_answer("```json\n" + answer(actions=[{"do": "walk", "at": [3, 4]}]) + "\n```",
                     ALLOWED)
    assert s.objective.name == "talk to NPC at (6, 2)" and s.objective.action == "walk"
    assert s.objective.source == "model"  # (the todo says talk: the model's own objective)


@pytest.mark.parametrize(("text", "why"), [
    ("", "empty answer"),
    ("   \n", "empty answer"),
    ("I think the hero should go north and talk to people.", "unexpected line"),
    ('{"objective": "x", "actions": [{"do": "fly"}]}', "unknown action 'fly'"),
    ('{"objective": "x", "actions": [{"do": "walk", "at": [20, 3]}]}', "off the map"),
    ('{"objective": "x", "actions": [{"do": "walk", "at": [-1, 3]}]}', "off the map"),
    ('{"objective": "x", "actions": [{"do": "walk", "at": [1.5, 3]}]}', "two integers"),
    ('{"objective": "x", "actions": [{"do": "walk", "at": "3,4"}]}', "two integers"),
    ('{"objective": "x", "actions": [{"do": "enter", "area": "Moon"}]}', "known area"),
    ('{"objective": "x", "actions": [], "confidence": NaN}', "not a number"),
    ('{"objective": "x", "actions": [], "confidence": 3}', "confidence"),
    ('{"objective": "x", "actions": [], "fallback": "reset"}', "fallback"),
    ('{"objective": "x", "actions": [], "exec": "rm -rf /"}', "unknown field"),
    ('{"objective": "x", "actions": [{"do": "talk", "at": [1, 1], "eval": 1}]}',
     "unknown field"),
    ('{"objective": "", "actions": []}', "objective"),
    ('["explore"]', "not an object"),
    ('{"objective": "x", "actions": [{"do": "explore"}]', "not valid JSON"),
    ('{"objective": "x", "actions": ' + "[" * 5000 + "]" * 5000 + "}", "answer too long"),
    ("STRATEGY: x\nSTRATEGY: y", "given twice"),
    ("STRATEGY: x\nACTIONS: talk to him", "two integers"),
    ("STRATEGY: x\nACTIONS: 42", "cannot read"),
])
def test_bad_answers_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(AnswerError, match=why):
        parse_answer(text, ALLOWED)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(
        ["objective", "actions", "do", "at", "area", "fallback", "confidence", "x"]), c,
        max_size=5), max_leaves=20).map(json.dumps))
def test_any_text_is_a_strategy_or_an_answer_error(text: str) -> None:
    try:
        s = parse_answer(text, ALLOWED)
    except AnswerError:
        return
    for a in s.actions:  # whatever got through names only allowed things
        assert a.kind in ("goto", "walk", "talk", "use", "enter", "explore")
        if a.target.cell is not None:
            assert 0 <= a.target.cell[0] < 20 and 0 <= a.target.cell[1] < 15


def test_the_schema_bounds_cells_by_the_map_and_names_known_areas() -> None:
    schema = answer_schema(ALLOWED)
    explore, cell, enter = schema["properties"]["actions"]["items"]["anyOf"]
    assert explore["properties"]["do"]["enum"] == ["explore"]
    assert cell["required"] == ["do", "at"]
    assert cell["properties"]["at"]["items"]["enum"] == list(range(20))
    assert enter["properties"]["area"]["enum"] == ["Inn"]
    assert set(schema["required"]) == {"reasoning", "objective", "actions", "fallback",
                                       "confidence"}
