"""Spec validation messages and the lossless round trip through links and JSON."""
import pytest

from nncore.engine import specs
from nncore.engine.specs import NetworkSpec, SpecError, TrainSpec


@pytest.mark.parametrize("field,value,words", [
    ("hidden", (4, 0), "needs between 1 and"),
    ("hidden", (2,) * 9, "At most 8 hidden layers"),
    ("activation", "swish", "must be one of"),
    ("output_activation", "relu", "must be one of"),
    ("initializer", "orthogonal", "The initialiser"),
    ("dropout", 0.95, "The dropout rate must be between 0 and 0.9"),
    ("l2", -1.0, "The L2 rate"),
    ("init_stddev", float("nan"), "finite"),
])
def test_network_spec_rejects_bad_values_with_a_readable_message(field, value, words):
    with pytest.raises(SpecError) as err:
        NetworkSpec(**{field: value}).validate()
    assert field in err.value.problems and words in err.value.problems[field]


@pytest.mark.parametrize("field,value,words", [
    ("lr", 1e6, "The learning rate α must be between"),
    ("lr", 0.0, "The learning rate α must be between"),
    ("epochs", 0, "The number of epochs"),
    ("batch_size", 0, "The batch size"),
    ("mode", "full", "The descent mode"),
    ("optimizer", "lbfgs", "The optimiser"),
    ("loss", "hinge", "The loss"),
    ("val_split", 1.0, "The validation share"),
])
def test_train_spec_rejects_bad_values_with_a_readable_message(field, value, words):
    with pytest.raises(SpecError) as err:
        TrainSpec(**{field: value}).validate()
    assert words in err.value.problems[field]


def test_softmax_needs_two_outputs_and_cross_entropy_needs_probabilities():
    with pytest.raises(SpecError, match="Softmax needs at least 2"):
        NetworkSpec(output_activation="softmax").validate()
    with pytest.raises(SpecError, match="sigmoid output"):
        specs.validate_pair(NetworkSpec(output_activation="linear"), TrainSpec(loss="binary_crossentropy"))
    specs.validate_pair(NetworkSpec(), TrainSpec())


def test_query_round_trip_is_lossless():
    net = NetworkSpec(hidden=(8, 3), activation="relu", initializer="random_normal", init_mean=0.75,
                      init_stddev=0.01, l2=0.001, seed=17)
    train = TrainSpec(optimizer="momentum", lr=0.003, momentum=0.8, mode="stochastic", shuffle=False,
                      early_stop=1e-4)
    for spec in (net, train, NetworkSpec(hidden=())):
        q = specs.to_query(spec)
        assert all(isinstance(v, str) for v in q.values())
        assert specs.from_query(type(spec), q) == spec


def test_defaults_make_an_empty_link():
    assert specs.to_query(NetworkSpec()) == {} and specs.to_query(TrainSpec()) == {}


def test_tampered_link_gets_a_message_not_an_exception_type_error():
    with pytest.raises(SpecError, match="not a valid value"):
        specs.from_query(NetworkSpec, {"hidden": "4,x"})
    with pytest.raises(SpecError, match="learning rate"):
        specs.from_query(TrainSpec, {"lr": "1e6"})
    with pytest.raises(SpecError, match="not a valid value"):
        specs.from_query(TrainSpec, {"shuffle": "maybe"})
    assert specs.from_query(TrainSpec, {"unknown": "1"}) == TrainSpec()


def test_json_round_trip_and_bad_json():
    net = NetworkSpec(hidden=(5, 5), dropout=0.2)
    assert specs.from_json(NetworkSpec, specs.to_json(net)) == net
    with pytest.raises(SpecError, match="not valid JSON"):
        specs.from_json(NetworkSpec, "{oops")
    with pytest.raises(SpecError, match="JSON object"):
        specs.from_json(NetworkSpec, "[1, 2]")


