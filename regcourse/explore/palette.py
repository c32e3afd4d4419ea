"""A fast PNG encoder for a stream of similar pictures (live training's frames): one palette, reused.

Choosing a palette (median cut) costs more than drawing a frame; mapping a pixel to a palette
already chosen is a table look-up. So `PaletteEncoder` chooses its palette once, from a first
picture plus colours it must hold anyway (a colour map's), and then encodes every frame as:

    pixel (R, G, B) → its cell of a 32 × 32 × 32 colour cube (5 bits per channel)
                    → the palette colour nearest to the cell's centre (a table of 32768 entries)
                    → one byte per pixel, deflated into an indexed PNG.

That is about twice as fast as an RGB PNG (render.png_bytes) and a third of its size.

`encode_frames` does the same for a set of pictures known in advance (an explorer's frames, one
per λ): one palette chosen from all of them, and a finer cube (6 bits per channel) whose cells are
matched to their exact nearest palette colour, only for the cells the pictures use. Measured on 02's
27 frames against a 64-colour palette chosen per picture: twice as fast, the same bytes, and a mean
error per channel of 0.24 instead of 0.41 (out of 255).
"""

from __future__ import annotations

import struct
import sys
import zlib

import numpy as np
from PIL import Image as PILImage

from .. import _validate as v

CUBE_BITS = 5            # bits per channel of the colour cube the table is indexed by (indices() assumes 5)


