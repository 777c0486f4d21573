"""The GB decoder reads the maze from memory as the game drew it: the player's two 8×16
sprites where the game put them, the background at the scroll registers, content ids
that name the same tile the same way in every run."""

from __future__ import annotations

import json

import numpy as np

from eevee.cartridges import get
from eevee.emulator import Buttons, open_emulator
from eevee.perception.gbvram import GbDecoder
from eevee.profiles import load_profile
from eevee.profiles.reader import VariableReader


def _play_the_maze(frames: int) -> list[tuple[bytes, bytes, bytes, dict[str, int]]]:
    """Memory and variables of the maze's first ``frames`` frames, the solver's inputs
    driving it (PyBoy, which reads every GB region)."""
    cart = get("maze")
    reader = VariableReader(load_profile(cart.profile_path))
    sol = json.loads((cart.data_dir / "solver.json").read_text())
    inputs = [int(Buttons.parse(b)) if b else 0 for b, n in sol["inputs"] for _ in range(n)]
    out = []
    with open_emulator(cart.rom_path, backend="pyboy") as emu:
        for f in range(frames):
            emu.step(inputs[f] if f < len(inputs) else 0)
            out.append((emu.read_region("vram"), emu.read_region("io"),
                        emu.read_region("oam"), reader.read(emu)))
    return out


def test_the_player_and_the_background_come_from_memory() -> None:
    frames = _play_the_maze(400)
    dec = GbDecoder()
    playing = placed = 0
    for vram, io, oam, v in frames:
        f = dec.decode(vram, io, oam)
        assert f.grid.ids.shape == (18, 20) and f.grid.wrap == 256
        assert f.grid.scroll == (io[0x43], io[0x42])
        if v["game_mode"] != 1:
            continue
        playing += 1
        # the player is OAM entries 0 and 1, side by side (the profile's player_oam)
        tops = sorted((s.x, s.y) for s in f.sprites if s.index in (0, 1))
        placed += tops == [(v["pixel_x"], v["pixel_y"]), (v["pixel_x"] + 8, v["pixel_y"])]
    # (the sprites lag the variables by a frame when a room changes: 3 frames in 230)
    assert playing > 100 and placed >= 0.98 * playing, (placed, playing)


def test_content_ids_name_a_tile_the_same_in_every_run() -> None:
    frames = _play_the_maze(200)
    one, two = GbDecoder(), GbDecoder()
    vram, io, oam, _ = frames[-1]
    a = one.decode(vram, io, oam).grid.ids
    two.decode(*frames[50][:3])  # (another history: other tiles met first)
    b = two.decode(vram, io, oam).grid.ids
    assert np.array_equal(one.keys_of(a), two.keys_of(b))
    assert len(np.unique(a)) > 3  # (walls, floor, water ... told apart)


def test_sprites_are_read_when_a_status_bar_switched_them_off_at_the_frames_end() -> None:
    """A game that draws a HUD below the map clears LCDC's sprites bit at that scanline;
    the registers, read after the frame, say "off" though the player was drawn."""
    io = bytearray(0x80)
    io[0x40] = 0xC5  # display, 8×16 sprites, background; the sprites bit cleared
    oam = bytearray(0xA0)
    oam[0:4] = bytes([16 + 48, 8 + 56, 6, 0])  # the player, on screen
    oam[4:8] = bytes([0, 8 + 20, 0, 0])  # hidden the way games hide one: off screen
    f = GbDecoder().decode(bytes(0x2000), bytes(io), bytes(oam))
    assert [(s.x, s.y, s.width, s.height) for s in f.sprites] == [(56, 48, 8, 16)]
