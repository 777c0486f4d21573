"""The live dashboard: watch a running game in a browser, pause it, step it, play it.

:class:`Dashboard` serves one :class:`~eevee.runner.live.LiveState` over HTTP and a
WebSocket (see :mod:`eevee.dashboard.server` for the design). fastapi and uvicorn are
imported only when it starts (``pip install 'eevee[dashboard]'``).
"""

from __future__ import annotations

from eevee.dashboard.server import Dashboard

__all__ = ["Dashboard"]
