"""AppTest of the playground's TensorFlow Playground mode: a pasted link opens its set-up under its rules,
the page shows its loss, and gives the link back."""
import numpy as np

from nncore.engine import losses
from nncore.lessons import presets
from nncore.lessons import tfplayground as tfp
from tests import pages


def _paste(at, link):
    at.text_input(key="playground.tf_link").set_value(link).run()
    at.button(key="tf_open").click().run()
    assert not at.exception and not at.error
    return at


def _link_buttons(at):
    return [el.proto.url for el in at.get("link_button")]


def test_pasting_the_default_link_opens_tf_playgrounds_default():
    at = _paste(pages.open_page("playground"), tfp.DEFAULT_LINK)
    setup = at.session_state["pg_setup"]
    assert setup == presets.get("tensorflow-playground").setup
    assert at.session_state["playground.rules"] == "tfplayground"
    assert at.query_params["preset"] == "tensorflow-playground"
    assert any("nnplay cannot honour seed=0.80189" in c.value for c in at.caption)
    assert at.slider(key="playground.batch_size").max == tfp.MAX_BATCH          # its controls, its limits
    assert list(at.select_slider(key="playground.lr").options) == [f"{a:g}" for a in tfp.LEARNING_RATES]
    assert tfp.DEFAULT_LINK in _link_buttons(at)


def test_the_shown_loss_is_tf_playgrounds_whole_set_loss():
    at = _paste(pages.open_page("playground"), tfp.DEFAULT_LINK)
    for _ in range(3):
        at.button(key="playground_epoch").click().run()
    run, data = at.session_state["pg_run"], at.session_state["pg_data"]
    assert run.epoch == 3 and run.step == 75
    half = losses.get("half_mse")
    train = half.value(data.t_train, run.net.predict(run.f_train))
    test = half.value(data.t_test, run.net.predict(data.f_test))
    batch_mean = float(np.mean(run.batch_losses[-25:]))
    assert f"{train:.6f}" != f"{batch_mean:.6f}"          # the kinds differ, so the check below means something
    text = " ".join(m.value for m in at.markdown)
    assert f"Training loss **{train:.6f}** · Test loss **{test:.6f}**" in text


def test_nnplay_mode_keeps_its_own_default_and_says_why_it_has_no_link():
    at = pages.open_page("playground")
    assert at.session_state["playground.rules"] == "keras"
    assert at.session_state["pg_setup"] == presets.get("playground").setup
    assert not _link_buttons(at)
    assert any("Open in TensorFlow Playground: not this set-up" in c.value for c in at.caption)


def test_switching_the_rules_starts_from_that_modes_default():
    at = pages.open_page("playground")
    at.radio(key="playground.rules").set_value("tfplayground").run()
    assert at.session_state["pg_setup"] == presets.get("tensorflow-playground").setup
    at.radio(key="playground.rules").set_value("keras").run()
    assert at.session_state["pg_setup"] == presets.get("playground").setup
