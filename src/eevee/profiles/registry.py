"""Find the profile for a ROM by its SHA-1.

Search order: directories in ``$EEVEE_PROFILE_PATH`` (``:``-separated), the bundled
cartridges' ``data/<name>/profile.json``, then ``eevee/profiles/data/*.json``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from eevee.errors import ProfileError, printable
from eevee.profiles.profile import Profile, load_profile, read_profile_json

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
# the bundled cartridges' profiles (data files only: profiles never import the cartridges)
CARTRIDGE_DATA_DIR = Path(__file__).resolve().parent.parent / "cartridges" / "data"


def _candidate_files() -> Iterator[Path]:
    for entry in os.environ.get("EEVEE_PROFILE_PATH", "").split(os.pathsep):
        if entry:
            yield from sorted(Path(entry).glob("*.json"))
    yield from sorted(CARTRIDGE_DATA_DIR.glob("*/profile.json"))
    yield from sorted(BUNDLED_DIR.glob("*.json"))


def _declared_sha1(path: Path) -> str | None:
    """The ``rom.sha1`` a profile file declares; None (and a warning naming the file) for
    a file that cannot be read as a profile: one bad file never breaks other games."""
    try:
        data = read_profile_json(path)
        sha1 = data["rom"]["sha1"]
        return sha1.lower() if isinstance(sha1, str) else None
    except ProfileError as exc:
        _warn(str(exc))
        return None
    except (KeyError, TypeError):
        return None


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(f"eevee: warning: skipping {printable(message)}\n")


def find_profile(sha1: str) -> Profile | None:
    """The validated profile whose ``rom.sha1`` is ``sha1``, or None if there is none.

    A matching profile that fails validation raises :class:`ProfileError` (a user who
    wrote a profile wants to hear that it is broken, not have it silently ignored).
    """
    want = sha1.lower()
    for path in _candidate_files():
        if _declared_sha1(path) == want:
            return load_profile(path)
    return None


def near_miss(title: str, game_code: str) -> Path | None:
    """A profile whose ROM title and game code are these although its SHA-1 did not
    match: the ROM is most likely cut short or patched (a GBA header holds no size)."""
    if not title:
        return None
    for path in _candidate_files():
        try:
            rom = read_profile_json(path).get("rom", {})
        except (ProfileError, AttributeError):
            continue
        if (isinstance(rom, dict) and rom.get("title") == title
                and rom.get("game_code", "") == game_code):
            return path
    return None


def resolve_profile(sha1: str, explicit: str | Path | None = None) -> Profile | None:
    """An explicit profile path (checked against the ROM) or the automatic match."""
    if explicit is None:
        return find_profile(sha1)
    profile = load_profile(explicit)
    if profile.sha1 != sha1.lower():
        raise ProfileError(
            f"{explicit}: rom.sha1 is {profile.sha1} but the ROM's SHA-1 is {sha1.lower()}; "
            "this profile is for another ROM"
        )
    return profile
