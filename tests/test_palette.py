"""Every figure's colours are safe for colour-blind students: each palette's colours stay apart when protan-,
deutan- and tritanopia are simulated (Machado, Oliveira & Fernandes 2009, full severity, in linear RGB; CIELAB
ΔE76 ≥ 20, where ~2 is a just noticeable difference), and every colour written in a figure builder or the
browser's scripts is one of the palettes', a neutral grey, or a scale's stop (listed here with why)."""
import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from nncore.figures import fundamentals_plots, race_plots, style
from nncore.lessons import race_lab

ROOT = Path(__file__).resolve().parent.parent
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": np.eye(3),
}
MIN_DE = 20.0


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        rgb_linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest(colours):
    """(ΔE, a, b, vision) of the two colours closest to each other under any simulated vision."""
    return min((float(np.linalg.norm(lab(np.array(m) @ linear(a)) - lab(np.array(m) @ linear(b)))), a, b, v)
               for a, b in itertools.combinations(colours, 2) for v, m in CVD.items())


PALETTES = {
    "classes (playground, fundamentals, MNIST)": style.CLASS_COLORS,
    "series (race, compared runs)": style.SERIES_COLORS,
    "the race's racers": [race_plots.COLOURS[r] for r in race_lab.RACERS],
    "the cost surface's markers (now, true w and b, the path)": [style.NOW, style.TRUE, style.PATH],
    "training and validation curves": [style.TRAIN, style.VALIDATION],
    "right and wrong (the perceptron's rows, a loss's classes), beside the other bars":
        [style.RIGHT, style.WRONG, fundamentals_plots.OTHER_CLASS],
}


@pytest.mark.parametrize("name", PALETTES)
def test_a_palette_stays_apart_for_every_colour_vision(name):
    de, a, b, vision = closest(PALETTES[name])
    assert de >= MIN_DE, f"{name}: {a} and {b} are ΔE {de:.1f} apart for {vision}"


def test_the_old_class_colours_fail_the_check():
    """The check can fail: the classes' colours before (blue and purple, one colour to a protanope)."""
    de, a, b, vision = closest(["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd"])
    assert de < 2 and {a, b} == {"#0877bd", "#9467bd"} and vision == "protanopia"


def test_the_race_colours_follow_the_racers_and_the_browser_uses_the_class_colours():
    assert race_plots.RACERS == race_lab.RACERS
    js = (ROOT / "views" / "ui" / "js" / "point_plane.js").read_text()
    assert re.search(r"const CLASS = \[(.*?)\]", js).group(1).replace("'", "").split(", ") == style.CLASS_COLORS


# colours that are neither a palette's nor grey, and why they may stay
ALLOWED = {
    "#e8eaeb": "the diverging scale's white middle",
    "#fafafa": "the clickable plane's background",
    "#ddd": "the clickable plane's grid",
    "#f7d0d0": "a wrong answer's cell background (with ✗ in the cell)",
    "#d4efd4": "a right answer's cell background (with ✓ in the cell)",
}


def grey(hex_colour: str) -> bool:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return max(r, g, b) - min(r, g, b) <= 24


def test_every_colour_written_in_a_figure_is_a_palettes_or_grey():
    known = {c.lower() for colours in PALETTES.values() for c in colours}
    found = {}
    for path in [*(ROOT / "nncore" / "figures").glob("*.py"), *(ROOT / "views").rglob("*.py"),
                 *(ROOT / "views" / "ui" / "js").glob("*.js")]:
        for colour in re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", path.read_text()):
            c = colour.lower()
            if c not in known and c not in ALLOWED and not grey(c):
                found.setdefault(c, []).append(path.name)
    assert not found, f"colours outside the palettes: {found}"
