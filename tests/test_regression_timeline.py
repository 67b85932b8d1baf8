"""The timeline on /regression (AppTest): scrub a paused course-004 run back to epoch 10 and see that moment's
line (w, b as a fresh run stopped at epoch 10 has them), its cost curves and its path on the cost surface cut
there; "▶ Continue from here" goes on like the original run; "↺ Same start θ₀, new α" starts from the same θ₀."""
import numpy as np

from nncore.lessons import regression_lab as reg
from tests import pages


def latex(at) -> str:
    return "\n".join(str(e.value) for e in at.latex)


def test_the_regression_timeline_scrubs_continues_and_restarts_from_the_same_theta0():
    at = pages.open_page("regression", None)
    for _ in range(12):
        next(b for b in at.button if b.label == "⏩ Epoch").click().run()
    assert not at.exception, at.exception
    run = at.session_state["reg_run"]
    theta0 = run.initial_weights
    slider = next(s for s in at.select_slider if "timeline" in s.label)
    assert slider.value == len(slider.options) - 1                   # the newest frame by default
    k = next(i for i, label in enumerate(slider.options) if label.startswith("epoch 10 ·"))
    slider.set_value(k).run()
    assert not at.exception, at.exception
    assert any("Showing **epoch 10 · update 10**" in c.value for c in at.caption)
    _, fresh = reg.start(reg.Setup())
    fresh.advance(10)
    w, b = reg.line_params(fresh)
    assert f"w = {w:.6f},\\quad b = {b:.6f}" in latex(at)              # the numbers of that moment
    assert "update 10, epoch 10" in "\n".join(m.value for m in at.markdown)

    next(b for b in at.button if b.label == "▶ Continue from here").click().run()
    branch = at.session_state["reg_run"]
    assert branch is not run and branch.step >= 10 and branch.val_losses[:10] == run.val_losses[:10]
    next(b for b in at.button if b.label == "⏸ Pause").click().run()
    next(s for s in at.selectbox if s.label == "new α").set_value(0.5).run()
    next(b for b in at.button if b.label.startswith("↺ Same start")).click().run()
    again = at.session_state["reg_run"]
    assert not at.exception and again.spec.lr == 0.5 and again.step == 0
    assert all(np.array_equal(a, b) for a, b in zip(again.initial_weights, theta0))
    names = [t.get("name", "") for t in at.session_state["reg_earlier"]["figure"]["data"]]
    assert names, "the earlier run's costs are kept to draw faded"


def test_a_frame_of_a_regression_run_cuts_its_path_and_cost_per_update_there():
    from nncore.engine.timeline import Timeline

    setup = reg.Setup()
    setup = reg.with_train(setup, mode="stochastic", epochs=3)
    _, run = reg.start(setup)
    line = Timeline().follow(run)
    run.advance(37)
    line.capture(run)
    run.finish()
    k = next(i for i in range(len(line)) if line.at(i).step == 37)
    at37 = line.view(run, k)
    assert len(at37.path) == 38 and np.array_equal(at37.path[-1], at37.net.theta)
    assert at37.steps[-1] <= 37 < run.steps[-1] and len(at37.steps) == len(at37.batch_losses)
    assert at37.last is None and at37.status == "paused"
    assert reg.line_params(at37) == (float(at37.path[-1][0]), float(at37.path[-1][1]))
