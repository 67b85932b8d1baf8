"""A student's own data: CSV files read or refused with a sentence naming the row and column, drawn points
that download as a CSV file which reads back the same, and the function-boundary data sets."""
from pathlib import Path

import numpy as np
import pytest

from nncore.data import datasets
from nncore.data import userdata as ud
from nncore.data.formula import compile_formula
from nncore.lessons import playground_lab as pg


def csv(rows, header="x1,x2,label"):
    return ("\n".join(([header] if header else []) + rows) + "\n").encode()


# ---- CSV files that are read -----------------------------------------------------------------------------
def test_a_file_with_a_header_reads_as_classes_and_says_what_it_read():
    data = ud.load_csv(csv(["0.5,0.5,1", "-0.5,-0.5,0", "0.25,-0.75,0"]))
    assert data.kind == "classes" and data.classes == (0, 1)
    assert data.x.tolist() == [[0.5, 0.5], [-0.5, -0.5], [0.25, -0.75]]
    assert data.y[:, 0].tolist() == [1, 0, 0]
    assert "header line" in data.description and "3 points" in data.description
    assert "classes (0: 2, 1: 1)" in data.description and "used as they are" in data.description


def test_a_file_without_a_header_keeps_its_first_row_as_a_point():
    data = ud.load_csv(csv(["1,2,0", "3,4,1", "5,6,1"], header=None))
    assert len(data.x) == 3 and "header" not in data.description


def test_features_outside_the_plane_are_moved_in_with_one_scale_for_both_axes():
    data = ud.load_csv(csv(["0,0,0", "10,0,1", "10,4,1", "0,4,0"]))
    assert data.x.min() >= -1 and data.x.max() <= 1
    assert data.x[:, 0].tolist() == [-1, 1, 1, -1]                 # x₁ spans 10: → [-1, 1]
    assert data.x[:, 1].tolist() == pytest.approx([-0.4, -0.4, 0.4, 0.4])   # x₂ spans 4: the same scale
    assert "Moved into [-1, 1]²" in data.description


def test_numbers_that_are_not_small_whole_numbers_are_values_for_regression():
    data = ud.load_csv(csv(["0,0,0.5", "1,1,2.25", "0.5,0.5,-3"]))
    assert data.kind == "values" and data.classes == ()
    assert "values from -3 to 2.25 (regression)" in data.description
    assert ud.load_csv(csv(["0,0,0", "1,1,7"])).kind == "values"          # 7 is not a class 0 … 4
    assert ud.load_csv(csv(["0,0,0", "1,1,4", "0,1,2"])).classes == (0, 2, 4)


def test_semicolons_and_a_byte_order_mark_are_read_too():
    assert len(ud.load_csv(b"\xef\xbb\xbfx1;x2;y\n0;0;0\n1;1;1\n").x) == 2


# ---- CSV files that are refused ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw,words", [
    (csv(["1,2", "3,4"], header="x1,x2"), "The file has 2 columns; it needs 3"),
    (csv(["1,2,0,9", "3,4,1,9"], header=None), "The file has 4 columns"),
    (csv(["1,2,0", "3,4"]), "Row 3 has 2 columns"),
    (csv(["1,2,0", "3,abc,1"]), "Row 3, column 2 holds 'abc', which is not a number"),
    (csv(["1,2,0", "3,4,one"], header=None), "Row 2, column 3 holds 'one'"),
    (csv(["1,2,0", "3,,1"]), "Row 3, column 2 is empty"),
    (csv(["1,2,0", "nan,4,1"]), "Row 3, column 1 is 'nan': every value must be a finite number"),
    (csv(["1,2,0", "3,inf,1"]), "Row 3, column 2 is 'inf'"),
    (csv(["1,2,1", "3,4,1", "5,6,1"]), "Every point is class 1: a classifier needs points of at least 2 classes"),
    (csv(["1,2,3.5", "3,4,3.5"]), "Every label is 3.5: there is nothing to learn"),
    (csv(["1,2,0"]), "There is 1 point; a network needs at least 2"),
    (csv([]), "a header line but no data rows"),
    (b"", "The file is empty"),
    (b"  \n\n", "The file is empty"),
    (bytes(range(256)) * 4, "not a text file (it holds binary data)"),
    (b"x1,x2,label\n1,2,\xff\n", "not UTF-8 text (byte 17"),
    (csv([f"{i},{i},{i % 2}" for i in range(ud.MAX_POINTS + 1)]), "has 1,201 rows; at most 1,200 points"),
    (b"1,2,0\n" * (ud.MAX_BYTES // 6 + 1), "at most 5 MB (5,242,880 bytes) are read"),
])
def test_an_unusable_file_gets_a_sentence_that_names_the_problem(raw, words):
    with pytest.raises(ValueError) as err:
        ud.load_csv(raw)
    assert words in str(err.value), str(err.value)
    assert "Traceback" not in str(err.value) and len(str(err.value)) < 300


