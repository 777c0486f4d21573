"""The recording file: a magic line, then checksummed chunks.

A chunk is ``kind`` (1 byte), ``frame`` (u32), payload length (u32), the payload and a
CRC-32 of all of these. Kinds:

========  ===========================================================================
``H``     header (JSON): platform, backend, ROM path and SHA-1, hash interval, …
``S``     the savestate the run started from (frame 0), zlib'd
``B``     buttons from ``frame`` on: (buttons u16, run length u16) pairs
``C``     checkpoint after ``frame`` frames: 8-byte screen hash, 8-byte RAM hash
``D``     decisions, events and views of the agent's (zlib'd JSON list), each with
          the frame it took effect; a view holds only what changed since the last
``E``     the end (JSON: frames, why the run stopped)
========  ===========================================================================

Chunks are appended as the run goes, so a killed run leaves every chunk written before
the kill readable; a torn last chunk or a flipped bit is found by its length or CRC.

>>> blob = MAGIC + chunk(b"E", 7, b"{}")
>>> [(c.kind, c.frame, c.payload) for c in iter_chunks(blob)]
[(b'E', 7, b'{}')]
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from eevee.errors import RecordingError

MAGIC = b"EEVR\x01\n"
VERSION = 1
HEAD = struct.Struct("<cII")
CRC = struct.Struct("<I")
PAIR = struct.Struct("<HH")
HEADER, START, BUTTONS, CHECK, DECISION, END = b"H", b"S", b"B", b"C", b"D", b"E"
KINDS = frozenset((HEADER, START, BUTTONS, CHECK, DECISION, END))
MAX_CHUNK = 64 << 20  # no chunk is this large: a length beyond it is damage
#: the RAM a checkpoint hashes, per platform (work RAM: what the game's logic keeps)
HASHED_RAM = {"gba": ("ewram", "iwram"), "gb": ("wram", "hram")}


def chunk(kind: bytes, frame: int, payload: bytes) -> bytes:
    """One chunk's bytes."""
    head = HEAD.pack(kind, frame, len(payload))
    return head + payload + CRC.pack(zlib.crc32(payload, zlib.crc32(head)))


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    frame: int
    payload: bytes
    offset: int


def iter_chunks(data: bytes) -> Iterator[Chunk]:
    """The chunks of a recording, in order; a :class:`RecordingError` naming the frame
    where the recording breaks (the last good chunk's frame) if it is damaged."""
    if not data.startswith(MAGIC):
        raise RecordingError("not an Eevee recording (bad magic bytes): give the run folder "
                             "or its recording.eevr")
    pos, last = len(MAGIC), 0
    while pos < len(data):
        if pos + HEAD.size > len(data):
            raise RecordingError(f"recording truncated at frame {last}: it ends inside a "
                                 f"chunk header at byte {pos} (replay --partial checks the "
                                 "frames before it)")
        kind, frame, size = HEAD.unpack_from(data, pos)
        end = pos + HEAD.size + size
        if kind not in KINDS or size > MAX_CHUNK:
            raise RecordingError(f"recording corrupt at frame {last}: byte {pos} is no chunk "
                                 f"(kind {kind!r}, length {size}); replay --partial checks "
                                 "the frames before it")
        if end + CRC.size > len(data):
            raise RecordingError(f"recording truncated at frame {max(last, frame)}: the last "
                                 f"chunk ({kind.decode()}) is cut short (replay --partial "
                                 "checks the frames before it)")
        payload = data[pos + HEAD.size:end]
        (crc,) = CRC.unpack_from(data, end)
        if crc != zlib.crc32(payload, zlib.crc32(data[pos:pos + HEAD.size])):
            raise RecordingError(f"recording corrupt at frame {frame}: a chunk "
                                 f"({kind.decode()}) fails its checksum at byte {pos} "
                                 "(replay --partial checks the frames before it)")
        yield Chunk(kind, frame, payload, pos)
        last = frame
        pos = end + CRC.size


def pack_buttons(pairs: Sequence[tuple[int, int]]) -> bytes:
    """(buttons, run) pairs; runs over 65,535 frames split."""
    out = bytearray()
    for buttons, run in pairs:
        while run > 0:
            n = min(run, 0xFFFF)
            out += PAIR.pack(buttons & 0xFFFF, n)
            run -= n
    return bytes(out)


def unpack_buttons(payload: bytes) -> list[tuple[int, int]]:
    if len(payload) % PAIR.size:
        raise RecordingError("recording corrupt: a buttons chunk has an odd length")
    return [PAIR.unpack_from(payload, i) for i in range(0, len(payload), PAIR.size)]


def state_hashes(screen_bytes: bytes, ram: Sequence[bytes]) -> bytes:
    """A checkpoint's payload: 8-byte hashes of the screen and of the work RAM."""
    hs = hashlib.blake2b(screen_bytes, digest_size=8).digest()
    hr = hashlib.blake2b(b"".join(ram), digest_size=8).digest()
    return hs + hr