# ---- a different activation, dropout rate and L2 rate per hidden layer -------------------------------
@pytest.mark.parametrize("changes,field,sentence", [
    ({"hidden": (4, 4), "activations": ("relu",)}, "activations",
     "activations gives one activation per hidden layer: the network has 2 hidden layers but activations lists 1."),
    ({"hidden": (4,), "dropouts": (0.1, 0.2)}, "dropouts",
     "dropouts gives one dropout per hidden layer: the network has 1 hidden layer but dropouts lists 2."),
    ({"hidden": (4, 4), "activations": ("relu", "swish")}, "activations",
     "Layer 2's activation must be one of sigmoid, tanh, relu, leaky_relu, linear (got 'swish')."),
    ({"hidden": (4, 4), "activations": ("relu", "softmax")}, "activations", "Layer 2's activation must be one of"),
    ({"hidden": (4, 4), "dropouts": (0.0, 1.5)}, "dropouts", "Layer 2's dropout must be between 0 and 0.9 (got 1.5)."),
    ({"hidden": (4, 4, 4), "l2s": (0.0, 0.0, -0.1)}, "l2s", "Layer 3's L2 rate must be between 0 and 1 (got -0.1)."),
    ({"hidden": (4,), "l2s": (float("nan"),)}, "l2s", "Layer 1's L2 rate must be a finite number"),
])
def test_per_layer_lists_are_checked_with_a_sentence_per_problem(changes, field, sentence):
    with pytest.raises(SpecError) as err:
        NetworkSpec(**changes).validate()
    assert sentence in err.value.problems[field]


def test_empty_per_layer_lists_mean_the_single_value_for_every_layer():
    spec = NetworkSpec(hidden=(8, 4), activation="relu", dropout=0.2, l2=0.01)
    assert spec.layer_activations() == ("relu", "relu", "sigmoid")
    assert spec.layer_dropouts() == (0.2, 0.2, 0.0)
    assert spec.layer_l2s() == (0.01, 0.01, 0.01)
    mixed = NetworkSpec(hidden=(8, 4), activations=("relu", "tanh"), dropouts=(0.2, 0.0), l2s=(0.001, 0.0), l2=0.01)
    assert mixed.layer_activations() == ("relu", "tanh", "sigmoid")
    assert mixed.layer_dropouts() == (0.2, 0.0, 0.0)
    assert mixed.layer_l2s() == (0.001, 0.0, 0.01)      # the output layer keeps l2


PER_LAYER = NetworkSpec(hidden=(8, 4, 2), activations=("relu", "tanh", "leaky_relu"), dropouts=(0.2, 0.0, 0.05),
                        l2s=(0.001, 0.0, 0.0003), l2=0.01)


def test_per_layer_lists_round_trip_through_a_link_and_a_file():
    q = specs.to_query(PER_LAYER)
    assert q["activations"] == "relu,tanh,leaky_relu" and q["dropouts"] == "0.2,0.0,0.05"
    assert specs.from_query(NetworkSpec, q) == PER_LAYER
    assert specs.from_json(NetworkSpec, specs.to_json(PER_LAYER)) == PER_LAYER


@pytest.mark.parametrize("field,value,words", [
    ("activations", '"relu"', "a list of activation names"),
    ("activations", '["relu,tanh"]', "a list of activation names"),
    ("dropouts", '[0.2, "x"]', "a list of numbers"),
    ("l2s", "[true]", "a list of numbers"),
])
def test_a_file_with_per_layer_lists_of_the_wrong_type_says_what_it_needs(field, value, words):
    with pytest.raises(SpecError) as err:
        specs.from_json(NetworkSpec, f'{{"hidden": [4], "{field}": {value}}}')
    assert words in err.value.problems[field]


def test_a_link_with_a_bad_per_layer_value_gets_a_sentence():
    with pytest.raises(SpecError, match="not a valid value"):
        specs.from_query(NetworkSpec, {"hidden": "4,4", "dropouts": "0.1,x"})
    with pytest.raises(SpecError, match="Layer 1's dropout must be between 0 and 0.9"):
        specs.from_query(NetworkSpec, {"hidden": "4,4", "dropouts": "2,0"})
