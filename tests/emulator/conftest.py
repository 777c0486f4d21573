"""Fixtures for the emulator contract tests (see ``games.py`` for the games and backends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eevee.emulator import Emulator
from emulator.games import Game, ServerPool, load_game, open_case


@pytest.fixture(scope="session")
def game_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("games")


@pytest.fixture(scope="module")
def server_pool() -> Iterator[ServerPool]:
    pool = ServerPool()
    yield pool
    pool.close()


@pytest.fixture
def case(
    request: pytest.FixtureRequest, game_root: Path, server_pool: ServerPool
) -> Iterator[tuple[Game, Emulator]]:
    game_name, backend = request.param
    game = load_game(game_name, game_root)
    if game.skip:
        pytest.skip(game.skip)
    if backend in ("skyemu-recorded", "skyemu-real"):
        server_pool.url(backend, game)
        name = request.node.originalname
        if not server_pool.begin(backend, game, name):
            pytest.skip(f"no answers of the real SkyEmu recorded for {name} on {game_name}")
    emu = open_case(game, backend, server_pool)
    try:
        yield game, emu
    finally:
        emu.close()
