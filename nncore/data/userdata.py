"""A student's own data: points read from a CSV file, or drawn on the plane with the mouse.

Either way the result is an ``OwnData``: points x (n, 2) in the plane [-1, 1]² and labels y (n, 1),
which are *classes* (whole numbers 0 … 4) or *values* (any numbers, for regression), and a sentence
saying what was read. The playground then trains on it like on any other data set.

A CSV file has three columns, x₁, x₂ and the label, with or without a header line. Every way it can
be unusable (not text, empty, too big, a wrong number of columns, text or a gap where a number should
be, a single class) is a ``ValueError`` whose sentence names the row and column. Features are moved
into the plane by one shift and one scale for both axes (so a circle stays a circle); points already
inside [-1, 1]² are kept as they are.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from typing import List, Tuple

import numpy as np

MAX_BYTES = 5 * 1024 * 1024           # the upload limit of .streamlit/config.toml (maxUploadSize = 5 MB)
MAX_CLASS = 4                         # classes are 0 … 4
# Every value of a file, features and labels, lies within ±MAX_ABS. Features are moved into [-1, 1]² by
# x' = (x − c) / h, which overflows for values near 1.8e308 (h = inf) and makes NaN; labels (values) are
# learned as they are, and a cost J = 1/n Σ (ŷ − y)² of labels near 1e200 is infinite in float64, let alone
# in float32 (Keras's "same run": 3.4e38 at most, 7 significant digits). Within ±1e6 the cost stays below
# 1e12 in both, and the scaled points keep a resolution of 1e-6 of the plane.
MAX_ABS = 1e6
BIG_LABEL = 100.0                     # value labels beyond this are learned, with a word on their scale
MAX_POINTS = 1_200                    # as the generated sets (playground_lab.MAX_POINTS): one limit for a data set
PLANE = (-1.2, 1.2, -1.2, 1.2)        # where own data is drawn and its boundary computed (x₁ and x₂ from, to)
KINDS = ("classes", "values")


@dataclass(frozen=True, eq=False)
class OwnData:
    """Points x (n, 2) in [-1, 1]², labels y (n, 1), ``kind`` 'classes' or 'values', and what was read.

    Two OwnData are equal when their points, labels and kind are: the playground starts a new run
    exactly when the data changed.
    """

    x: np.ndarray
    y: np.ndarray
    kind: str
    description: str = ""
    digest: str = field(init=False)

    def __post_init__(self):
        h = hashlib.sha1(self.kind.encode())
        for a in (self.x, self.y):
            h.update(np.ascontiguousarray(a, dtype=float).tobytes())
        object.__setattr__(self, "digest", h.hexdigest())

    def __eq__(self, other):
        return isinstance(other, OwnData) and other.digest == self.digest

    def __hash__(self):
        return hash(self.digest)

    def __repr__(self):
        return f"OwnData({len(self.x)} points, {self.kind})"

    @property
    def classes(self) -> Tuple[int, ...]:
        """The classes that occur (empty for values)."""
        return tuple(int(c) for c in np.unique(self.y)) if self.kind == "classes" else ()


# ---- reading a CSV file ----------------------------------------------------------------------------
def _number(text: str, row: int, col: int) -> float:
    """The number in one cell, or ValueError naming the row and column."""
    cell = text.strip()
    if not cell:
        raise ValueError(f"Row {row}, column {col} is empty: every row needs x1, x2 and a label.")
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"Row {row}, column {col} holds {_cut(cell)!r}, which is not a number.") from None
    if not math.isfinite(value):
        raise ValueError(f"Row {row}, column {col} is {_cut(cell)!r}: every value must be a finite number "
                         "(no NaN, no infinity).")
    if abs(value) > MAX_ABS:
        raise ValueError(_too_large(f"Row {row}", col, value))
    return value


def _cut(cell: str) -> str:
    return cell if len(cell) <= 20 else cell[:20] + "…"


def _too_large(where: str, col: int, value: float) -> str:
    """The sentence for a value beyond ±MAX_ABS, naming the label scale when it is a label."""
    what = "the label" if col == 3 else f"x{col}"
    advice = ("divide every label by the same power of ten (the network learns the labels as they are)"
              if col == 3 else "divide the column by the same power of ten (the points are scaled into the "
                               "plane anyway)")
    return (f"{where}: {what} is {value:.3g}, beyond what training can hold: nnplay reads values between "
            f"−{MAX_ABS:,.0f} and {MAX_ABS:,.0f}; {advice}.")


def _text(raw: bytes) -> str:
    """The file as text, or ValueError if it is empty, too large, or not a UTF-8 text file."""
    if len(raw) > MAX_BYTES:
        raise ValueError(f"The file has {len(raw):,} bytes; at most {MAX_BYTES // (1024 * 1024)} MB "
                         f"({MAX_BYTES:,} bytes) are read.")
    if not raw.strip():
        raise ValueError("The file is empty: it needs rows of x1, x2, label.")
    if b"\x00" in raw:
        raise ValueError("The file is not a text file (it holds binary data): save your table as CSV.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"The file is not UTF-8 text (byte {err.start + 1} cannot be read): save it as a "
                         "CSV file in UTF-8.") from None


_CSV_ERRORS = {"field larger than field limit": f"a cell is longer than {csv.field_size_limit():,} characters",
               "new-line character seen in unquoted field": "a line ends inside a cell",
               "unexpected end of data": "a quoted cell is never closed"}


def _rows(text: str) -> List[List[str]]:
    """The non-blank rows, split at commas (or semicolons or tabs, if the first line uses those); every
    error of the csv reader becomes ValueError naming the line."""
    lines = text.strip().splitlines()
    if not lines:
        raise ValueError("The file is empty: it needs rows of x1, x2, label.")
    first = lines[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as err:
        reason = next((v for k, v in _CSV_ERRORS.items() if k in str(err)), "it is not a row of a CSV table")
        raise ValueError(f"Line {reader.line_num} of the file cannot be read: {reason}. Each line holds x1, x2 "
                         "and a label, separated by commas.") from None
    if not rows:
        raise ValueError("The file has no rows of numbers: it needs rows of x1, x2, label.")
    return rows


def _is_header(row: List[str]) -> bool:
    """A first row with no number in it is a header (names of the columns)."""
    def number(cell):
        try:
            float(cell)
            return True
        except ValueError:
            return False
    return not any(number(c.strip()) for c in row)


def read_table(raw: bytes) -> Tuple[np.ndarray, np.ndarray, bool]:
    """The features (n, 2) and labels (n,) of a CSV file, and whether it had a header line."""
    rows = _rows(_text(raw))
    header = _is_header(rows[0])
    body = rows[1:] if header else rows
    first_row = 2 if header else 1
    if len(rows[0]) != 3:
        raise ValueError(f"The file has {len(rows[0])} column{'s' * (len(rows[0]) != 1)}; it needs 3: x1, x2 "
                         "and the label (a class 0 … 4, or a value).")
    if not body:
        raise ValueError("The file has a header line but no data rows.")
    if len(body) > MAX_POINTS:
        raise ValueError(f"The file has {len(body):,} rows; at most {MAX_POINTS:,} points are allowed.")
    table = np.empty((len(body), 3))
    for i, row in enumerate(body):
        if len(row) != 3:
            raise ValueError(f"Row {first_row + i} has {len(row)} columns; every row needs 3: x1, x2, label.")
        table[i] = [_number(cell, first_row + i, j + 1) for j, cell in enumerate(row)]
    return table[:, :2], table[:, 2], header


def kind_of(y: np.ndarray) -> str:
    """'classes' if every label is a whole number 0 … 4, else 'values'."""
    whole = np.all(y == np.round(y)) and y.min() >= 0 and y.max() <= MAX_CLASS
    return "classes" if whole else "values"


def to_plane(x: np.ndarray) -> Tuple[np.ndarray, str]:
    """Points moved into [-1, 1]²: x' = (x − c) / h, c the centre of the points' box and h half its longer
    side (one scale for both axes keeps shapes). Points already inside [-1, 1]² are kept."""
    if np.all(np.abs(x) <= 1):
        return x, "The points lie in [-1, 1]² and are used as they are."
    lo, hi = x.min(axis=0), x.max(axis=0)
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2 or 1.0
    return ((x - centre) / half,
            f"Moved into [-1, 1]²: x' = (x − ({centre[0]:.3g}, {centre[1]:.3g})) / {half:.3g}, the same scale "
            "for x₁ and x₂.")


def check_scale(x: np.ndarray, y: np.ndarray) -> None:
    """ValueError naming the first point whose x₁, x₂ or label is not finite or beyond ±MAX_ABS."""
    table = np.column_stack([x, y[:, None]])
    bad = ~np.isfinite(table) | (np.abs(np.nan_to_num(table, nan=0.0)) > MAX_ABS)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        value = float(table[i, j])
        if not math.isfinite(value):
            raise ValueError(f"Point {i + 1}: {'the label' if j == 2 else f'x{j + 1}'} is {value}: every value must "
                             "be a finite number (no NaN, no infinity).")
        raise ValueError(_too_large(f"Point {i + 1}", j + 1, value))


def make(x, y, kind: str = "auto", what: str = "") -> OwnData:
    """OwnData from points (n, 2) and labels (n,): checked (finite, within ±MAX_ABS), moved into the plane,
    described."""
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    y = np.asarray(y, dtype=float).reshape(-1)
    check_scale(x, y)
    if len(x) >= 2 and not np.ptp(x, axis=0).any():
        raise ValueError(f"Every point is at ({x[0, 0]:.3g}, {x[0, 1]:.3g}): the network needs points at different "
                         "places to learn where each label belongs.")
    if len(x) < 2:
        raise ValueError(f"There {'is' if len(x) == 1 else 'are'} {len(x)} point{'s' * (len(x) != 1)}; "
                         "a network needs at least 2 to learn from.")
    kind = kind_of(y) if kind == "auto" else kind
    if kind not in KINDS:
        raise ValueError(f"The kind of labels must be one of {', '.join(KINDS)} (got {kind!r}).")
    if kind == "classes":
        if kind_of(y) != "classes":
            raise ValueError(f"Classes must be whole numbers from 0 to {MAX_CLASS}.")
        if len(np.unique(y)) < 2:
            raise ValueError(f"Every point is class {y[0]:g}: a classifier needs points of at least 2 classes.")
        counts = ", ".join(f"{int(c)}: {int(np.sum(y == c))}" for c in np.unique(y))
        labels = f"classes ({counts})"
    else:
        if np.ptp(y) == 0:
            raise ValueError(f"Every label is {y[0]:g}: there is nothing to learn.")
        labels = f"values from {y.min():.3g} to {y.max():.3g} (regression)"
        if np.abs(y).max() > BIG_LABEL:
            labels += (f"; labels this large make the cost J large too (one point's squared error can reach "
                       f"{np.ptp(y) ** 2:.3g}), so a run may diverge: if it does, divide the labels by a power of "
                       "ten or lower α")
    x, moved = to_plane(x)
    return OwnData(x, y[:, None], kind, f"{what}{len(x):,} points; labels: {labels}. {moved}")


def load_csv(raw: bytes, kind: str = "auto") -> OwnData:
    """OwnData from the bytes of a CSV file (x1, x2, label per row; a header line is optional).

    Labels that are all whole numbers 0 … 4 are classes, anything else values, unless ``kind`` says.
    """
    x, y, header = read_table(raw)
    what = f"Read 3 columns{' (and a header line)' if header else ''}: "
    return make(x, y, kind, what)


# ---- points drawn with the mouse ----------------------------------------------------------------------
@dataclass
class DrawnPoints:
    """Points a student clicks on the plane, each (x₁, x₂, label); the last one can be taken back."""

    points: List[Tuple[float, float, float]] = field(default_factory=list)

    def __repr__(self):
        return f"DrawnPoints({len(self.points)})"

    def __len__(self):
        return len(self.points)

    def add(self, x1: float, x2: float, label: float) -> None:
        """One more point, moved onto [-1, 1]² if it is outside; ValueError beyond ``MAX_POINTS``."""
        if len(self.points) >= MAX_POINTS:
            raise ValueError(f"At most {MAX_POINTS:,} points can be drawn.")
        self.points.append((float(np.clip(x1, -1, 1)), float(np.clip(x2, -1, 1)), float(label)))

    def undo(self) -> None:
        if self.points:
            self.points.pop()

    def clear(self) -> None:
        self.points.clear()

    def to_csv(self) -> str:
        """The points as CSV with a header line x1,x2,label (what ``load_csv`` reads back)."""
        def number(v):
            return f"{v:g}" if v == round(v) else repr(v)
        lines = ["x1,x2,label"] + [f"{x1!r},{x2!r},{number(label)}" for x1, x2, label in self.points]
        return "\n".join(lines) + "\n"

    def to_data(self, kind: str = "auto") -> OwnData:
        """The drawn points as OwnData (ValueError while they cannot train: too few, one class)."""
        if not self.points:
            raise ValueError("No points yet: click on the plane to add some.")
        table = np.array(self.points, dtype=float)
        return make(table[:, :2], table[:, 2], kind, "Drawn: ")
