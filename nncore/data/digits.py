"""Your digit, made to look like an MNIST digit before the network sees it.

MNIST's images were made in three steps (LeCun et al.): the writer's digit was scanned, its ink
was scaled to fit a 20×20 box keeping its aspect ratio (anti-aliased, hence the grey levels), and
that box was placed in a 28×28 field so that the digit's centre of mass sits at the field's
centre. A network trained on MNIST expects exactly this: white ink (1) on black paper (0), about
4 px of empty border. ``preprocess`` does the same to a drawing from the canvas (an RGBA array) or
to an uploaded PNG/JPEG, so that x = preprocess(image) can go straight into ``model.predict``.
"""
from __future__ import annotations

import io
from typing import Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

FIELD = 28                        # MNIST's image side
BOX = 20                          # the digit's longer side inside the field
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000           # 5000 × 5000; larger images are refused before decoding
INK_THRESHOLD = 0.1               # share of the ink range above which a pixel counts as ink

ImageLike = Union[bytes, bytearray, np.ndarray, Image.Image]


def load_image(data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> Image.Image:
    """Decode an uploaded PNG or JPEG (turned upright if the camera said so), or explain why not."""
    if len(data) > max_bytes:
        raise ValueError(f"The image is {len(data) / 2**20:.1f} MB; the limit is "
                         f"{max_bytes / 2**20:.0f} MB. Crop it or save it smaller.")
    if not data:
        raise ValueError("The file is empty.")
    unreadable = "This file is not a readable PNG or JPEG image."
    try:
        img = Image.open(io.BytesIO(data), formats=["PNG", "JPEG"])   # reads the header only
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(unreadable) from exc
    if img.width * img.height > MAX_PIXELS:
        raise ValueError(f"The image is {img.width}×{img.height} pixels; the limit is "
                         f"{MAX_PIXELS:,} pixels. Save it smaller.")
    try:
        img.load()
        return ImageOps.exif_transpose(img)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:   # truncated, ...
        raise ValueError(unreadable) from exc


def _as_array(image: ImageLike) -> np.ndarray:
    """Any accepted input as a float array in [0, 255]: (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA."""
    if isinstance(image, (bytes, bytearray)):
        image = load_image(bytes(image))
    if isinstance(image, Image.Image):
        mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        image = np.asarray(image.convert(mode))
    original = np.asarray(image)
    arr = original
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)) or min(arr.shape[:2]) < 1:
        raise ValueError(f"An image array must be (height, width) grey, RGB or RGBA; got shape {arr.shape}.")
    if arr.shape[0] * arr.shape[1] > MAX_PIXELS:
        raise ValueError(f"The image has {arr.shape[0] * arr.shape[1]:,} pixels; the limit is {MAX_PIXELS:,}.")
    if original.dtype.kind not in "biuf":
        raise ValueError(f"An image array must hold numbers; got {original.dtype}.")
    arr = original.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("The image contains NaN or infinite values.")
    if original.dtype.kind in "bf" and arr.max() <= 1.0:
        arr = arr * 255.0            # booleans, or floats in [0, 1]
    return np.clip(arr, 0, 255)


def ink(image: ImageLike) -> np.ndarray:
    """How much ink each pixel holds, in [0, 1], whatever the colours: the MNIST convention, ink = 1.

    A drawing with transparency (the canvas) has its ink where it is opaque: ink = alpha. Otherwise
    the image is made grey, and inverted when its border (the paper) is lighter than its middle's
    ink; the paper's grey level is then subtracted and the rest stretched to [0, 1], so a photo of
    pencil on paper works as well as a clean drawing.
    """
    arr = _as_array(image)
    if arr.ndim == 3 and arr.shape[2] == 4:
        alpha = arr[..., 3] / 255.0
        if (alpha > 0.5).mean() < 0.5:            # mostly transparent: strokes on nothing
            return alpha
        rgb = arr[..., :3] * alpha[..., None] + 255.0 * (1 - alpha[..., None])   # over white paper
        arr = rgb
    grey = arr if arr.ndim == 2 else arr @ np.array([0.299, 0.587, 0.114])        # ITU-R 601 luma
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = np.median(border)
    level = grey - paper if paper < 128 else paper - grey                         # light paper: invert
    top = level.max()
    if top < 0.1 * 255:
        return np.zeros_like(grey)
    return np.clip(level / top, 0.0, 1.0)


def _bounding_box(a: np.ndarray, threshold: float = INK_THRESHOLD):
    rows = np.flatnonzero((a > threshold).any(axis=1))
    cols = np.flatnonzero((a > threshold).any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def fit_box(a: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is ``box`` px, keeping the aspect ratio (anti-aliased, like MNIST)."""
    h, w = a.shape
    scale = box / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    img = Image.fromarray((a * 255).astype(np.uint8), mode="L")
    return np.asarray(img.resize(size, Image.Resampling.LANCZOS), dtype=np.float64) / 255.0


def centre_of_mass(a: np.ndarray):
    """(row, column) of the ink's centre of mass, in pixel indices (pixel (0, 0) is the top left)."""
    total = a.sum()
    return (a.sum(axis=1) @ np.arange(a.shape[0])) / total, (a.sum(axis=0) @ np.arange(a.shape[1])) / total


def place_by_mass(a: np.ndarray, field: int = FIELD) -> np.ndarray:
    """Paste ``a`` into a field × field image so its centre of mass lands on pixel (14, 14).

    That is where MNIST's digits have it: over the bundled 10,000, the centre of mass is at row
    14.0 ± 0.3, column 14.0 ± 0.3 (pixel indices), half a pixel below and right of the geometric
    centre 13.5.
    """
    cy, cx = centre_of_mass(a)
    h, w = a.shape
    top = int(np.clip(round(field // 2 - cy), 0, field - h))
    left = int(np.clip(round(field // 2 - cx), 0, field - w))
    out = np.zeros((field, field))
    out[top:top + h, left:left + w] = a
    return out


def preprocess_steps(image: ImageLike) -> dict:
    """Each stage of the MNIST recipe, for a page that shows them: ink, crop, 20 px box, 28×28 field."""
    amount = ink(image)
    if (amount > INK_THRESHOLD).sum() == 0:
        raise ValueError("The image looks blank: there is no digit to read. Draw or upload a digit "
                         "in a dark colour on a light background (or light on dark).")
    r0, r1, c0, c1 = _bounding_box(amount)
    cropped = amount[r0:r1, c0:c1]
    boxed = fit_box(cropped)
    if boxed.sum() == 0:
        raise ValueError("The digit is too faint to read once scaled down; draw it with a thicker line.")
    final = place_by_mass(boxed)
    return {"ink": amount, "cropped": cropped, "boxed": boxed, "final": final.astype(np.float32)}


def preprocess(image: ImageLike) -> np.ndarray:
    """A drawing or an uploaded image as an MNIST digit: (28, 28) float32, ink 1 on paper 0.

    Grey → invert if the paper is light → crop to the ink's bounding box → longer side to 20 px
    (aspect kept) → into 28×28 with the centre of mass at the centre. Raises ValueError, with a
    message for the student, for a blank image, a file that is not a PNG/JPEG, or one too large.
    """
    return preprocess_steps(image)["final"]