class PaletteEncoder:
    """Encode (H, W, 4) uint8 pictures as 8-bit indexed PNGs with a palette chosen once.

    picture         an (H, W, 4) uint8 picture like the ones to come (its colours make the palette)
    extra_colours   (n, 3) or (n, 4) colours the palette must also hold (a colour map's): floats 0–1 or integers 0–255
    colours         palette size, 2 … 256
    level           zlib compression level, 1 … 9
    """

    def __init__(self, picture, extra_colours=(), colours: int = 256, level: int = 3):
        picture = _picture("picture", picture)
        colours = v.integer("colours", colours, minimum=2, maximum=256)
        self.level = v.integer("level", level, minimum=1, maximum=9)
        extra = np.asarray(extra_colours, dtype=float)
        extra = extra.reshape(0, 3) if extra.size == 0 else extra
        if extra.ndim != 2 or extra.shape[1] not in (3, 4) or not np.isfinite(extra).all():
            raise ValueError(f"extra_colours must be (n, 3) or (n, 4) finite colours, got shape {extra.shape}")
        if not np.issubdtype(np.asarray(extra_colours).dtype, np.integer):    # matplotlib's 0–1 colours
            extra = 255 * extra
        rgb = picture[..., :3].reshape(-1, 3)
        if extra.size:              # each extra colour as many times as a picture row, so median cut keeps it
            repeats = max(1, picture.shape[1])
            rgb = np.vstack([rgb, np.repeat(np.clip(np.rint(extra[:, :3]), 0, 255).astype(np.uint8), repeats, 0)])
        source = PILImage.fromarray(rgb.reshape(1, -1, 3))
        self._palette = source.quantize(colours, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
        step = 1 << (8 - CUBE_BITS)
        centres = np.arange(0, 256, step, dtype=np.uint8) + step // 2
        r, g, b = np.meshgrid(centres, centres, centres, indexing="ij")          # index = r·32² + g·32 + b
        cube = PILImage.fromarray(np.stack([r, g, b], axis=-1).reshape(1 << CUBE_BITS, -1, 3))
        self.table = np.asarray(cube.quantize(palette=self._palette, dither=PILImage.Dither.NONE)).ravel()
        self.palette = np.asarray(self._palette.getpalette()[:3 * (int(self.table.max()) + 1)], dtype=np.uint8)

    def indices(self, picture) -> np.ndarray:
        """(H, W) palette indices of an (H, W, 4) uint8 picture."""
        pixels = _picture("picture", picture)
        words = np.ascontiguousarray(pixels).view(np.uint32)[..., 0]     # R | G << 8 | B << 16 | A << 24
        if sys.byteorder == "big":
            words = words.byteswap()
        cell = ((words & 0xF8) << 7) | ((words >> 6) & 0x3E0) | ((words >> 19) & 0x1F)   # top 5 bits of R, G, B
        return np.take(self.table, cell)

    def __call__(self, picture) -> bytes:
        """The picture as an indexed PNG (bytes)."""
        return _indexed_png(self.indices(picture), self.palette, self.level)


FRAME_CUBE_BITS = 6      # bits per channel of encode_frames' colour cube: 64³ cells


RESERVED = 16            # palette entries encode_frames keeps for the pictures' most common exact colours


def encode_frames(pictures, colours: int = 128, level: int = 6) -> list[bytes]:
    """Encode a list of (H, W, 4) uint8 pictures as indexed PNGs sharing one palette.

    The palette is chosen from every third pixel (in both directions) of every picture, so a colour
    that only one picture shows still gets an entry: the RESERVED most common colours exactly (the
    background and the other flat fills stay exact), then median cut for the rest. Each pixel goes
    to the palette colour nearest (in RGB) to the mean colour of its cell in a 64 × 64 × 64 colour
    cube (the cell's centre, for a cell the sample missed).
    """
    if not isinstance(pictures, (list, tuple)) or not pictures:
        raise TypeError(f"pictures must be a non-empty list of (H, W, 4) uint8 arrays, got {v.described(pictures)}")
    pictures = [_picture(f"pictures[{i}]", picture) for i, picture in enumerate(pictures)]
    colours = v.integer("colours", colours, minimum=RESERVED + 2, maximum=256)
    level = v.integer("level", level, minimum=1, maximum=9)
    n_cells = 1 << 3 * FRAME_CUBE_BITS
    sample = np.concatenate([np.ascontiguousarray(p[::3, ::3]).reshape(-1, 4) for p in pictures])
    where = _cells(sample)
    count = np.bincount(where, minlength=n_cells)
    mean = np.stack([np.bincount(where, weights=sample[:, c], minlength=n_cells) for c in range(3)], axis=-1)
    mean /= np.maximum(count, 1)[:, None]
    common = np.argsort(count)[::-1][:RESERVED]
    common = common[count[common] > 0]
    rest = PILImage.fromarray(np.ascontiguousarray(sample[:, :3]).reshape(1, -1, 3)).quantize(
        colours - len(common), method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
    palette = np.vstack([np.rint(mean[common]).astype(np.uint8),
                         np.asarray(rest.getpalette(), dtype=np.uint8).reshape(-1, 3)[:colours - len(common)]])
    cells = [_cells(p) for p in pictures]
    used = np.zeros(n_cells, dtype=bool)
    for c in cells:
        used[c.ravel()] = True
    used = np.flatnonzero(used)
    points = np.where(count[used, None] > 0, mean[used], _centres(used, FRAME_CUBE_BITS))
    table = np.zeros(n_cells, dtype=np.uint8)
    table[used] = _nearest(points, palette)
    return [_indexed_png(np.take(table, c), palette, level) for c in cells]


def _cells(picture: np.ndarray, bits: int = FRAME_CUBE_BITS) -> np.ndarray:
    """(...) index of each pixel's cell in the colour cube of `bits` bits per channel (64³ cells for the
    default 6): r·(2^bits)² + g·2^bits + b, from the top `bits` bits of each channel (`picture` is
    (..., 4) uint8, C-contiguous)."""
    words = np.ascontiguousarray(picture).view(np.uint32)[..., 0]     # R | G << 8 | B << 16 | A << 24
    if sys.byteorder == "big":
        words = words.byteswap()
    drop, mask = 8 - bits, (1 << bits) - 1
    r, g, b = ((words >> (shift + drop)) & mask for shift in (0, 8, 16))
    return ((r << 2 * bits) | (g << bits) | b).astype(np.intp)


def _centres(cells: np.ndarray, bits: int) -> np.ndarray:
    """(n, 3) RGB centres of the cube cells `cells` (indices as made by _cells)."""
    mask, step = (1 << bits) - 1, 1 << (8 - bits)
    levels = np.stack([cells >> 2 * bits, (cells >> bits) & mask, cells & mask], axis=-1)
    return levels * step + step // 2


def _nearest(points: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index of the palette colour nearest to each of the (n, 3) points (squared RGB distance; the first
    of equally near ones)."""
    pal = palette.astype(float)
    out = np.empty(len(points), dtype=np.uint8)
    for start in range(0, len(points), 4096):          # (4096, colours, 3) at a time
        d = points[start:start + 4096, None, :] - pal[None]
        out[start:start + 4096] = np.einsum("ijk,ijk->ij", d, d).argmin(axis=1)
    return out


def _indexed_png(index: np.ndarray, palette: np.ndarray, level: int) -> bytes:
    """An 8-bit indexed PNG of the (H, W) palette indices `index`."""
    h, w = index.shape
    raw = np.zeros((h, w + 1), dtype=np.uint8)          # filter type 0 (None) before each row
    raw[:, 1:] = index
    header = struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)   # 8 bits, colour type 3 (indexed)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette.tobytes())
            + _chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + _chunk(b"IEND", b""))


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def _picture(name: str, picture) -> np.ndarray:
    if not isinstance(picture, np.ndarray) or picture.dtype != np.uint8 or picture.ndim != 3 or picture.shape[2] != 4:
        shape = getattr(picture, "shape", None)
        raise TypeError(f"{name} must be an (H, W, 4) uint8 array (a canvas's buffer_rgba), got "
                        f"{v.described(picture)}" + (f" of shape {shape}" if shape is not None else ""))
    if 0 in picture.shape[:2]:
        raise ValueError(f"{name} must have at least one pixel, got shape {picture.shape}")
    return picture
