"""The MNIST page's helpers: the network it builds, the course's presets, the explorer, training with a
validation set, the live curves, the design flow, what a trained model shows, the figures."""
import numpy as np
import pytest

from nncore.data import datasets
from nncore.engine.specs import SpecError
from nncore.figures import mnist_plots as fig
from nncore.keras import bridge as kb
from nncore.keras import jobs as kj
from nncore.lessons import mnist_lab as lab


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
    flatten = [k.layers.Flatten()] if len(shape) > 1 else []
    layers = [k.Input(shape)] + flatten + [k.layers.Dense(10, activation="softmax")]
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


def buffer_of(batches, steps):
    buf = kj.MetricsBuffer()
    buf.steps_per_epoch = steps
    for b in batches:
        buf.add_batch(b)
    return buf


def running_means(values):
    return np.cumsum(values) / np.arange(1, len(values) + 1)


def test_live_curves_recover_each_batch_from_keras_running_means():
    # Keras logs the mean of the epoch so far; batch b alone is (b + 1) m_b − b m_{b−1}
    loss = [[2.0, 1.0, 1.5, 0.5], [0.9, 0.7, 0.8, 0.4]]
    acc = [[0.25, 0.5, 0.75, 1.0], [0.5, 0.5, 1.0, 0.75]]
    batches = [kj.BatchMetrics(e, b, running_means(loss[e])[b], running_means(acc[e])[b])
               for e in range(2) for b in range(4)]
    curves = lab.LiveCurves(buffer_of(batches[:5], 4), smoothing=0.5)
    assert curves.pull() == 5
    curves.metrics.add_batch(batches[5])
    curves.metrics.add_batch(batches[6])
    curves.metrics.add_batch(batches[7])
    assert curves.pull() == 3 and curves.pull() == 0 and len(curves) == 8
    assert curves.x == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert np.allclose(curves.raw["loss"], loss[0] + loss[1]) and np.allclose(curves.raw["accuracy"], acc[0] + acc[1])
    # the debiased moving average starts at the first value and follows with weight 1 − β
    assert curves.smooth["loss"][0] == pytest.approx(2.0)
    assert curves.smooth["loss"][1] == pytest.approx((0.5 * 0.5 * 2.0 + 0.5 * 1.0) / (1 - 0.5 ** 2))


def test_training_curves_show_batches_smoothed_and_validation_per_epoch():
    batches = [kj.BatchMetrics(e, b, 2.0 - 0.1 * (4 * e + b), 0.1 * (4 * e + b)) for e in range(2) for b in range(4)]
    epochs = [kj.EpochMetrics(e, 1.0, 0.5, 1.1, 0.4, 0.1, 4) for e in range(2)]
    curves = lab.LiveCurves(buffer_of(batches, 4))
    curves.pull()
    f = fig.training_curves(curves, epochs, "loss")
    names = [t["name"] for t in f["data"]]
    assert names == ["each batch", "training (smoothed)", "training (epoch mean)", "validation (end of epoch)"]
    assert f["data"][0]["x"] == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert f["data"][2]["x"] == [1, 2] and f["data"][3]["y"] == [1.1, 1.1]
    assert fig.training_curves(curves, epochs, "accuracy")["layout"]["yaxis"]["range"] == [0, 1]


def epochs_of(train_losses, val_losses, val_acc=None):
    val_acc = val_acc or [0.9] * len(train_losses)
    return [kj.EpochMetrics(e, t, 0.9, v, a, 1.5, 10)
            for e, (t, v, a) in enumerate(zip(train_losses, val_losses, val_acc))]


def test_loss_gap_chart_shades_between_train_and_validation_and_marks_the_best_epoch():
    f = fig.loss_gap(epochs_of([0.5, 0.3, 0.2, 0.1], [0.4, 0.3, 0.35, 0.45]))
    assert [t["name"] for t in f["data"]] == ["training loss", "validation loss"]
    assert f["data"][1]["fill"] == "tonexty"
    assert f["layout"]["shapes"][0]["x0"] == 2                       # lowest validation loss after epoch 2
    assert any(a["text"] == "gap +0.350" for a in f["layout"]["annotations"])
    assert lab.loss_gap(epochs_of([0.5, 0.3], [0.4, 0.5])) == pytest.approx([-0.1, 0.2])


def test_design_advice_follows_course_001():
    growing_gap = lab.design_advice(epochs_of([0.5, 0.3, 0.2, 0.1], [0.4, 0.3, 0.35, 0.45]))
    assert growing_gap[0] == "warning" and "epoch 2" in growing_gap[1] and "gap grows" in growing_gap[1]
    still_learning = lab.design_advice(epochs_of([0.5, 0.3, 0.2], [0.45, 0.3, 0.25]))
    assert still_learning[0] == "info" and "capacity" in still_learning[1]
    levelled = lab.design_advice(epochs_of([0.20, 0.199, 0.198], [0.21, 0.208, 0.207]))
    assert levelled[0] == "success" and "grow" in levelled[1]
    assert lab.design_advice([]) is None
    assert "validation share" in lab.design_advice([kj.EpochMetrics(0, 1.0, 0.5, None, None, 1.0, 3)])[1]


