"""Every test keeps Eevee's data (the knowledge store) in its own temporary folder, so
``eevee play`` runs in one test never learn from another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from redis_servers import falkordb_server, redis_server  # noqa: F401 (fixtures for all)


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EEVEE_DATA", str(tmp_path / "eevee-data"))
