"""An agent's state as a JSON document, to go on playing after a restart.

A session's autosave (:mod:`eevee.runner.sessions`) keeps, beside the emulator's
savestate, what the agent knew and had done at that frame: the world model with this
play-through's tries and answers, which milestones are done, the reactive layer's random
state. :func:`restore` puts it into a fresh agent before the first frame of the resumed
run; what the agent recomputes each frame (perception, plans, the strategy under way)
is not kept — it is decided again within a few frames.

>>> from eevee.agents.three_layer import Agent
>>> from eevee.strategists.builtin import BuiltinStrategist
>>> a = Agent(None, BuiltinStrategist())
>>> a.world.observe(0, 3, (2, 2))
>>> b = Agent(None, BuiltinStrategist())
>>> restore(b, state(a))
>>> bool(b.world.area(3).visits[2, 2]), b.reactive._rng.random() == a.reactive._rng.random()
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eevee.errors import StorageError
from eevee.world.knowledge import (
    export_playthrough,
    export_world,
    import_playthrough,
    import_world,
)

if TYPE_CHECKING:
    from eevee.agents.three_layer import Agent

VERSION = 1


def state(agent: Agent) -> dict[str, Any]:
    """The agent now, JSON-safe (take it between frames)."""
    version, ints, gauss = agent.reactive._rng.getstate()
    return {
        "version": VERSION,
        "world": export_world(agent.world),
        "playthrough": export_playthrough(agent.world),
        "done": sorted(s.milestone for q in agent.goals.quests for s in q.steps if s.done),
        "pending": [m.name for m in agent._pending],
        "quest_complete_frame": agent.quest_complete_frame,
        "rng": [version, list(ints), gauss],
        "strategic_calls": agent.strategic_calls,
    }


def restore(agent: Agent, doc: dict[str, Any]) -> None:
    """Put ``doc`` (from :func:`state`) into a fresh ``agent``."""
    if doc.get("version") != VERSION:
        raise StorageError(f"the session's agent state has version {doc.get('version')!r}, "
                           f"this Eevee reads {VERSION}: start a new session")
    import_world(agent.world, doc["world"])
    import_playthrough(agent.world, doc["playthrough"])
    done = set(doc.get("done", []))
    agent.goals.update({name: True for name in done})
    pending = set(doc.get("pending", []))
    agent._pending = [m for m in agent._pending if m.name in pending]
    agent.quest_complete_frame = doc.get("quest_complete_frame")
    version, ints, gauss = doc["rng"]
    agent.reactive._rng.setstate((int(version), tuple(int(i) for i in ints), gauss))
    agent.strategic_calls = int(doc.get("strategic_calls", 0))
