"""TensorFlow Playground's links, both ways: every field of its state.ts read as it reads them, the playground's
settings under its rules, the fields nnplay cannot honour in one sentence, and the link back."""
import pytest

from nncore.lessons import configurator as cfg
from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from nncore.lessons import tfplayground as tfp

# A link as TF Playground writes it (State.serialize: its PROPS order, regularization after activation).
SPIRAL = ("https://playground.tensorflow.org/#activation=relu&regularization=L1&batchSize=3&dataset=spiral&"
          "regDataset=reg-plane&learningRate=0.3&regularizationRate=0.003&noise=35&networkShape=8,8,5&seed=0.01234&"
          "showTestData=true&discretize=true&percTrainData=70&x=true&y=true&xTimesY=true&xSquared=true&"
          "ySquared=false&cosX=false&sinX=true&cosY=false&sinY=false&collectStats=false&problem=classification&"
          "initZero=false&hideText=false")
REG_GAUSS = ("https://playground.tensorflow.org/#activation=linear&regularization=L2&batchSize=30&dataset=circle&"
             "regDataset=reg-gauss&learningRate=0.00001&regularizationRate=10&noise=5&networkShape=&seed=0.99999&"
             "showTestData=false&discretize=false&percTrainData=10&x=false&y=true&xTimesY=false&xSquared=false&"
             "ySquared=true&cosX=false&sinX=false&cosY=false&sinY=true&collectStats=false&problem=regression&"
             "initZero=true&hideText=false")


def test_the_default_link_is_tf_playgrounds_default_state():
    state = tfp.parse(tfp.DEFAULT_LINK)
    assert state == tfp.TFState(seed="0.80189")
    assert set(tfp.FIELDS) == {"activation", "regularization", "batchSize", "dataset", "regDataset", "learningRate",
                               "regularizationRate", "noise", "networkShape", "seed", "showTestData", "discretize",
                               "percTrainData", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX", "sinX",
                               "cosY", "sinY", "collectStats", "tutorial", "problem", "initZero", "hideText"}


def test_the_default_link_opens_the_circle_with_4_2_tanh_under_its_rules():
    values, sentence = tfp.to_values(tfp.parse(tfp.DEFAULT_LINK))
    setup = pg.from_values(values).validate()
    c = setup.controls
    assert (setup.data, setup.n, setup.noise, setup.test_ratio, setup.features) == ("tfp_circle", 500, 0.0, 0.5,
                                                                                     ("x1", "x2"))
    assert (c.hidden, c.activation, c.lr, c.batch_size, c.optimizer, c.loss, c.rules) == (
        (4, 2), "tanh", 0.03, 10, "sgd", "half_mse", "tfplayground")
    assert (c.init, c.bias_init, c.reg) == ("tfp_uniform", 0.1, "none")
    assert setup.task.output_activation == "tanh" and setup.task.targets([0, 1]).ravel().tolist() == [-1, 1]
    assert setup == presets.get("tensorflow-playground").setup
    assert sentence.startswith("nnplay cannot honour seed=0.80189") and sentence.count(";") == 0


@pytest.mark.parametrize("link", [tfp.DEFAULT_LINK, SPIRAL, REG_GAUSS])
def test_a_link_comes_back_as_it_went(link):
    values, _ = tfp.to_values(tfp.parse(link))
    setup = pg.from_values(values).validate()
    back, why = tfp.link_for({**pg.to_values(setup), "show_test": values["show_test"],
                              "discretize": values["discretize"]})
    assert why == [] and back == link


