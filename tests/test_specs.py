"""Spec validation messages and the lossless round trip through links and JSON."""
import pytest

from nncore import specs
from nncore.specs import NetworkSpec, SpecError, TrainSpec


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