def test_the_largest_file_allowed_is_read():
    data = ud.load_csv(csv([f"{i},{-i},{i % 2}" for i in range(ud.MAX_POINTS)]))
    assert len(data.x) == ud.MAX_POINTS


# ---- drawn points ------------------------------------------------------------------------------------------
def test_drawn_points_add_undo_clear():
    drawn = ud.DrawnPoints()
    drawn.add(0.1, 0.2, 1)
    drawn.add(5.0, -3.0, 0)                      # a click outside the plane lands on its edge
    assert drawn.points == [(0.1, 0.2, 1.0), (1.0, -1.0, 0.0)]
    drawn.undo()
    assert drawn.points == [(0.1, 0.2, 1.0)]
    drawn.clear()
    drawn.undo()                                 # nothing to take back: no error
    assert len(drawn) == 0
    with pytest.raises(ValueError, match="No points yet"):
        drawn.to_data()


def test_drawn_points_download_as_a_csv_file_that_reads_back_the_same():
    rng = np.random.default_rng(3)
    drawn = ud.DrawnPoints()
    for x1, x2 in rng.uniform(-1, 1, (25, 2)):
        drawn.add(x1, x2, int(x1 * x2 > 0))
    back = ud.load_csv(drawn.to_csv().encode())
    assert back == drawn.to_data()
    assert back.x.tolist() == [[p[0], p[1]] for p in drawn.points]        # every digit survives

    values = ud.DrawnPoints([(0.1, 0.2, 0.123456789012), (-0.3, 0.4, -2.0), (0.5, 0.5, 1.0)])
    assert ud.load_csv(values.to_csv().encode()) == values.to_data()
    assert values.to_data().kind == "values"


def test_own_data_trains_in_the_playground_with_a_test_split():
    drawn = ud.DrawnPoints([(x, y, float(x > 0)) for x in (-0.8, -0.4, 0.4, 0.8) for y in (-0.5, 0.5)])
    setup = pg.Setup(data=pg.OWN, own=drawn.to_data(), test_ratio=0.25)
    data, run = pg.start(setup)
    assert len(data.x_train) == 6 and len(data.x_test) == 2 and data.extent == ud.PLANE
    run.advance(5)
    assert run.step == 5


@pytest.mark.parametrize("points,words", [
    (None, "no points yet"),
    ([(0, 0, 0), (1, 1, 2)], "no point has class 1"),
])
def test_own_data_that_cannot_train_is_refused_with_a_sentence(points, words):
    own = ud.DrawnPoints(points).to_data() if points else None
    with pytest.raises(pg.SpecError) as err:
        pg.start(pg.Setup(data=pg.OWN, own=own))
    assert words in err.value.problems["own"]


@pytest.mark.parametrize("points,kind,outputs,activation", [
    ([(0, 0, 0), (1, 1, 1)], "classes", 1, "sigmoid"),
    ([(0, 0, 0), (1, 1, 1), (-1, 0, 2)], "classes", 3, "softmax"),
    ([(0, 0, 0.5), (1, 1, 2.5), (-1, 0, -1)], "values", 1, "linear"),
])
def test_own_points_choose_the_output_their_labels_need(points, kind, outputs, activation):
    own = ud.DrawnPoints(points).to_data(kind=kind)
    data, run = pg.start(pg.Setup(data=pg.OWN, own=own, test_ratio=0.0))
    out = run.net.layers[-1]
    assert (out.n_out, out.activation.name) == (outputs, activation)
    run.advance(3)
    assert np.isfinite(run.net.theta).all()


def test_a_new_point_is_new_data_and_so_a_new_run():
    drawn = ud.DrawnPoints([(0, 0, 0), (1, 1, 1)])
    before = pg.Setup(data=pg.OWN, own=drawn.to_data())
    drawn.add(0.5, 0.5, 1)
    assert pg.Setup(data=pg.OWN, own=drawn.to_data()) != before
    assert pg.Setup(data=pg.OWN, own=ud.DrawnPoints([(0, 0, 0), (1, 1, 1)]).to_data()) == before


