"""What the agent watches while it walks, as a mixin of
:class:`~eevee.agents.three_layer.Agent`: where the player is (areas, doors walked
through, relocations that are not doors), and what came of each try (an A press at a
thing or a cell, a step onto a thing), recorded in the world model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eevee.agents.estimate import Estimate
from eevee.agents.senses import Senses
from eevee.agents.trials import Trials
from eevee.reactive.controller import ReactiveController
from eevee.strategists.base import Strategy
from eevee.tactical.planner import TacticalPlanner
from eevee.world.leads import Lead
from eevee.world.model import CellKind, Transition, WorldModel

Cell = tuple[int, int]
ENTERED_LEAD = 60  # frames after entering a new area in which progress is its doing
ANSWER_LEAD = 30  # frames after a try's answer in which progress is its doing
REACH = 2  # cells from a target to step onto within which walking into something is a failed try


class Watching:
    """Observation of the player and of tries (see the module doc)."""

    world: WorldModel
    sight: Senses
    trials: Trials
    estimate: Estimate
    _way_area: Any
    reactive: ReactiveController
    planner: TacticalPlanner
    strategy: Strategy | None
    _area: Any
    _cell: Cell | None
    _moved_at: int
    _still: int
    _hp: int
    _battle: int
    _interrupted: bool
    _lag: int
    _facing: int
    _facing_step: dict[int, Cell]
    _presses: int
    _fails: int
    _objective_since: int
    _entered_at: int
    _bumps: int

    if TYPE_CHECKING:  # (the Thinking mixin's)
        def _trigger(self, frame: int, reason: str) -> None: ...

    def _observe(self, frame: int, v: Mapping[str, int]) -> None:
        area = v.get("area", 0)
        cell = (v.get("player_x", 0), v.get("player_y", 0))
        self._battle = 0
        walked, self._interrupted = not self._interrupted, False
        door = None
        if area != self._area:
            if area not in self.world.entered:
                self._entered_at = frame
            self.world.curiosity.reached(area)
            if self._area is not None and self._cell is not None and walked:
                door = self._door_cell()
                self._way_back(frame, area, cell, v)
                self._led_away(frame)
            self._area = area
            self._trigger(frame, "new_area")
        elif cell != self._cell and self._cell is not None and "moving" in v and \
                abs(cell[0] - self._cell[0]) + abs(cell[1] - self._cell[1]) == 1:
            # does the game report the new cell when a step starts, or when it ends?
            self._lag += 1 if v["moving"] == 0 else -1
        if cell != self._cell or area != self._way_area:
            # (the way out, should the screen change: the estimate tells areas by it)
            self.estimate.came_from, self._way_area = (area, cell), area
        if cell != self._cell:
            self._cell = cell
            self._moved_at = frame
        self.world.observe(frame, area, cell, walked=walked, door=door)
        self._walked_into(area)
        self._facing = v.get("facing", -1)
        still = v.get("moving", 0) == 0
        self._still = self._still + 1 if still else 0
        hp = v.get("hp", 0)
        if 0 <= hp < self._hp and still:
            self.world.mark(frame, area, cell, CellKind.HAZARD, "hp dropped")
        self._hp = hp

    def _walked_into(self, area: Any) -> None:
        """The cell to step onto (or to push into) was walked into, or one within
        :data:`REACH` of it (a figure wider than a cell is stopped short of it), and did
        not let the player on: a plan that failed (a person, a counter, a locked door;
        ``MAX_FAILS`` of them and it is given up, not walked into again for the whole of
        ``GIVE_UP_FRAMES``)."""
        bumps = self.reactive.stats.bumps
        if bumps == self._bumps:
            return
        self._bumps = bumps
        s, hit = self.strategy, self.reactive.bumped
        if s is None or hit is None or s.action.kind not in ("walk", "push") \
                or s.action.target.cell is None or hit[0] != s.action.target.area \
                or area != hit[0]:
            return
        (x, y), (tx, ty) = hit[1], s.action.target.cell
        if max(abs(x - tx), abs(y - ty)) <= REACH:
            self._fails += 1

    def _way_back(self, frame: int, area: Any, cell: Cell, v: Mapping[str, int]) -> None:
        """Arrived walking one way: the cell behind is probably the way back (a player
        entering a house does not walk straight out again). Remembered as a door not yet
        walked; standing on it and staying here unlearns it."""
        d = self._facing_step.get(v.get("facing", -1))
        if d is None or (area in self.world.entered and self.world.doors_of(area)):
            return
        behind = (cell[0] - d[0], cell[1] - d[1])
        self.world.add_hint_transition(
            Transition(area, behind, self._area, self._cell, learned=False))

    def _door_cell(self) -> Cell | None:
        """The cell that led away, when the game reports a cell only once a step ends
        (then the door is the cell ahead, never reported as stood on); None: the last
        cell reported."""
        d = self._facing_step.get(self._facing)
        if self._lag <= 0 or d is None or self._cell is None:
            return None
        return (self._cell[0] + d[0], self._cell[1] + d[1])

    def _led_away(self, frame: int) -> None:
        """Walking to a cell of the area just left: it led elsewhere (a door whose cell
        the game never reports as stood on), so that step is done."""
        s = self.strategy
        if (s is not None and s.action.kind == "walk" and s.action.npc is None
                and s.action.target.area == self._area and s.action.target.cell is not None):
            self.world.tried_thing(frame, (self._area, s.action.target.cell), "step",
                                   answered=True)

    def _watch_tries(self, frame: int, kind: str, v: Mapping[str, int]) -> None:
        """Start a try when the plan pressed A (or stood on a thing); record it when the
        answer (or its absence) is known, then ask the strategist again."""
        hp = v.get("hp")
        if self.reactive.presses != self._presses:
            self._presses = self.reactive.presses
            target = self._press_target()
            if target is not None and not self._facing_target(target, v):
                # the person walked off before A: no answer to learn from, go again
                self.reactive.set_plan(None)
                self.reactive.need_replan = True
            elif target is not None and (self.trials.pending is None
                                         or self.trials.pending[0] != target):
                self.trials.start(frame, target, hp)
        elif (self.trials.pending is None and self.strategy is not None
              and self.strategy.action.kind == "walk" and self.strategy.action.npc is not None
              and self._cell is not None and self._cell == self.strategy.action.target.cell
              and kind == "overworld"):
            self.trials.start(frame, ("walk", self.strategy.action.npc), hp)
        elif (self.strategy is not None and self.strategy.action.kind == "walk"
              and self.strategy.action.npc is None and kind == "overworld"
              and self._cell == self.strategy.action.target.cell
              and self._area == self.strategy.action.target.area):
            self._trigger(frame, "arrived")
        if self.trials.pending is None:
            return
        sig = self.sight.dialogue_signature() if kind == "overworld" else 0
        target = self.trials.pending[0]
        if self.trials.update(frame, kind, hp, sig):
            if target[0] == "cell" and self.world.curiosity.answered(target):
                self._closed_way(target)
            self._trigger(frame, "tried")

    def _closed_way(self, target: tuple[str, Any]) -> None:
        """A place that answered A with open ground never stood on behind it (seen from
        where the player stands) and no way round to that ground closes a way: a locked
        gate on a path. It is worth
        another press after every progress, however often it said the same."""
        area, cell = target[1]
        if self._cell is None or area != self._area:
            return
        behind = (2 * cell[0] - self._cell[0], 2 * cell[1] - self._cell[1])
        amap = self.world.area(area)
        if not amap.inside(behind) or amap.visits[behind[1], behind[0]] or \
                amap.kind(behind) not in (CellKind.UNKNOWN, CellKind.WALKABLE):
            return
        region = self.planner.reached(area)  # (the flood made to plan the press)
        if region is not None and region[self._cell[1], self._cell[0]] \
                and not region[behind[1], behind[0]]:
            self.world.curiosity.ways.add(target)  # (no other way round to it)

    def _facing_target(self, target: tuple[str, Any], v: Mapping[str, int]) -> bool:
        """Whether the thing ``target`` (a person) is on the cell the player faces."""
        if target[0] != "thing" or self._cell is None or "facing" not in v:
            return True
        thing = self.world.curiosity.thing(target[1])
        d = self._facing_step.get(v["facing"])
        if thing is None or thing.taken or thing.area != self._area or d is None:
            return True
        # (a figure spanning k cells is touched k cells off; beside it, within its span)
        k = thing.size
        fx, fy = self._cell[0] + d[0] * k, self._cell[1] + d[1] * k
        if d[0]:
            return thing.cell[0] == fx and abs(thing.cell[1] - fy) < k
        return thing.cell[1] == fy and abs(thing.cell[0] - fx) < k

    def _press_target(self) -> tuple[str, Any] | None:
        s = self.strategy
        if s is None or s.action.kind not in ("talk", "use"):
            return None
        a = s.action
        if a.npc is not None:
            return ("thing", a.npc)
        if a.target.cell is not None:
            return ("cell", (a.target.area, a.target.cell))
        return None

    def _lead_now(self, frame: int, v: Mapping[str, int]) -> Lead | None:
        """What the player was doing when progress happened, as a lead for a later run
        (:mod:`eevee.world.leads`): an area just entered for the first time (or being
        entered: the fade is not over), else the try under way (or just answered), else
        the cell stood on (an item walked over, a trigger stepped on) — never the
        objective merely walked towards."""
        area = v.get("area", self._area)
        if area not in self.world.entered and "player_x" in v:
            return Lead("enter", area, (v.get("player_x", 0), v.get("player_y", 0)))
        if self._entered_at >= frame - ENTERED_LEAD and self._cell is not None:
            return Lead("enter", self._area, self._cell)
        target = self.trials.pending[0] if self.trials.pending is not None else None
        last = self.trials.last
        if target is None and last is not None and frame - last[1] <= ANSWER_LEAD:
            target = last[0]  # (the flag changed as the dialogue closed)
        if target is None:  # walked over something (an item), stepped on a trigger
            return None if self._cell is None else Lead("step", self._area, self._cell)
        kind, key = target
        area, cell = self.world.where(key)
        if cell is None:
            return None
        return Lead({"walk": "thing", "push": "step"}.get(kind, kind), area, cell)

    def _give_up(self, frame: int) -> None:
        """The current objective cannot be done now: count it as tried, unanswered."""
        assert self.strategy is not None
        a = self.strategy.action
        target: tuple[str, Any] | None = self._press_target()
        if a.kind == "walk" and a.npc is not None:
            target = ("walk", a.npc)
        elif a.kind == "walk" and a.target.cell is not None:
            target = ("step", (a.target.area, a.target.cell))
        self.world.events.add(frame, "gave_up", objective=self.strategy.objective.name)
        if a.target.area is not None and a.target.area != self._area:
            # (the way there did not work: everything else there is as far; a hundred
            # things in an area out of reach were given up one by one, each a walk)
            self.world.curiosity.cut(a.target.area)
        if a.kind == "enter":  # (no way there known that works)
            self.world.leads.tried("enter", a.target.area, None)
        elif a.kind == "push" and a.target.cell is not None:
            # (walked into again since the progress: not again until the next; it was
            # chosen again and again, and given up every frame)
            self.world.curiosity.tried(("push", (a.target.area, a.target.cell)),
                                       answered=False)
        if target is not None:
            self.trials.pending = None
            kind, key = target
            if kind == "cell":
                self.world.tried_cell(frame, key[0], key[1], answered=False)
            else:
                self.world.tried_thing(frame, key, kind, answered=False)
                self.world.curiosity.unreached.add((kind, key))
        self._fails = 0
        self._objective_since = frame
        self._trigger(frame, "gave_up")