def test_every_field_is_read():
    state = tfp.parse(SPIRAL)
    assert (state.activation, state.regularization, state.batchSize, state.dataset, state.learningRate,
            state.regularizationRate, state.noise, state.networkShape, state.seed, state.showTestData,
            state.discretize, state.percTrainData) == ("relu", "L1", 3, "spiral", 0.3, 0.003, 35, (8, 8, 5),
                                                       "0.01234", True, True, 70)
    assert state.features == ("x1", "x2", "x1sq", "x1x2", "sinx1")
    values, _ = tfp.to_values(state)
    setup = pg.from_values(values).validate()
    assert (setup.data, setup.noise, setup.test_ratio, setup.data_seed) == ("tfp_spiral", 0.35, 0.3, 1234)
    assert (setup.controls.reg, setup.controls.reg_rate, setup.controls.hidden) == ("l1", 0.003, (8, 8, 5))
    regression = pg.from_values(tfp.to_values(tfp.parse(REG_GAUSS))[0]).validate()
    assert (regression.data, regression.n, regression.controls.init, regression.controls.bias_init) == (
        "tfp_reg_gauss", 1200, "zeros", 0.0)
    assert regression.controls.hidden == () and regression.task.kind == "regression"
    assert regression.controls.network_spec(3).l2 == 5.0          # its rate 10 is r·½w²: λ = r/2


def test_what_it_would_not_take_keeps_its_default_as_tf_playground_does():
    state = tfp.parse("#activation=softplus&dataset=moons&problem=bogus&batchSize=&x=0")
    assert (state.activation, state.dataset, state.problem, state.batchSize) == ("tanh", "circle",
                                                                                 "classification", 10)
    assert state.x is True          # any text but 'false' is true, as in its deserializeState


def test_what_nnplay_cannot_honour_is_said_in_one_sentence():
    link = ("#problem=regression&regDataset=reg-maximum&cosX=true&tutorial=dropout&hideText=true&"
            "collectStats=true&networkShape=4,abc&learningRate=nope&x_hide=true&seed=abc")
    values, sentence = tfp.to_values(tfp.parse(link))
    assert sentence.startswith("nnplay cannot honour ") and sentence.endswith(".") and sentence.count(". ") == 0
    for field in ("regDataset=reg-maximum", "cosX=true", "tutorial=dropout", "hideText=true", "collectStats=true",
                  "networkShape=4,nan", "learningRate=nan", "x_hide", "seed=abc"):
        assert field in sentence, field
    setup = pg.from_values(values).validate()        # what it can honour still opens
    assert setup.data == "tfp_reg_plane" and setup.controls.hidden == (4, 2) and setup.controls.lr == 0.03


def test_only_what_tf_playground_can_express_gets_a_link():
    link, why = tfp.link_for(pg.to_values(presets.get("playground").setup))
    assert link == "" and any("data sets" in w for w in why) and any("rules" in w for w in why)
    values = tfp.default_values()
    for change, words in [({"layers": 7, "n7": 2}, "6 hidden layers"), ({"n1": 9}, "8 neurons"),
                          ({"lr": 0.0003}, "learning rates"), ({"batch_size": 31}, "batch size"),
                          ({"activation": "leaky_relu"}, "activations"), ({"features": ["x1", "sin(3*x1)"]}, "inputs"),
                          ({"n": 400}, "500 points"), ({"optimizer": "adam"}, "plain SGD"), ({"noise": 0.6}, "noise")]:
        link, why = tfp.link_for({**values, **change})
        assert link == "" and any(words in w for w in why), (change, why)
    assert tfp.link_for(values)[0] == tfp.DEFAULT_LINK


def test_its_lists_are_offered():
    assert set(tfp.LEARNING_RATES) <= set(cfg.LRS)
    assert tfp.REG_RATES == (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
    assert tfp.LEARNING_RATES == (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def test_values_off_its_lists_move_to_the_nearest_and_are_said():
    values, sentence = tfp.to_values(tfp.parse("#learningRate=0.05&regularization=L2&regularizationRate=0.02&"
                                               "batchSize=100&networkShape=9,2,2,2,2,2,2"))
    assert (values["lr"], values["reg_rate"], values["batch_size"], values["layers"], values["n1"]) == (
        0.03, 0.03, 30, 6, 8)
    for field in ("learningRate=0.05", "regularizationRate=0.02", "batchSize=100", "networkShape=9,2,2,2,2,2,2"):
        assert field in sentence, field
    pg.from_values(values).validate()
