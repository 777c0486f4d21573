"""The Eevee exception hierarchy.

Every error a user can cause (a bad ROM, a bad profile, a missing toolchain, a dead
model server) is an :class:`EeveeError`. Its message is one line that names the bad
value and says how to fix it; the command line prints that line and exits with status 2.
Programming errors are left as ordinary Python exceptions.
"""

from __future__ import annotations


class EeveeError(Exception):
    """Base class of every error Eevee raises on purpose."""

    exit_code: int = 2


class RomError(EeveeError):
    """A ROM file is missing, unreadable, or not a valid GBA/GB image."""


class ProfileError(EeveeError):
    """A game profile data file is malformed or does not fit its ROM."""


class EmulatorError(EeveeError):
    """An emulator backend failed, or was asked for something it cannot do."""


class BackendUnavailableError(EmulatorError):
    """A backend cannot run here (its package or server is missing)."""


class UnsupportedOperationError(EmulatorError):
    """The backend cannot perform this operation (e.g. stepping on mGBA-http)."""


class RemoteEmulatorError(EmulatorError):
    """A remote emulator server (SkyEmu, mGBA-http) failed or answered nonsense."""


class ToolchainError(EeveeError):
    """A cross compiler needed to build a cartridge is missing or failed."""


class CartridgeError(EeveeError):
    """An unknown cartridge was named, or its bundled files are damaged."""


class ConfigError(EeveeError):
    """A command-line option or configuration value is out of range."""


class RecordingError(EeveeError):
    """A run's recording is missing, truncated, corrupt, or does not fit its ROM."""


class StorageError(EeveeError):
    """A file could not be written or read back: a full disk, a read-only folder, a file
    where a folder should be. What was saved before is left intact."""


def printable(text: object) -> str:
    """``text`` safe to print on one terminal line: control characters, stray bytes of a
    file name that is not UTF-8, and line breaks shown as escapes.

    >>> printable("ROM\\x1b[2J\\n" + "caf\\udce9.gba")
    'ROM\\\\x1b[2J\\\\n caf\\\\xe9.gba'
    """
    out = []
    for ch in str(text):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # (a byte of a non-UTF-8 file name)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\n":
            out.append("\\n ")
        elif not ch.isprintable():
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
