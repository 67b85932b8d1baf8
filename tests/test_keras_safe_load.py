"""Download and upload of .keras files: what nnplay saves loads back; code inside a file is refused."""
import io
import zipfile

import numpy as np
import pytest

from nncore.engine.specs import NetworkSpec, TrainSpec
from nncore.keras import bridge as kb

MNIST_SPEC = NetworkSpec(n_inputs=784, hidden=(32,), activation="relu", output_units=10,
                         output_activation="softmax")
ADAM = TrainSpec(loss="categorical_crossentropy", optimizer="adam", lr=0.001)


@pytest.fixture(scope="module")
def k():
    return kb.keras()


def lambda_model(k):
    return k.Sequential([k.Input((4,)), k.layers.Lambda(lambda t: t * 2), k.layers.Dense(2)])


def test_a_saved_model_loads_back_with_its_weights_and_optimiser():
    model = kb.build_model(MNIST_SPEC, ADAM)
    x = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[[0, 1, 2, 3, 4]]
    model.fit(x, y, epochs=1, verbose=0)
    loaded = kb.load_model_safely(kb.model_to_bytes(model))
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert loaded.optimizer.__class__.__name__ == "Adam"
    assert int(loaded.optimizer.iterations.numpy()) == 1


def test_every_layer_nnplay_builds_passes_the_safety_check():
    spec = NetworkSpec(n_inputs=3, hidden=(4, 4), activation="leaky_relu", output_units=2,
                       output_activation="softmax", initializer="random_normal", dropout=0.2, l1=0.01, l2=0.01)
    model = kb.build_model(spec, TrainSpec(loss="categorical_crossentropy", optimizer="nesterov"))
    model.fit(np.ones((2, 3)), np.eye(2), verbose=0)          # builds the optimiser's momentum slots
    assert len(kb.load_model_safely(kb.model_to_bytes(model)).layers) == len(model.layers)


def test_a_lambda_layer_is_refused_with_a_clear_message(k):
    data = kb.model_to_bytes(lambda_model(k))
    with pytest.raises(ValueError, match="Lambda layer .*runs Python code"):
        kb.load_model_safely(data)


def test_keras_safe_mode_is_the_second_lock(k, monkeypatch):
    """Even if nnplay's own check missed the Lambda layer, Keras's safe mode refuses it."""
    monkeypatch.setattr(kb, "_check_keras_archive", lambda data, max_bytes: None)
    with pytest.raises(ValueError, match="could not load this model safely.*Lambda"):
        kb.load_model_safely(kb.model_to_bytes(lambda_model(k)))


def test_a_custom_layer_is_refused_even_when_registered(k):
    @k.saving.register_keras_serializable(package="Student")
    class Twice(k.layers.Layer):
        def call(self, x):
            return 2 * x

    data = kb.model_to_bytes(k.Sequential([k.Input((4,)), Twice(), k.layers.Dense(2)]))
    with pytest.raises(ValueError, match="Twice.* is custom code"):
        kb.load_model_safely(data)


def test_a_custom_activation_function_is_refused(k):
    @k.saving.register_keras_serializable(package="Student")
    def wiggle(x):
        return x * 1.5

    data = kb.model_to_bytes(k.Sequential([k.Input((4,)), k.layers.Dense(2, activation=wiggle)]))
    with pytest.raises(ValueError, match="custom code"):
        kb.load_model_safely(data)


def test_a_file_over_the_size_limit_is_refused():
    data = kb.model_to_bytes(kb.build_model(MNIST_SPEC, ADAM))
    with pytest.raises(ValueError, match="limit is 0 MB|the limit"):
        kb.load_model_safely(data, max_bytes=len(data) - 1)


def test_unrelated_and_damaged_files_are_refused():
    data = kb.model_to_bytes(kb.build_model(MNIST_SPEC, ADAM))
    with pytest.raises(ValueError, match="not a .keras model file"):
        kb.load_model_safely(b"\x89PNG\r\n\x1a\n this is a picture")
    with pytest.raises(ValueError, match="not a .keras model file|damaged"):
        kb.load_model_safely(data[: len(data) // 2])
    with pytest.raises(ValueError, match="HDF5"):
        kb.load_model_safely(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(ValueError, match="no config.json"):
        kb.load_model_safely(buf.getvalue())


def test_a_config_that_is_not_a_model_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("config.json", '{"module": "keras.layers", "class_name": "Dense", "config": {}}')
        z.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="holds a 'Dense', not a model"):      # refused before Keras reads it
        kb.load_model_safely(buf.getvalue())


def test_summary_text_lists_layers_and_parameters():
    text = kb.summary_text(kb.build_model(MNIST_SPEC, ADAM))
    assert "Dense" in text and "Total params" in text
    assert f"{MNIST_SPEC.param_count():,}" in text        # 784·32+32 + 32·10+10 = 25,450


def test_models_a_student_makes_in_keras_pass_the_size_checks(k):
    """Sequential and Functional models of the usual layers, saved by Keras, pass ``upload_check`` (its counts
    are Keras's own); a layer outside the list is refused before Keras reads the file."""
    from nncore.keras import upload_check

    inputs = k.Input((28, 28))
    x = k.layers.Flatten()(inputs)
    x = k.layers.Dense(64, activation="relu")(x)
    x = k.layers.BatchNormalization()(x)
    x = k.layers.Dropout(0.2)(x)
    functional = k.Model(inputs, k.layers.Dense(10, activation="softmax")(x))
    sequential = k.Sequential([k.Input((784,)), k.layers.Dense(32), k.layers.LeakyReLU(), k.layers.Dense(10),
                               k.layers.Softmax()])
    for model in (functional, sequential):
        config = upload_check.check(kb.model_to_bytes(model))
        assert upload_check.check_sizes(config) >= model.count_params()      # BatchNormalization: 4 per unit
        assert len(kb.load_model_safely(kb.model_to_bytes(model)).layers) == len(model.layers)
    conv = k.Sequential([k.Input((28, 28, 1)), k.layers.Conv2D(4, 3), k.layers.Flatten(), k.layers.Dense(10)])
    assert upload_check.check_sizes(upload_check.check(kb.model_to_bytes(conv))) == conv.count_params()
    pooled = k.Sequential([k.Input((28, 28, 1)), k.layers.AveragePooling2D(2), k.layers.Flatten(), k.layers.Dense(10)])
    with pytest.raises(ValueError, match="has a 'AveragePooling2D' layer"):     # not a layer the builder makes
        kb.load_model_safely(kb.model_to_bytes(pooled))
