"""Real Chromium: TensorFlow Playground's default link pasted into the playground opens its set-up under its
rules, and after 1000 epochs the page shows TensorFlow Playground's kind of loss: ½(o − t)² over the whole
training set after the epoch, the number the engine gives for the same run."""
import re
import time

import pytest
from playwright.sync_api import expect

from nncore.engine import losses
from nncore.lessons import playground_lab as pg
from nncore.lessons import presets
from nncore.lessons import tfplayground as tfp
from tests import browser as b

pytestmark = pytest.mark.browser

BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
LOSS = re.compile(r"Training loss ([0-9.]+) · Test loss ([0-9.]+)")


def engine_run():
    """The same set-up trained by the engine in-process (same seeds: the same points and start)."""
    data, run = pg.start(presets.get("tensorflow-playground").setup)
    return data, run.finish()


def thumb(slider) -> str:
    """The value a Streamlit slider shows on its thumb."""
    return slider.get_by_test_id("stSliderThumbValue").inner_text().strip()


def paste(page, link):
    """The link into the expander's box (Enter commits it), then its button."""
    summary = page.locator('[data-testid="stExpander"] summary').filter(has_text="open its link here")
    summary.click()
    box = page.get_by_label("TensorFlow Playground link")
    box.fill(link)
    box.press("Enter")
    b.wait_ready(page)
    button = page.get_by_test_id("stExpanderDetails").get_by_role("button", name="Open the link")
    if not button.is_visible():          # a rerun may have folded the expander
        summary.click()
    button.click(timeout=60_000)
    b.wait_ready(page)


def test_pasted_tf_playground_link_trains_to_its_loss(server, chromium):
    page = b.open_page(chromium, server.url + "/playground", height=2600)
    page.set_default_timeout(120_000)        # a shared 2-core machine: a rerun may take long under load
    b.wait_ready(page)
    b.assert_no_exception(page)
    paste(page, tfp.DEFAULT_LINK)
    sidebar = page.locator('[data-testid="stSidebar"]')
    # the button's rerun applies the link; under load wait_ready may look before that rerun has begun
    expect(sidebar.get_by_label("data set")).to_have_value(re.compile("TF Playground: circle"), timeout=60_000)
    b.wait_ready(page)
    page.wait_for_selector(BOUNDARY + " .main-svg")
    b.assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "2 inputs → 4 tanh → 2 tanh → 1 tanh" in sidebar.inner_text()
    assert sidebar.get_by_label("points").input_value() == "500"
    assert "nnplay cannot honour seed=0.80189" in main
    sliders = sidebar.locator('[data-testid="stSlider"]')
    assert "0.03" in sliders.filter(has_text="learning rate α").inner_text()
    assert thumb(sliders.filter(has_text="batch size")) == "10"
    # the page's speed control, at its maximum
    speed = page.locator('[data-testid="stSlider"]').filter(has_text="speed: updates per frame")
    speed.get_by_role("slider").focus()
    speed.get_by_role("slider").press("End")
    b.wait_ready(page)
    assert thumb(speed) == "100"
    started = time.perf_counter()
    page.get_by_role("button", name="▶ Train").click()
    page.get_by_text("Trained for all 1000 epochs.").wait_for(timeout=600_000)     # ~1 min on an idle machine
    print(f"TF Playground's default, 1000 epochs in Chromium: {time.perf_counter() - started:.0f} s")
    b.wait_ready(page)
    b.assert_no_exception(page)
    shown = LOSS.search(page.locator('[data-testid="stMain"]').inner_text().replace("*", ""))
    assert shown, "the page shows TF Playground's training and test loss"
    data, run = engine_run()
    assert run.epoch == 1000 and run.step == 25_000
    assert shown.group(1) == f"{run.train_losses[-1]:.6f}" and shown.group(2) == f"{run.val_losses[-1]:.6f}"
    half = losses.get("half_mse")                   # its kind: ½(o − t)² over the whole set, no penalty
    assert shown.group(1) == f"{half.value(data.t_train, run.net.predict(run.f_train)):.6f}"
    assert not page.errors
    page.close()
