"""Your digit → an MNIST digit: ink 1 on paper 0, longer side 20 px, centre of mass at the centre of 28×28."""
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nncore.data import digits
from nncore.data.datasets import SAMPLE_PATH


def canvas_seven(size=280, offset=(30, 20), colour=(0, 0, 0, 255)):
    """A '7' drawn with a thick pen on a transparent canvas, off-centre, as the drawing canvas returns it."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    ox, oy = offset
    d.line([(ox + 20, oy + 20), (ox + 120, oy + 20), (ox + 60, oy + 180)], fill=colour, width=16)
    return np.asarray(img)


def png_bytes(img: Image.Image, fmt="PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def on_paper(rgba: np.ndarray, paper=255, pen=0) -> Image.Image:
    """The canvas drawing as an opaque photo-like image: pen colour on paper colour."""
    alpha = rgba[..., 3] / 255.0
    grey = paper + (pen - paper) * alpha
    return Image.fromarray(grey.astype(np.uint8), mode="L").convert("RGB")


def assert_mnist_like(x):
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() <= 1 and x.max() > 0.9
    rows = np.flatnonzero((x > 0.1).any(axis=1))
    cols = np.flatnonzero((x > 0.1).any(axis=0))
    assert max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) in (19, 20, 21)
    cy, cx = digits.centre_of_mass(x)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_drawn_seven_is_cropped_scaled_and_centred_by_mass():
    x = digits.preprocess(canvas_seven())
    assert_mnist_like(x)
    # the 7's bounding box is taller than wide: height 20, width 20 * 116/176 ≈ 13
    rows = np.flatnonzero((x > 0.1).any(axis=1))
    cols = np.flatnonzero((x > 0.1).any(axis=0))
    assert rows[-1] - rows[0] + 1 in (20, 21) and 11 <= cols[-1] - cols[0] + 1 <= 15


def test_where_you_draw_does_not_matter():
    a = digits.preprocess(canvas_seven(offset=(10, 10)))
    b = digits.preprocess(canvas_seven(offset=(140, 90)))
    assert np.abs(a - b).max() < 1e-6


def test_pen_colour_does_not_matter_on_a_transparent_canvas():
    black = digits.preprocess(canvas_seven(colour=(0, 0, 0, 255)))
    white = digits.preprocess(canvas_seven(colour=(255, 255, 255, 255)))
    assert np.abs(black - white).max() < 1e-6


@pytest.mark.parametrize("paper,pen", [(255, 0), (0, 255), (215, 60)])
def test_uploaded_image_is_inverted_when_the_paper_is_light(paper, pen):
    drawn = canvas_seven()
    expected = digits.preprocess(drawn)
    x = digits.preprocess(png_bytes(on_paper(drawn, paper, pen)))
    assert_mnist_like(x)
    assert np.abs(x - expected).mean() < 0.02


def test_jpeg_upload_works():
    x = digits.preprocess(png_bytes(on_paper(canvas_seven()), "JPEG"))
    assert_mnist_like(x)
    assert np.abs(x - digits.preprocess(canvas_seven())).mean() < 0.03


def test_real_mnist_digits_survive_print_and_scan():
    """Blow real digits up to 280 px, print them black on white, preprocess: we get them back."""
    with np.load(SAMPLE_PATH) as f:
        originals = f["x"][::500].astype(float) / 255
    scores = []
    for original in originals:
        big = Image.fromarray((255 - original * 255).astype(np.uint8)).resize((280, 280), Image.Resampling.BICUBIC)
        back = digits.preprocess(png_bytes(big))
        scores.append(np.corrcoef(back.ravel(), original.ravel())[0, 1])
    assert np.median(scores) > 0.95 and min(scores) > 0.7


def test_mnist_digits_have_their_centre_of_mass_at_pixel_14_14():
    with np.load(SAMPLE_PATH) as f:
        coms = np.array([digits.centre_of_mass(a) for a in f["x"][::10].astype(float)])
    assert np.allclose(coms.mean(axis=0), [14, 14], atol=0.1)


def test_steps_are_shown_in_order():
    steps = digits.preprocess_steps(canvas_seven())
    assert list(steps) == ["ink", "cropped", "boxed", "final"]
    assert steps["ink"].shape == (280, 280)
    assert max(steps["boxed"].shape) == 20


def test_blank_canvas_is_refused():
    with pytest.raises(ValueError, match="blank"):
        digits.preprocess(np.zeros((280, 280, 4), dtype=np.uint8))


def test_blank_white_page_is_refused():
    with pytest.raises(ValueError, match="blank"):
        digits.preprocess(png_bytes(Image.new("RGB", (100, 100), "white")))


@pytest.mark.parametrize("data", [b"hello, this is not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_non_image_bytes_are_refused(data):
    with pytest.raises(ValueError, match="not a readable PNG or JPEG"):
        digits.preprocess(data)


def test_truncated_png_is_refused():
    data = png_bytes(on_paper(canvas_seven()))
    with pytest.raises(ValueError, match="not a readable PNG or JPEG"):
        digits.preprocess(data[: len(data) // 2])


def test_other_formats_are_refused():
    with pytest.raises(ValueError, match="PNG or JPEG"):
        digits.preprocess(png_bytes(on_paper(canvas_seven()), "GIF"))


def test_oversized_upload_is_refused_before_decoding():
    with pytest.raises(ValueError, match="limit is 5 MB"):
        digits.load_image(b"\0" * (digits.MAX_UPLOAD_BYTES + 1))


def test_too_many_pixels_is_refused():
    huge = png_bytes(Image.new("L", (6000, 6000), 255))      # compresses to a few kB
    assert len(huge) < digits.MAX_UPLOAD_BYTES
    with pytest.raises(ValueError, match="pixels"):
        digits.preprocess(huge)


def test_wrong_array_shape_is_refused():
    with pytest.raises(ValueError, match="grey, RGB or RGBA"):
        digits.preprocess(np.zeros((28, 28, 2)))
