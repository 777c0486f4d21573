"""Baseline policies: the uniformly random one, the wander walker, the scripted replay."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np

from eevee.agents.baselines import ACTIONS, RandomPolicy, ScriptPolicy, WanderPolicy
from eevee.agents.policy import Observation, Policy
from eevee.emulator.buttons import Buttons

SCREEN = np.zeros((160, 240, 3), np.uint8)


def obs(frame: int, **values: int) -> Observation:
    return Observation(frame, SCREEN, variables=values or None)


def test_random_policy_is_seeded_uniform_and_ignores_the_game() -> None:
    a, b = RandomPolicy(seed=5), RandomPolicy(seed=5)
    seq = [a.act(obs(f)) for f in range(20_000)]
    assert seq == [b.act(obs(f, game_mode=2)) for f in range(20_000)]  # values ignored
    assert seq != [RandomPolicy(seed=6).act(obs(f)) for f in range(20_000)]
    counts = Counter(seq)
    assert set(counts) == set(ACTIONS)  # d-pad, A, B, START, SELECT and nothing
    share = [c / len(seq) for c in counts.values()]
    assert max(share) < 0.16 and min(share) > 0.07  # ~1/9 each
    # held a few frames: runs of the same action are 4..12 long (merged runs aside)
    runs, n = [], 1
    for x, y in itertools.pairwise(seq):
        if x == y:
            n += 1
        else:
            runs.append(n)
            n = 1
    assert min(runs) >= 4
    a.reset(seed=5)
    assert [a.act(obs(f)) for f in range(100)] == seq[:100]


def test_wander_is_a_different_smarter_baseline() -> None:
    w = WanderPolicy(seed=0)
    assert w.act(obs(0, game_mode=0)) == Buttons.START
    assert w.act(obs(2, game_mode=2)) == Buttons.A


def test_every_baseline_implements_the_policy_contract() -> None:
    for p in (RandomPolicy(), WanderPolicy(), ScriptPolicy([(int(Buttons.A), 3)])):
        assert isinstance(p, Policy)
        assert p.drain_events() == [] and p.stats()["policy"] == p.name
        p.close()
    s = ScriptPolicy([(int(Buttons.A), 2), (0, 1), (int(Buttons.UP), 1)])
    assert [s.act(obs(f)) for f in range(5)] == [1, 1, 0, int(Buttons.UP), 0]
