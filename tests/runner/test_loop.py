"""The frame loop's Observer reads only what a frame needs, in as few passes as it can."""

from __future__ import annotations

from typing import Any

from eevee.agents.policy import ALL_SENSES
from eevee.cartridges import get
from eevee.emulator import open_emulator
from eevee.profiles import load_profile
from eevee.profiles.reader import VariableReader
from eevee.runner.loop import Observer


def test_variables_in_one_call_and_blocks_only_when_looked_at() -> None:
    cart = get("quest")
    profile = load_profile(cart.profile_path)
    with open_emulator(cart.rom_path) as emu:
        emu.step(0, 120)
        passes: list[Any] = []
        real = emu.read_spans

        def spy(spans: Any) -> list[bytes]:
            passes.append(spans)
            return real(spans)

        emu.read_spans = spy
        observer = Observer(emu, profile, ALL_SENSES)
        values = observer.variables()
        reader = VariableReader(profile)
        assert values == reader.parse(real(reader.spans))  # the variable table agrees
        obs = observer.observe(120, values)
        assert passes == []  # nothing read for blocks nobody looked at
        assert obs.memory["vram"] == emu.read_region("vram")
        assert obs.memory["io"] == emu.read_region("io") and len(passes) == 1  # one pass
        emu.reset()  # a new core: the variables are registered again
        emu.step(0, 5)
        assert observer.variables() == reader.parse(real(reader.spans))
