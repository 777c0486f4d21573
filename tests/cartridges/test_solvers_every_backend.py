"""Each scripted solver finishes its game through every backend that runs its platform.

The SkyEmu case drives the real client against the stand-in SkyEmu server (a real
emulator core behind SkyEmu's documented HTTP protocol), because SkyEmu itself cannot be
installed here. mGBA-http is left out: it runs in real time and cannot step frames, so
an open-loop frame-exact script cannot be replayed through it.
"""

from __future__ import annotations

import pytest

from eevee.cartridges import get
from eevee.cartridges.solver import load_script, play
from eevee.emulator import open_emulator
from eevee.emulator.testing.servers import start_server
from eevee.profiles import VariableReader, load_profile

CASES = [
    ("quest", "retro", None),
    ("quest", "skyemu", "retro"),
    ("maze", "pyboy", None),
    ("maze", "retro", None),
    ("maze", "skyemu", "pyboy"),
    ("grove", "pyboy", None),
    ("grove", "retro", None),
    ("grove", "skyemu", "pyboy"),
    ("keep", "retro", None),
    ("keep", "skyemu", "retro"),
]


@pytest.mark.parametrize(
    ("name", "backend", "server_backend"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_solver_completes_main_quest(name: str, backend: str, server_backend: str | None) -> None:
    cart = get(name)
    reader = VariableReader(load_profile(cart.profile_path))
    script = load_script(cart.solver_path)
    if server_backend is None:
        # subprocess: stable-retro allows one emulator per process
        with open_emulator(cart.rom_path, backend=backend, subprocess=True) as emu:
            play(emu, script)
            reached = reader.milestones(reader.read(emu))
    else:
        with start_server(backend, cart.rom_path, backend=server_backend) as url, open_emulator(
            cart.rom_path, backend=backend, url=url
        ) as emu:
            play(emu, script)
            reached = reader.milestones(reader.read(emu))
    assert reached["quest_complete"], f"{name} on {backend}: milestones {reached}"
    assert all(reached.values()) or name == "quest", reached