def test_a_compare_row_says_what_was_trained_and_how_it_did():
    p = lab.PRESETS["course-002"]
    row = lab.run_row(3, p.network(), p.training(), epochs_of([0.5, 0.3], [0.4, 0.35], [0.91, 0.93]), 7200,
                      "finished")
    assert row["network"] == "784-128-Dropout(0.2)-10" and row["parameters"] == 101_770
    assert row["best val accuracy"] == 0.93 and row["best epoch"] == 2 and row["epochs"] == "2/5"
    assert row["time (s)"] == 3.0 and row["final gap (val − train loss)"] == pytest.approx(0.05)
    stopped = lab.run_row(4, p.network(), p.training(), epochs_of([0.5], [0.4]), 7200, "stopped")
    assert stopped["epochs"] == "1/5 (stopped)"


def test_history_csv_has_one_row_per_epoch():
    text = lab.history_csv(epochs_of([0.5, 0.3, 0.2], [0.4, 0.3, 0.35]))
    lines = text.strip().splitlines()
    assert lines[0] == "epoch,loss,accuracy,val_loss,val_accuracy,seconds,batches"
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3"]
    assert lab.history_csv([kj.EpochMetrics(0, 1.0, 0.5, None, None, 2.0, 3)]).splitlines()[1] == "1,1.0,0.5,,,2.0,3"


# ---- the course's presets ------------------------------------------------------------------------
# Parameters of a Dense stack: Σ n_in·n_out + n_out, e.g. python -c "print(784*32+32 + 32*10+10)" → 25,450.
@pytest.mark.parametrize("slug,sizes,params", [("course-002", [784, 128, 10], 101_770),
                                               ("course-001", [784, 256, 64, 10], 218_058),
                                               ("course-003", [784, 32, 10], 25_450)])
def test_presets_are_the_course_networks(slug, sizes, params):
    p = lab.PRESETS[slug]
    net, train = p.network(), p.training()
    assert net.sizes == sizes and net.param_count() == params and net.activation == "relu"
    assert train.optimizer == "adam" and train.lr == 0.001 and train.batch_size == 32 and train.val_split > 0
    assert sum(r["parameters"] for r in lab.layer_table(net)) == params
    # Keras counts the same, layer by layer (the table's first row is the flattening before the model)
    model = kb.build_model(net)
    assert model.count_params() == params
    assert [r["parameters"] for r in lab.layer_table(net)[1:]] == [layer.count_params() for layer in model.layers]
    assert lab.preset_changes(p, p.values()) == []


def test_course_002_preset_is_the_course_model():
    p = lab.PRESETS["course-002"]
    assert (p.hidden, p.dropout, p.optimizer, p.epochs) == ((128,), 0.2, "adam", 5)
    assert lab.architecture(p.network()) == "784-128-Dropout(0.2)-10"
    assert [r["layer"] for r in lab.layer_table(p.network())] == [
        "Flatten (input)", "Dense 1 · relu", "Dropout(0.2)", "Dense 2 · softmax (output)"]
    assert lab.preset_changes(p, {**p.values(), "hidden": "128, 64", "epochs": 3}) == ["hidden", "epochs"]
    assert lab.preset_changes(p, {**p.values(), "hidden": " 128 "}) == []


def test_course_001_layer_table_counts_as_the_course_does():
    rows = lab.layer_table(lab.PRESETS["course-001"].network())
    assert [r["parameters"] for r in rows] == [0, 200_704 + 256, 16_384 + 64, 640 + 10]
    assert rows[1]["how"] == "784 × 256 weights + 256 biases"


# ---- exploring the digits ------------------------------------------------------------------------
def test_explorer_picks_ten_of_each_digit_counts_and_averages():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(10), 12)
    rng.shuffle(y)
    x = (y[:, None, None] * np.ones((1, 28, 28))).astype(np.uint8)       # image of digit k is all k
    grid = lab.samples_per_class(x, y, per_class=10)
    assert grid.shape == (100, 28, 28) and grid[:, 0, 0].tolist() == sorted(grid[:, 0, 0].tolist())
    assert grid[::10, 0, 0].tolist() == list(range(10))
    assert lab.class_counts(y).tolist() == [12] * 10
    means = lab.mean_images(x, y)
    assert means.shape == (10, 28, 28) and means[7].max() == 7.0
    with pytest.raises(ValueError):
        lab.samples_per_class(x, y, per_class=13)


def test_pixel_values_write_every_number_in_its_cell():
    img = np.zeros((28, 28), dtype=np.uint8)
    img[3, 5] = 255
    f = fig.pixel_values(img)
    z = f["data"][0]["z"]
    assert len(z) == 28 and len(z[0]) == 28 and z[3][5] == 255 and f["data"][0]["texttemplate"] == "%{text}"
    assert f["layout"]["yaxis"]["autorange"] == "reversed"          # row 0 at the top, as the image


