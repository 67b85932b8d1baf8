"""The layer list in Keras: nnplay's shapes and parameter counts equal Keras's, the CNN preset trains, and
what a CNN sees (filters, feature maps, one pixel's arithmetic) is Keras's own numbers."""
import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine import conv_specs as cs
from nncore.figures import mnist_plots as fig
from nncore.keras import bridge as kb
from nncore.keras import jobs as kj
from nncore.lessons import mnist_lab as lab

pytestmark = pytest.mark.keras

# Dense, conv, pool, batch norm, dropout mixed; strides and 'same' padding included.
LISTS = [
    "flatten",
    "flatten, dense(128), dropout(0.2)",
    "flatten, dense(256), dense(64)",
    "conv(16, 3), pool(2), conv(32, 3), pool(2), flatten",
    "conv(32, 3), pool(2), conv(64, 3), pool(2), flatten",
    "conv(8, 5, padding=same), bn, pool(2), flatten, dense(32)",
    "conv(4, 3, stride=2), conv(8, 3, stride=2, activation=tanh), flatten, bn, dense(16, activation=sigmoid)",
    "conv(6, 7), pool(4), flatten, dropout(0.5), dense(10, activation=linear)",
    "conv(12, 1), bn, conv(12, 3, padding=same), pool(3), flatten",
    "bn, conv(3, 3, stride=3, padding=same), flatten",
    "pool(2), conv(16, 5), bn, dropout(0.25), pool(2), conv(16, 3), flatten, dense(64), bn, dropout(0.5)",
    "conv(2, 7, stride=3), pool(1), bn, flatten, dense(1024)",
]


@pytest.mark.parametrize("text", LISTS)
def test_shapes_and_parameters_per_layer_equal_keras(text):
    spec = cs.layer_list_spec(text)
    model = kb.build_layer_model(spec)
    rows = spec.rows()
    assert len(model.layers) == len(rows)
    assert [r.parameters for r in rows] == [layer.count_params() for layer in model.layers]
    assert [r.output_shape for r in rows] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert spec.param_count() == model.count_params()
    assert sum(r["parameters"] for r in lab.layer_table(spec)) == model.count_params()


def test_the_cnn_preset_trains_and_reads_digits_better_than_chance():
    data = datasets.mnist("bundled-sample")
    p = lab.PRESETS["small-cnn"]
    train = lab.train_spec(epochs=1, val_split=0.1)
    job = lab.start_training(data, p.network(), train, 2000, room=kj.Room(1))
    assert job.join(timeout=300) and job.status == "finished", job.error
    assert lab.input_shape(job.model) == (28, 28, 1)
    score = lab.score(job.model, data.x_test[:500], data.y_test[:500])
    assert score.accuracy > 0.6 and score.confusion.sum() == 500
    row = lab.run_row(1, p.network(), train, job.metrics.epochs_since(0), 1800, job.status, score.accuracy)
    assert row["parameters"] == 12_810 and row["test accuracy"] == score.accuracy
    assert row["time per epoch (s)"] > 0 and row["network"].startswith("28×28×1-Conv16")


@pytest.fixture(scope="module")
def cnn():
    kb.keras().utils.set_random_seed(3)
    spec = cs.layer_list_spec("conv(4, 3, padding=same, activation=tanh), pool(2), conv(6, 3), flatten")
    model = kb.build_layer_model(spec)
    digit = datasets.mnist("bundled-sample").x_test[0].astype(np.float32) / 255
    return model, digit


def test_filters_are_the_first_convolutions_weights(cnn):
    model, _ = cnn
    filters = lab.conv_filters(model)
    kernel = model.layers[0].get_weights()[0]
    assert filters.shape == (4, 3, 3)
    np.testing.assert_array_equal(filters[2], kernel[:, :, 0, 2])
    image = fig.filter_grid(filters)
    assert image.ndim == 3 and image.shape[2] == 3


def test_feature_maps_are_keras_outputs_for_the_digit(cnn):
    model, digit = cnn
    maps = lab.feature_maps(model, digit)
    assert [m.shape for _, m in maps] == [(28, 28, 4), (14, 14, 4), (12, 12, 6)]
    assert [name for name, _ in maps] == ["Conv2D 1", "MaxPooling2D 1", "Conv2D 2"]
    x = digit.reshape(1, 28, 28, 1)
    np.testing.assert_allclose(maps[0][1], np.asarray(model.layers[0](x))[0], atol=1e-6)
    np.testing.assert_allclose(maps[1][1], np.asarray(model.layers[1](model.layers[0](x)))[0], atol=1e-6)
    assert fig.feature_map_grid(maps[0][1]).ndim == 3


@pytest.mark.parametrize("i,j", [(0, 0), (14, 9), (27, 27), (10, 15)])
def test_one_pixels_arithmetic_gives_the_feature_maps_value(cnn, i, j):
    model, digit = cnn
    first = lab.feature_maps(model, digit)[0][1]
    for f in range(4):
        step = lab.patch_arithmetic(model, digit, f, i, j)
        assert step.patch.shape == (3, 3) and step.activation == "tanh"
        assert step.a == pytest.approx(float(first[i, j, f]), abs=1e-5)
        assert "z = Σ patch × weights + b" in step.sentence()


def test_the_arithmetic_is_only_for_a_first_layer_that_convolves_the_pixels():
    model = kb.build_layer_model(cs.layer_list_spec("pool(2), conv(4, 3), flatten"))
    with pytest.raises(ValueError, match="first layer is not a convolution"):
        lab.patch_arithmetic(model, np.zeros((28, 28), np.float32), 0, 0, 0)
    assert [name for name, _ in lab.feature_maps(model, np.zeros((28, 28), np.float32))] == ["MaxPooling2D 1",
                                                                                             "Conv2D 1"]


def test_a_dense_model_has_no_filters_to_show():
    model = kb.build_model(lab.PRESETS["course-003"].network())
    with pytest.raises(ValueError, match="no convolutional layer"):
        lab.conv_filters(model)
    with pytest.raises(ValueError, match="no convolutional layer"):
        lab.feature_maps(model, np.zeros((28, 28), np.float32))