# ---- function-boundary data sets ---------------------------------------------------------------------------
@pytest.mark.parametrize("curve,f", [("sin", lambda x: 0.5 * np.sin(3 * x)), ("cubic", lambda x: x ** 3),
                                     ("abs", lambda x: np.abs(x) - 0.5)])
def test_points_above_the_curve_are_class_1_and_below_class_0(curve, f):
    x, y = datasets.above_curve(curve, n=500, noise=0.0, seed=1)
    above = x[:, 1] > f(x[:, 0])
    assert (y[:, 0] == above).all()
    assert 0.2 < y.mean() < 0.8 and np.abs(x).max() <= 1


@pytest.mark.parametrize("radius", [0.3, 0.7, 1.0])
def test_points_inside_the_circle_of_radius_r_are_class_1(radius):
    x, y = datasets.disk(n=500, noise=0.0, seed=2, radius=radius)
    assert (y[:, 0] == (np.hypot(x[:, 0], x[:, 1]) < radius)).all()
    assert y.mean() == pytest.approx(np.pi * radius ** 2 / 4, abs=0.08)     # the disk's share of [-1, 1]²


def test_the_playground_offers_the_function_boundaries_and_passes_the_radius():
    for name in ("above_sin", "above_cubic", "above_abs", "disk"):
        assert name in pg.DATASETS and name in pg.DATA_LABELS
    small, big = (pg.make_data(pg.Setup(data="disk", noise=0.0, radius=r, test_ratio=0.0)) for r in (0.3, 1.0))
    assert small.y_train.mean() < 0.15 < 0.6 < big.y_train.mean()
    with pytest.raises(pg.SpecError, match="radius"):
        pg.Setup(data="disk", radius=5.0).validate()


# ---- docs/ROBUSTNESS.md shows what a student sees --------------------------------------------------------
DOC = Path(__file__).resolve().parent.parent / "docs" / "ROBUSTNESS.md"
OWN_CASES = {
    "csv-two-columns": lambda: ud.load_csv(csv(["1,2"], header="x1,x2")),
    "csv-row-short": lambda: ud.load_csv(csv(["1,2,0", "3,4"])),
    "csv-text-in-numbers": lambda: ud.load_csv(csv(["1,2,0", "3,abc,1"])),
    "csv-missing-value": lambda: ud.load_csv(csv(["1,2,0", "3,,1"])),
    "csv-nan": lambda: ud.load_csv(csv(["1,2,0", "nan,4,1"])),
    "csv-one-class": lambda: ud.load_csv(csv(["1,2,1", "3,4,1"])),
    "csv-too-many-rows": lambda: ud.load_csv(csv([f"{i},{i},{i % 2}" for i in range(ud.MAX_POINTS + 1)])),
    "csv-too-many-bytes": lambda: ud.load_csv(b"1,2,0\n" * (ud.MAX_BYTES // 6 + 1)),
    "csv-empty": lambda: ud.load_csv(b""),
    "csv-binary": lambda: ud.load_csv(bytes(range(256))),
    "csv-not-utf8": lambda: ud.load_csv("x1,x2,label\n1,2,0\nà,1,1\n".encode("latin-1")),
    "csv-a-class-with-no-point": lambda: pg.start(pg.Setup(data="own", own=ud.load_csv(b"0,0,0\n1,1,2\n"))),
    "formula-attribute": lambda: compile_formula("x1.__class__"),
    "formula-import": lambda: compile_formula("__import__('os')"),
    "formula-open": lambda: compile_formula("open('x')"),
    "formula-unknown-name": lambda: compile_formula("x1 + y"),
    "formula-power-tower": lambda: compile_formula("9**9**9"),
    "formula-too-long": lambda: compile_formula("x1+" * 33 + "x1"),
    "formula-not-finite-on-the-data": lambda: pg.start(pg.Setup(features=("x1", "log(x1)"))),
}


@pytest.mark.parametrize("case", list(OWN_CASES))
def test_robustness_md_shows_the_sentence_each_own_data_case_gives(case):
    with pytest.raises(ValueError) as err:
        OWN_CASES[case]()
    message = " ".join(err.value.problems.values()) if isinstance(err.value, pg.SpecError) else str(err.value)
    [row] = [line for line in DOC.read_text().splitlines() if line.startswith(f"| `{case}` |")]
    assert row.rstrip(" |").endswith(message.replace("|", "\\|")), (row, message)
