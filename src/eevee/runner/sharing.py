"""Knowledge shared live between agents playing the same game in other processes.

With a store that announces its saves (Redis: ``eevee play --knowledge redis://…``),
:class:`LiveShare` does both halves of sharing for a run:

- **telling**: whenever the agent has entered an area it had not entered before, its
  knowledge is saved at once (on the writer thread) instead of at the next 30-second
  save, so the others hear of the area within a fraction of a second;
- **hearing**: each save announced by another process is read and turned into a world
  model on the store's watch thread; between frames, :meth:`poll` merges what it brings
  that this agent does not know (areas never entered here, their doors and people:
  :meth:`~eevee.world.model.WorldModel.merge`) — dictionary work only on the frame
  thread, and an ``agent_knowledge_merged`` event names the areas.

Both happen every :data:`EVERY` frames. A store that does not announce its saves
(SQLite, the graph stores) only gets the early saves: a later run reads them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from eevee.world.knowledge import import_world
from eevee.world.model import WorldModel

EVERY = 15  # frames between looks at what was discovered here and heard from others


class LiveShare:
    """The telling and hearing of one run (see the module doc)."""

    def __init__(self, store: Any, sha1: str, world: WorldModel,
                 save: Callable[[], None]) -> None:
        self.world = world
        self._save = save
        self._entered = len(world.entered)
        self._heard: queue.SimpleQueue[WorldModel] = queue.SimpleQueue()
        self._stop = threading.Event()
        self.merged = 0  # areas learned from others
        watch = getattr(store, "watch", None)
        if watch is not None:
            watch(sha1, self._hear, stop=self._stop)

    def _hear(self, doc: dict[str, Any]) -> None:
        """(the watch thread) A save, ours or another's: decoded here, off the frames."""
        other = WorldModel()
        try:
            import_world(other, doc)
        except Exception:  # (a save of another Eevee's schema, a damaged one: not ours)
            return
        self._heard.put(other)

    def poll(self, frame: int) -> None:
        """Between frames: save if this agent entered a new area, merge what others
        discovered."""
        if len(self.world.entered) > self._entered:
            self._entered = len(self.world.entered)
            self._save()
        while not self._heard.empty():
            self.merged += len(self.world.merge(frame, self._heard.get()))

    def close(self) -> None:
        self._stop.set()
