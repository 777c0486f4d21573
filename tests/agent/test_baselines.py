"""Baseline policies: the uniformly random one and the wander walker."""

from __future__ import annotations

import itertools
from collections import Counter

from eevee.agents.random import ACTIONS, RandomPolicy
from eevee.agents.wander import WanderPolicy
from eevee.emulator.buttons import Buttons


def test_random_policy_is_seeded_uniform_and_ignores_the_game() -> None:
    a, b = RandomPolicy(seed=5), RandomPolicy(seed=5)
    seq = [a.act(None, f) for f in range(20_000)]
    assert seq == [b.act({"game_mode": 2}, f) for f in range(20_000)]  # values ignored
    assert seq != [RandomPolicy(seed=6).act(None, f) for f in range(20_000)]
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


def test_wander_is_a_different_smarter_baseline() -> None:
    w = WanderPolicy(seed=0)
    assert w.act({"game_mode": 0}, 0) == Buttons.START
    assert w.act({"game_mode": 2}, 2) == Buttons.A
