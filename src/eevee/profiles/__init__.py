"""Game profiles: per-game knowledge as validated data files.

>>> from eevee.profiles import load_profile, VariableReader   # doctest: +SKIP
>>> profile = load_profile("quest/profile.json")             # doctest: +SKIP
>>> profile.variables["hp"].type                             # doctest: +SKIP
'|u1'
"""

from __future__ import annotations

from eevee.profiles.hints import WALKTHROUGH_KEYS, ProfileHints, check_hints
from eevee.profiles.profile import (
    Condition,
    Milestone,
    Profile,
    Variable,
    load_profile,
    parse_profile,
)
from eevee.profiles.reader import VariableReader
from eevee.profiles.registry import find_profile, resolve_profile

__all__ = [
    "WALKTHROUGH_KEYS",
    "Condition",
    "Milestone",
    "Profile",
    "ProfileHints",
    "Variable",
    "VariableReader",
    "check_hints",
    "find_profile",
    "load_profile",
    "parse_profile",
    "resolve_profile",
]