# ---- after training ------------------------------------------------------------------------------
def test_per_class_accuracy_is_the_diagonal_over_the_row():
    c = lab.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], classes=3)
    assert lab.per_class_accuracy(c).tolist() == [0.5, 1.0, pytest.approx(2 / 3)]
    f = fig.per_class_accuracy(lab.per_class_accuracy(c))
    assert f["data"][0]["text"] == ["50%", "100%", "67%"]


def test_first_layer_weights_are_one_28x28_image_per_neuron():
    model = kb.build_model(lab.network_spec((40,)))
    kernel = model.layers[0].get_weights()[0]
    images = lab.first_layer_weights(model, 32)
    assert images.shape == (32, 28, 28)
    assert np.array_equal(images[5], kernel[:, 5].reshape(28, 28))
    grid = fig.weight_grid(images, cols=8, scale=1)
    assert grid.shape == (4 * 30 + 2, 8 * 30 + 2, 3) and grid.dtype == np.uint8
    # each neuron scaled by its own largest |w|: its strongest positive weight is pure blue, zero is white
    w = np.zeros((1, 28, 28))
    w[0, 1, 2], w[0, 3, 4] = 2.0, -1.0
    one = fig.weight_grid(w, cols=1, gap=0, scale=1)
    assert one[1, 2].tolist() == [8, 119, 189] and one[0, 0].tolist() == [255, 255, 255]
    assert one[3, 4].tolist() == [250, 201, 144]                     # half-way to orange (#f59322)
    k = kb.keras()
    with pytest.raises(ValueError, match="784"):
        lab.first_layer_weights(k.Sequential([k.Input((28, 28, 1)), k.layers.Conv2D(2, 3)]))


# ---- training with a validation set --------------------------------------------------------------
def test_validation_digits_are_carved_from_the_training_digits():
    assert lab.fit_sizes(8000, 0.1) == (7200, 800) and lab.fit_sizes(1000, 0.0) == (1000, 0)
    data = datasets.mnist("bundled-sample")
    net, train = lab.network_spec((16,)), lab.train_spec(epochs=2, val_split=0.25, batch_size=64)
    job = lab.start_training(data, net, train, 400, room=kj.Room(1))
    assert job.join(120) and job.status == "finished", job.error
    x_val, y_val = job.fit_kwargs["validation_data"]
    assert len(job.x) == 300 and len(x_val) == 100
    assert np.array_equal(y_val.argmax(axis=1), data.y_train[300:400])        # the last quarter, never trained on
    epochs = job.metrics.epochs_since(0)
    assert len(epochs) == 2 and all(e.val_loss is not None and e.val_accuracy is not None for e in epochs)
    assert lab.history_csv(epochs).count("\n") == 1 + 2
    kind, text, _ = lab.status_message(job)
    assert kind == "success" and "Finished after epoch 2" in text and "s per epoch" in text
    # no validation share: no validation set, and the test digits are not used in its place
    job = lab.start_training(data, net, lab.train_spec(epochs=1, val_split=0.0), 200, room=kj.Room(1))
    assert job.join(120) and job.fit_kwargs["validation_data"] is None and len(job.x) == 200
    assert job.metrics.epochs_since(0)[0].val_loss is None


def test_the_same_seed_gives_the_same_run():
    data = datasets.mnist("bundled-sample")
    net, train = lab.network_spec((16,), dropout=0.2), lab.train_spec(epochs=1, val_split=0.2, seed=3)
    runs = []
    for _ in range(2):
        job = lab.start_training(data, net, train, 500, room=kj.Room(1))
        assert job.join(120) and job.status == "finished"
        runs.append(job.metrics.epochs_since(0)[0])
    assert runs[0].loss == runs[1].loss and runs[0].val_accuracy == runs[1].val_accuracy


def test_course_002_preset_reaches_94_percent_validation_accuracy_in_5_epochs():
    """Course 002's model and training (784-128-Dropout(0.2)-10, Adam, 5 epochs, batches of 32) on the
    bundled sample: 7,200 training digits, 800 kept for validation. A real training, no shortcut."""
    data = datasets.mnist("bundled-sample")
    p = lab.PRESETS["course-002"]
    job = lab.start_training(data, p.network(), p.training(), p.n_train, room=kj.Room(1))
    assert job.join(600) and job.status == "finished", job.error
    epochs = job.metrics.epochs_since(0)
    assert len(epochs) == 5 and len(job.x) == 7200 and len(job.fit_kwargs["validation_data"][0]) == 800
    assert epochs[-1].val_accuracy >= 0.94, [round(e.val_accuracy, 4) for e in epochs]


def test_digit_grid_tiles_digits_dark_on_light():
    imgs = np.zeros((3, 28, 28), dtype=np.uint8)
    imgs[1, 10, 10] = 255
    grid = fig.digit_grid(imgs, cols=2, gap=2, scale=1)
    assert grid.shape == (2 * 30 + 2, 2 * 30 + 2) and grid.dtype == np.uint8
    assert grid[2 + 10, 32 + 10] == 0 and grid[2, 2] == 255
