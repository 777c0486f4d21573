"""The perception error: an :class:`eevee.errors.EeveeError` with one clear line.

>>> raise PerceptionError("frame must be (160, 240, 3) uint8, got (10, 10)")
Traceback (most recent call last):
...
eevee.perception.errors.PerceptionError: frame must be (160, 240, 3) uint8, got (10, 10)
"""

from __future__ import annotations

from eevee.errors import EeveeError


class PerceptionError(EeveeError):
    """A frame, tile book or memory image that perception cannot use."""
