"""Feature formulas typed by a student: the allowed grammar gives the right numbers, anything else is
refused with a sentence that points at the problem (and nothing is ever evaluated by Python)."""
import numpy as np
import pytest

from nncore.data import features as feats
from nncore.data.formula import MAX_LENGTH, compile_formula

POINTS = np.array([[0.5, -1.0], [2.0, 3.0], [-1.5, 0.25]])
X1, X2 = POINTS[:, 0], POINTS[:, 1]


@pytest.mark.parametrize("text,expected", [
    ("x1*x2", X1 * X2),
    ("sin(3*x1)", np.sin(3 * X1)),
    ("x1**2 + x2**2", X1 ** 2 + X2 ** 2),
    ("-x1 + 2.5", -X1 + 2.5),
    ("(x1 - x2) / 4", (X1 - X2) / 4),
    ("tanh(x2) * exp(-x1**2)", np.tanh(X2) * np.exp(-X1 ** 2)),
    ("abs(x1) + sqrt(x2**2)", np.abs(X1) + np.abs(X2)),
    ("cos(pi * x1) + e", np.cos(np.pi * X1) + np.e),
    ("sigmoid(x1)", 1 / (1 + np.exp(-X1))),
    ("relu(x2 - 1)", np.maximum(X2 - 1, 0)),
    ("x1 ** -1", 1 / X1),
    ("3", np.full(3, 3.0)),
])
def test_allowed_formulas_give_the_numbers_of_the_maths(text, expected):
    assert compile_formula(text)(POINTS) == pytest.approx(expected)


@pytest.mark.parametrize("text,words", [
    ("x1.__class__", "An attribute (a.b) at column 1"),
    ("(1).real", "An attribute"),
    ("__import__('os')", "Calling '__import__' at column 1 is not allowed"),
    ("__builtins__", "Unknown name '__builtins__'"),
    ("x1 + __class__", "Unknown name '__class__' at column 6"),
    ("open('x')", "Calling 'open'"),
    ("eval('1')", "Calling 'eval'"),
    ("np.sin(x1)", "Calling 'np.sin' at column 1 is not allowed"),
    ("(lambda: 1)()", "Calling 'lambda: 1'"),
    ("lambda: 1", "A lambda"),
    ("x1[0]", "Indexing (a[i])"),
    ("x1 < x2", "A comparison"),
    ("x1 if x2 else 0", "If/else"),
    ("x1 ^ 2", "for a power write **"),
    ("x1 % 2", "The % operator"),
    ("'text'", "The value 'text'"),
    ("True * x1", "The value True"),
    ("sin(x=x1)", "takes exactly one argument"),
    ("sin(x1, x2)", "takes exactly one argument"),
    ("y + 1", "Unknown name 'y' at column 1: use x1, x2"),
    ("x1 + x3", "Unknown name 'x3' at column 6"),
    ("sin", "a function needs brackets"),
    ("9**9**9", "A power of a power"),
    ("x1 ** 99", "The exponent 99 at column 7 is too large"),
    ("2 ** (2 ** 4)", "A power of a power"),
    ("1e999 * x1", "The number inf"),
    ("x1 +", "cannot be read"),
    ("", "is empty"),
    ("x1 + " * 30 + "x1", f"at most {MAX_LENGTH} are allowed"),
    ("-" * 40 + "x1", "nests more than"),
])
def test_anything_outside_the_grammar_is_refused_with_a_sentence(text, words):
    with pytest.raises(ValueError) as err:
        compile_formula(text)
    assert words in str(err.value), str(err.value)


def test_nothing_is_run_while_a_formula_is_checked_or_evaluated(monkeypatch):
    """ast.parse may compile to a syntax tree (PyCF_ONLY_AST); nothing may compile to code or eval."""
    import ast
    import builtins

    real_compile, calls = builtins.compile, []

    def only_a_tree(source, filename, mode, flags=0, *args, **kwargs):
        calls.append(flags)
        assert flags & ast.PyCF_ONLY_AST, "a formula must never be compiled to code"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never be called")

    compile_formula.cache_clear()
    monkeypatch.setattr(builtins, "compile", only_a_tree)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert compile_formula("x1 * sin(x2)")(POINTS) == pytest.approx(X1 * np.sin(X2))
    assert calls, "the formula was parsed by ast.parse"


def test_a_formula_that_is_not_finite_on_the_data_is_an_error_and_on_the_plane_a_number():
    f = compile_formula("log(x1)")
    with pytest.raises(ValueError, match=r"'log\(x1\)' is not a finite number at the data point .*-1\.5"):
        f.check_finite(POINTS)
    assert np.isfinite(f(POINTS)).all() and f(POINTS)[2] == 0.0       # NaN drawn as 0 on the plane
    assert compile_formula("1 / x1")([[0.0, 0.0]])[0] == 1e6           # +inf drawn as 10⁶


def test_formulas_sit_next_to_the_built_in_features_in_one_spelling():
    names = feats.check(["sin(3*x1)", "x1x2", "x1", "sin( 3 * x1 )", "x2 ** 2"])
    assert names == ("x1", "x1x2", "sin(3*x1)", "x2**2")
    got = feats.expand(POINTS, names)
    assert got.shape == (3, 4)
    assert got[:, 2] == pytest.approx(np.sin(3 * X1)) and got[:, 3] == pytest.approx(X2 ** 2)
    assert [feats.label(n) for n in names] == ["x₁", "x₁·x₂", "sin(3·x₁)", "x₂^2"]


def test_an_unusable_formula_in_a_feature_list_says_which_and_why():
    with pytest.raises(ValueError, match=r"Unknown input feature 'x1 \+ y'.*Unknown name 'y' at column 6"):
        feats.check(["x1", "x1 + y"])
