"""AppTest of the playground's own data and own features: a typed formula becomes an input feature (and a
link carries it), clicks on the plane add points, an uploaded CSV file trains, a bad file or formula gets
a sentence.

The clickable plane is a Streamlit component that AppTest cannot click: a click is what its JavaScript
stores in the component's state (``{"click": {"x1", "x2", "id"}}``), so the tests set that state.
"""
import pytest

from tests.test_playground_page import _app, _play_to_end  # the playground page under AppTest
from views.ui.messages import plain


def _click(at, x1, x2, n):
    at.session_state["playground.own_plane"] = {"click": {"x1": x1, "x2": x2, "id": f"click-{n}"}}
    return at.run()


def test_a_typed_formula_becomes_an_input_feature_and_goes_into_the_link():
    at = _app()
    at.text_input(key="playground.own_formula").input("x1**2 + x2**2").run()
    at.button(key="own_formula_add").click().run()
    assert not at.exception and not at.warning
    assert at.session_state["playground.features"] == ["x1", "x2", "x1**2+x2**2"]
    assert at.session_state["pg_setup"].features == ("x1", "x2", "x1**2+x2**2")
    assert at.session_state["pg_run"].f_train.shape[1] == 3
    assert at.query_params["features"] == "x1,x2,x1**2+x2**2"
    assert "x₁^2+x₂^2" in at.multiselect(key="playground.features").options


def test_a_link_with_a_formula_feature_opens_with_it():
    at = _app({"features": "x1,sin(3*x1)"})
    assert not at.exception and not at.warning
    assert at.session_state["pg_setup"].features == ("x1", "sin(3*x1)")


def test_a_tampered_formula_in_a_link_gets_a_sentence_and_the_default():
    at = _app({"features": "x1,__import__('os').system('ls')"})
    assert not at.exception
    [warning] = [m.value for m in at.warning]
    assert "The link sets features to" in warning and "Calling \"__import__('os').system\"" in plain(warning)
    assert "\\_\\_import\\_\\_" in warning                   # shown as text, not as bold "import"
    assert "Using the default instead" in warning
    assert at.session_state["pg_setup"].features == ("x1", "x2")


def test_a_bad_typed_formula_is_explained_and_the_features_stay():
    at = _app()
    at.text_input(key="playground.own_formula").input("open('x')").run()
    at.button(key="own_formula_add").click().run()
    assert not at.exception
    assert any("Calling 'open'" in m.value and "the features you had" in m.value for m in at.warning)
    assert at.session_state["playground.features"] == ["x1", "x2"]


def test_clicks_on_the_plane_add_points_of_the_chosen_class_and_undo_takes_one_back():
    at = _app({"data": "own", "test_ratio": "0.0"})
    assert not at.exception and any("No points yet" in m.value for m in at.info)
    _click(at, 0.5, 0.5, 1)
    at.radio(key="playground.own_class").set_value(0).run()
    _click(at, -0.5, -0.5, 2)
    _click(at, -0.5, -0.5, 2)                     # the same click seen twice is one point
    _click(at, 0.5, -0.5, 3)
    assert not at.exception
    assert at.session_state["playground.own_points"].points == [(0.5, 0.5, 1.0), (-0.5, -0.5, 0.0), (0.5, -0.5, 0.0)]
    assert len(at.session_state["pg_data"].x_train) == 3
    at.button(key="own_undo").click().run()
    assert len(at.session_state["playground.own_points"]) == 2 and len(at.session_state["pg_data"].x_train) == 2
    run = _play_to_end(at)
    assert run.status == "finished" and run.accuracy == 1.0


def test_an_uploaded_csv_file_trains_and_the_page_says_what_it_read():
    rows = "".join(f"{x},{y},{int(x * y > 0)}\n" for x in range(-5, 6) for y in range(-5, 6) if x and y)
    at = _app({"data": "own", "features": "x1,x2,x1x2", "epochs": "50"})
    at.file_uploader(key="playground.own_upload").set_value(("grid.csv", ("x1,x2,label\n" + rows).encode(),
                                                              "text/csv")).run()
    assert not at.exception and not at.error
    assert any("grid.csv: Read 3 columns (and a header line): 100 points; labels: classes (0: 50, 1: 50)" in m.value
               for m in at.success)
    data = at.session_state["pg_data"]
    assert len(data.x_train) + len(data.x_test) == 100 and len(data.x_test) == 50     # the test share 0.5
    assert at.session_state["playground.own_points"].to_data().x.max() == 1.0         # moved into the plane
    run = _play_to_end(at)
    assert run.status == "finished" and run.epoch == 50


@pytest.mark.parametrize("raw,words", [
    (b"x1,x2\n1,2\n", "The file has 2 columns"),
    (b"1,2,0\n3,x,1\n", "Row 2, column 2 holds 'x'"),
    (bytes(range(256)), "not a text file"),
])
def test_a_bad_csv_file_gets_a_sentence_and_the_points_stay(raw, words):
    at = _app({"data": "own"})
    _click(at, 0.5, 0.5, 1)
    at.file_uploader(key="playground.own_upload").set_value(("bad.csv", raw, "text/csv")).run()
    assert not at.exception
    assert any(words in m.value for m in at.error), [m.value for m in at.error]
    assert len(at.session_state["playground.own_points"]) == 1


@pytest.mark.parametrize("rows,kind,outputs,activation,loss", [
    ("".join(f"{x},{y},{x + 2 * y}\n" for x in range(-3, 4) for y in range(-3, 4)), "values", 1, "linear", "mse"),
    ("".join(f"{x},{y},{(x > 0) + (y > 0)}\n" for x in range(-3, 4) for y in range(-3, 4) if x and y),
     "classes", 3, "softmax", "categorical_crossentropy"),
])
def test_uploaded_values_or_three_classes_train_with_the_output_they_need(rows, kind, outputs, activation, loss):
    at = _app({"data": "own"})
    at.file_uploader(key="playground.own_upload").set_value(("mine.csv", rows.encode(), "text/csv")).run()
    # The file makes another kind of task: the controls start from that kind's default network.
    assert not at.exception and not at.error, [m.value for m in at.error]
    assert at.radio(key="playground.own_kind").value == kind
    assert at.session_state["playground.loss"] == loss
    run = _play_to_end(at)
    out = run.net.layers[-1]
    assert (out.n_out, out.activation.name) == (outputs, activation)
    assert run.status == "finished"


def test_the_disk_has_a_radius_slider_that_changes_the_data():
    at = _app({"data": "disk", "radius": "0.3"})
    assert not at.exception and not at.warning
    small = at.session_state["pg_data"].y_train.mean()
    at.slider(key="playground.radius").set_value(1.0).run()
    assert at.session_state["pg_data"].y_train.mean() > small
    assert at.query_params["radius"] == "1.0"
