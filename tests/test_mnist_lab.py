"""The MNIST page's helpers: the network it builds, the test score, shapes for uploaded models, figures."""
import numpy as np
import pytest

from nncore import keras_bridge as kb, keras_jobs as kj, mnist_lab as lab
from nncore.figures import mnist as fig
from nncore.specs import SpecError


def test_network_is_784_hidden_10_softmax():
    spec = lab.network_spec((128, 64))
    assert spec.sizes == [784, 128, 64, 10] and spec.output_activation == "softmax"
    assert spec.param_count() == 785 * 128 + 129 * 64 + 65 * 10


def test_bad_settings_are_explained():
    with pytest.raises(SpecError, match="neurons"):
        lab.network_spec((0,))
    with pytest.raises(SpecError, match="learning rate"):
        lab.train_spec(lr=50.0)


@pytest.mark.parametrize("text,sizes", [("128", (128,)), ("128, 64", (128, 64)), (" 32;16 ", (32, 16)), ("", ())])
def test_hidden_layers_are_read_from_text(text, sizes):
    assert lab.parse_hidden(text) == sizes


def test_hidden_layers_that_are_not_numbers_are_explained():
    with pytest.raises(ValueError, match="separated by commas"):
        lab.parse_hidden("128, many")


def test_confusion_matrix_counts_true_rows_and_guessed_columns():
    c = lab.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], classes=3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert c.trace() == 4 and c.sum() == 6


@pytest.mark.parametrize("shape", [(784,), (28, 28), (28, 28, 1)])
def test_inputs_take_the_shape_the_model_wants(shape):
    k = kb.keras()
    layers = [k.Input(shape)] + ([k.layers.Flatten()] if len(shape) > 1 else []) + [k.layers.Dense(10, activation="softmax")]
    model = k.Sequential(layers)
    lab.check_digit_model(model)
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    images[:, 5, 7] = 255
    x = lab.model_inputs(model, images)
    assert x.shape == (3, *shape) and x.dtype == np.float32 and x.max() == 1.0
    assert lab.guess(model, images[0] / 255.0).shape == (10,)


def test_models_that_do_not_read_digits_are_refused():
    k = kb.keras()
    with pytest.raises(ValueError, match="28×28"):
        lab.check_digit_model(k.Sequential([k.Input((100,)), k.layers.Dense(10)]))
    with pytest.raises(ValueError, match="10, one per digit"):
        lab.check_digit_model(k.Sequential([k.Input((784,)), k.layers.Dense(3)]))


def test_score_matches_a_hand_count():
    k = kb.keras()
    model = k.Sequential([k.Input((784,)), k.layers.Dense(10, activation="softmax")])
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, 50)
    s = lab.score(model, x, y)
    guessed = model.predict(x.reshape(50, -1).astype(np.float32) / 255, verbose=0).argmax(axis=1)
    assert s.accuracy == pytest.approx((guessed == y).mean())
    assert s.confusion.sum() == 50 and s.confusion.trace() == (guessed == y).sum()


def test_training_curves_place_batches_on_the_epoch_axis():
    batches = [kj.BatchMetrics(e, b, 2.0 - 0.1 * (4 * e + b), 0.1 * (4 * e + b)) for e in range(2) for b in range(4)]
    epochs = [kj.EpochMetrics(e, 1.0, 0.5, 1.1, 0.4, 0.1, 4) for e in range(2)]
    f = fig.training_curves(batches, epochs, 4, "loss")
    assert f["data"][0]["x"] == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert f["data"][1]["x"] == [1, 2] and f["data"][2]["y"] == [1.1, 1.1]
    assert fig.training_curves(batches, epochs, 4, "accuracy")["layout"]["yaxis"]["range"] == [0, 1]


def test_digit_grid_tiles_digits_dark_on_light():
    imgs = np.zeros((3, 28, 28), dtype=np.uint8)
    imgs[1, 10, 10] = 255
    grid = fig.digit_grid(imgs, cols=2, gap=2, scale=1)
    assert grid.shape == (2 * 30 + 2, 2 * 30 + 2) and grid.dtype == np.uint8
    assert grid[2 + 10, 32 + 10] == 0 and grid[2, 2] == 255
