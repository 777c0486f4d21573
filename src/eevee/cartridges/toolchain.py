"""Find the cross compilers that build the cartridges, or say which Debian packages to add.

Eevee never installs anything by itself: a missing tool is reported with the exact
``apt-get install`` line that provides it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from eevee.errors import ToolchainError

# tool -> Debian package that provides it
_GBA_TOOLS: dict[str, str] = {
    "arm-none-eabi-gcc": "gcc-arm-none-eabi",
    "arm-none-eabi-objcopy": "binutils-arm-none-eabi",
}
_GB_TOOLS: dict[str, str] = {
    "sdcc": "sdcc",
    "sdasgb": "sdcc",
    "sdldgb": "sdcc",
    "makebin": "sdcc",
}
TOOLS: dict[str, dict[str, str]] = {"gba": _GBA_TOOLS, "gb": _GB_TOOLS}


@dataclass(frozen=True)
class Toolchain:
    """Absolute paths of the tools for one platform."""

    platform: str
    paths: dict[str, str]

    def __getitem__(self, tool: str) -> str:
        return self.paths[tool]


def missing_packages(platform: str) -> list[str]:
    """Debian packages that must be installed before ``platform`` cartridges build."""
    missing = {pkg for tool, pkg in TOOLS[platform].items() if shutil.which(tool) is None}
    return sorted(missing)


def find(platform: str) -> Toolchain:
    """The toolchain for ``platform`` ("gba" or "gb"), or a :class:`ToolchainError`."""
    if platform not in TOOLS:
        raise ToolchainError(f"no toolchain for platform {platform!r}; use gba or gb")
    missing = missing_packages(platform)
    if missing:
        raise ToolchainError(
            f"cannot build {platform} cartridges: missing Debian packages "
            f"{' '.join(missing)}; install them with: sudo apt-get install {' '.join(missing)}"
        )
    paths = {tool: shutil.which(tool) or tool for tool in TOOLS[platform]}
    return Toolchain(platform=platform, paths=paths)
