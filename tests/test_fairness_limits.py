"""The limits that bound one live update (docs/ROBUSTNESS.md, fairness): points, features × layers × neurons, batch.

The heaviest playground a link or an upload allows is 1,200 points (generated or own), 12 features,
8 hidden layers × 24 neurons and a batch of up to 5,000 (above the number of points: the whole set). Each
limit is accepted at its value and refused one past it, with a sentence that names it.
"""
import pytest

from nncore.data import features as feats
from nncore.data import userdata as ud
from nncore.engine.specs import SpecError
from nncore.lessons import configurator as cfg
from nncore.lessons import playground_lab as pg

FORMULAS = ("sin(3*x1)", "cos(2*x2)", "x1*x1*x2", "x2*x2*x1", "tanh(x1+x2)")
HEAVIEST = dict(features=feats.NAMES + FORMULAS,
                controls=cfg.Controls(hidden=(cfg.MAX_UNITS,) * cfg.MAX_LAYERS, activation="relu",
                                      batch_size=cfg.MAX_BATCH))


def own_points(n: int) -> ud.OwnData:
    rows = [f"{(i % 40) / 20 - 1:.3f},{(i // 40) / 20 - 1:.3f},{i % 2}" for i in range(n)]
    return ud.load_csv(("x1,x2,label\n" + "\n".join(rows)).encode())


def test_own_data_and_generated_sets_share_one_limit():
    assert ud.MAX_POINTS == pg.MAX_POINTS == 1200


def test_the_heaviest_set_up_is_allowed():
    assert len(HEAVIEST["features"]) == feats.MAX_FEATURES == 12
    pg.Setup(data="spiral", n=pg.MAX_POINTS, **HEAVIEST).validate()
    pg.Setup(data=pg.OWN, own=own_points(ud.MAX_POINTS), **HEAVIEST).validate()


def test_one_point_more_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="has 1,201 rows; at most 1,200 points are allowed"):
        own_points(ud.MAX_POINTS + 1)
    with pytest.raises(SpecError, match="between 4 and 1,200"):
        pg.Setup(data="spiral", n=pg.MAX_POINTS + 1).validate()


@pytest.mark.parametrize("change, sentence", [
    ({"hidden": (cfg.MAX_UNITS,) * (cfg.MAX_LAYERS + 1)}, "At most 8 hidden layers here (got 9)."),
    ({"hidden": (cfg.MAX_UNITS + 1,)}, "Hidden layer 1 has 25 neurons; each layer needs 1 to 24."),
    ({"batch_size": cfg.MAX_BATCH + 1}, "The batch size must be between 1 and 5,000 (got 5001)."),
])
def test_one_layer_neuron_or_batch_more_is_refused_with_a_sentence(change, sentence):
    controls = cfg.Controls(**{**vars(HEAVIEST["controls"]), **change})
    with pytest.raises(SpecError) as err:
        pg.Setup(controls=controls).validate()
    assert sentence in str(err.value)


def test_one_feature_more_is_refused_with_a_sentence():
    with pytest.raises((SpecError, ValueError), match="At most 12 input features are allowed"):
        pg.Setup(features=HEAVIEST["features"] + ("x1*x2*x2",)).validate()
