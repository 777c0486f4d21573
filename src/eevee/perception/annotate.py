"""The frame as a vision-language model should see it: scaled up, gridded, coloured by meaning.

Nearest-neighbour upscale (3× by default), each cell of known meaning tinted and framed in
its colour (green walkable, red wall, blue interactive, purple door, orange hazard: the
frame keeps the colour readable over any background), thin grid lines, column numbers
along the top and row numbers down the left, a yellow player marker, labelled quest
markers and a colour legend underneath. Returns PNG bytes; :func:`tile_frames` puts the
last four frames in a 2×2 sheet.

>>> import numpy as np
>>> from eevee.perception.tilegrid import TileGrid
>>> grid = TileGrid(ids=np.zeros((20, 30), np.int32), origin=(0, 0))
>>> png = annotate(np.zeros((160, 240, 3), np.uint8), grid)
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from eevee.perception.player import Player
from eevee.perception.semantics import MEANINGS
from eevee.perception.tilegrid import TileGrid

#: RGB tint per meaning, in :data:`MEANINGS` order
COLOURS: dict[str, tuple[int, int, int]] = {
    "walkable": (40, 200, 60),
    "wall": (220, 40, 40),
    "door": (160, 60, 220),
    "interactive": (40, 110, 240),
    "hazard": (255, 140, 0),
}
PLAYER = (255, 230, 0)
MARGIN = 16
LEGEND = 16  # height of the legend strip under the frame


@dataclass(frozen=True)
class Marker:
    """A quest marker on a grid cell, with a short label."""

    col: int
    row: int
    label: str = ""
    colour: tuple[int, int, int] = (255, 255, 255)


_Font: TypeAlias = "ImageFont.ImageFont | ImageFont.FreeTypeFont"


def _font() -> _Font:
    return ImageFont.load_default()


def render(
    frame: np.ndarray,
    grid: TileGrid,
    meanings: np.ndarray | None = None,
    player: Player | None = None,
    markers: Sequence[Marker] = (),
    *,
    scale: int = 3,
    alpha: float = 0.45,
    title: str = "",
) -> Image.Image:
    """The annotated frame as a Pillow image (see :func:`annotate` for PNG bytes)."""
    h, w = frame.shape[:2]
    big = np.repeat(np.repeat(frame, scale, axis=0), scale, axis=1).astype(np.float32)
    if meanings is not None:
        big = _tint(big, grid, meanings, scale, alpha)
    title_h = 14 if title else 0
    img = Image.new("RGB", (w * scale + MARGIN, h * scale + MARGIN + title_h + LEGEND),
                    (24, 24, 24))
    top = MARGIN + title_h
    img.paste(Image.fromarray(big.clip(0, 255).astype(np.uint8)), (MARGIN, top))
    draw = ImageDraw.Draw(img, "RGBA")
    font = _font()
    if title:
        draw.text((MARGIN, 1), title, fill=(255, 255, 255), font=font)
    _draw_cells(draw, font, grid, top, (w, h), scale)
    for m in markers:
        x0, y0, _x1, _y1 = grid.cell_box(m.col, m.row)
        cx, cy = MARGIN + (x0 + 4) * scale, top + (y0 + 4) * scale
        rad = 4 * scale
        draw.polygon([(cx, cy - rad), (cx + rad, cy), (cx, cy + rad), (cx - rad, cy)],
                     outline=(*m.colour, 255), fill=(*m.colour, 110))
        if m.label:
            draw.text((cx + rad + 2, cy - 6), m.label, fill=(*m.colour, 255), font=font,
                      stroke_width=1, stroke_fill=(0, 0, 0))
    if player is not None:
        _draw_player(draw, font, player, top, scale)
    _draw_legend(draw, font, top + h * scale + 3)
    return img


def _tint(big: np.ndarray, grid: TileGrid, meanings: np.ndarray, scale: int,
          alpha: float) -> np.ndarray:
    """The scaled frame ``big`` with each cell tinted in its meaning's colour and framed
    in the full colour just inside the cell's edge."""
    h, w = big.shape[0] // scale, big.shape[1] // scale
    rows, cols = grid.shape
    ox, oy = grid.origin
    tint = np.zeros((rows, cols, 3), np.float32)
    mask = np.zeros((rows, cols), np.float32)
    for code, name in enumerate(MEANINGS):
        sel = meanings == code
        tint[sel] = COLOURS[name]
        mask[sel] = alpha
    # cell tint → pixel tint (cells start at the origin; cut at the screen edge)
    ys, xs = np.arange(h * scale), np.arange(w * scale)
    cell_y = np.clip((ys // scale - oy) // 8, 0, rows - 1)
    cell_x = np.clip((xs // scale - ox) // 8, 0, cols - 1)
    a = mask[cell_y[:, None], cell_x[None, :]][..., None]
    colour = tint[cell_y[:, None], cell_x[None, :]]
    big = big * (1 - a) + colour * a
    # and a frame in the full colour just inside each such cell's edge
    size, width = 8 * scale, max(2, scale - 1)
    in_y, in_x = (ys - oy * scale) % size, (xs - ox * scale) % size
    body_y, body_x = (in_y >= 1) & (in_y < size - 1), (in_x >= 1) & (in_x < size - 1)
    band_y = body_y & ((in_y < 1 + width) | (in_y >= size - 1 - width))
    band_x = body_x & ((in_x < 1 + width) | (in_x >= size - 1 - width))
    edge = (band_y[:, None] & body_x[None, :]) | (body_y[:, None] & band_x[None, :])
    edge &= a[..., 0] > 0
    big[edge] = colour[edge]
    return big


def _draw_cells(draw: ImageDraw.ImageDraw, font: _Font, grid: TileGrid, top: int,
                screen: tuple[int, int], scale: int) -> None:
    """The cell lines over the screen, and every other column and row number."""
    w, h = screen
    rows, cols = grid.shape
    ox, oy = grid.origin
    line = (255, 255, 255, 70)
    for c in range(cols + 1):
        x = MARGIN + (ox + 8 * c) * scale
        if MARGIN <= x <= MARGIN + w * scale:
            draw.line([(x, top), (x, top + h * scale)], fill=line)
    for r in range(rows + 1):
        y = top + (oy + 8 * r) * scale
        if top <= y <= top + h * scale:
            draw.line([(MARGIN, y), (MARGIN + w * scale, y)], fill=line)
    for c in range(0, cols, 2):
        x = MARGIN + (ox + 8 * c) * scale + 2
        draw.text((x, top - 13), str(c), fill=(220, 220, 220), font=font)
    for r in range(0, rows, 2):
        y = top + (oy + 8 * r) * scale + 4
        draw.text((1, y), str(r), fill=(220, 220, 220), font=font)


def _draw_player(draw: ImageDraw.ImageDraw, font: _Font, player: Player, top: int,
                 scale: int) -> None:
    """The player's box (outlined in black), its centre dot and the "YOU" label."""
    box = player.box or (player.screen[0] - 8, player.screen[1] - 8,
                         player.screen[0] + 8, player.screen[1] + 8)
    draw.rectangle(
        [MARGIN + box[0] * scale - 1, top + box[1] * scale - 1,
         MARGIN + box[2] * scale, top + box[3] * scale],
        outline=(0, 0, 0, 255), width=5,
    )
    draw.rectangle(
        [MARGIN + box[0] * scale, top + box[1] * scale,
         MARGIN + box[2] * scale - 1, top + box[3] * scale - 1],
        outline=(*PLAYER, 255), width=3,
    )
    cx, cy = MARGIN + player.screen[0] * scale, top + player.screen[1] * scale
    draw.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=(*PLAYER, 255),
                 outline=(0, 0, 0, 255))
    draw.text((MARGIN + box[0] * scale, top + box[3] * scale + 2), "YOU", fill=PLAYER,
              font=font, stroke_width=1, stroke_fill=(0, 0, 0))


def _draw_legend(draw: ImageDraw.ImageDraw, font: _Font, y: int) -> None:
    """The legend under the screen, from line ``y``: what the colours mean."""
    x = MARGIN
    for name in (*MEANINGS, "you"):
        colour = COLOURS.get(name, PLAYER)
        draw.rectangle([x, y + 1, x + 9, y + 10], fill=(*colour, 255))
        draw.text((x + 13, y), name, fill=(230, 230, 230), font=font)
        x += 13 + int(draw.textlength(name, font=font)) + 14


def to_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, compress_level=1)
    return buf.getvalue()


def annotate(
    frame: np.ndarray,
    grid: TileGrid,
    meanings: np.ndarray | None = None,
    player: Player | None = None,
    markers: Sequence[Marker] = (),
    *,
    scale: int = 3,
    title: str = "",
) -> bytes:
    """PNG bytes of the annotated frame (``meanings``: per-cell index into MEANINGS, -1
    for unknown, as from :meth:`TileSemantics.meaning_grid`)."""
    return to_png(render(frame, grid, meanings, player, markers, scale=scale, title=title))


def tile_frames(images: Sequence[Image.Image]) -> bytes:
    """The last (up to) four annotated images as a 2×2 sheet, oldest top-left, as PNG."""
    last = list(images)[-4:]
    if not last:
        raise ValueError("tile_frames needs at least one image")
    w, h = last[0].size
    sheet = Image.new("RGB", (2 * w, 2 * h), (0, 0, 0))
    for i, im in enumerate(last):
        sheet.paste(im, ((i % 2) * w, (i // 2) * h))
    return to_png(sheet)
