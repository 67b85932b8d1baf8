"""Small images for live figures: a grid of values coloured by a palette, as a PNG data URI.

A plotly heatmap or contour is recomputed by the browser at every ``Plotly.react``; a PNG layout image
is only decoded and stretched, so a live figure redraws in a few ms (docs/BENCHMARKS.md).
"""
from __future__ import annotations

import base64
import struct
import zlib

import numpy as np


def png_uri(rgb: np.ndarray) -> str:
    """An (h, w, 3) RGB or (h, w, 4) RGBA uint8 image as a data: URI (PNG, no dependencies)."""
    h, w, channels = rgb.shape
    raw = b"".join(b"\x00" + rgb[i].tobytes() for i in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6 if channels == 4 else 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def palette(stops, levels: int = 256) -> np.ndarray:
    """``levels`` RGB uint8 colours interpolated between ``stops`` [(t, (r, g, b)), ...], t from 0 to 1."""
    t = np.linspace(0, 1, levels)
    at = [s for s, _ in stops]
    rgb = np.stack([np.interp(t, at, [c[i] for _, c in stops]) for i in range(3)], axis=1)
    return rgb.round().astype(np.uint8)


def grid_image(values: np.ndarray, colours: np.ndarray, lo: float, hi: float) -> str:
    """A grid (rows = y from bottom to top) coloured from ``colours`` between ``lo`` and ``hi``, as a PNG URI."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=hi, posinf=hi, neginf=lo)
    index = np.rint((np.clip(v, lo, hi) - lo) / ((hi - lo) or 1.0) * (len(colours) - 1)).astype(np.intp)
    return png_uri(colours[index][::-1])
