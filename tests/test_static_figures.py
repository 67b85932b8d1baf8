"""Static figures (issue 20, 21): every page draws them through ``views.ui.components.figure``, so each one's
camera saves a PNG at twice the screen's resolution, and in presentation mode its type grows as the live
plots' does."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nncore.figures.style import PROJECTOR_SCALE

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ("perceptron", "activations", "losses")           # pages that draw static figures on first open


def test_no_page_calls_plotly_chart_itself():
    """One way in: a page that called ``st.plotly_chart`` would skip the PNG ×2 and the projector's type."""
    callers = [str(p.relative_to(ROOT)) for p in (ROOT / "views").rglob("*.py")
               if re.search(r"\.plotly_chart\(", p.read_text()) and p.name != "components.py"]
    assert callers == [], f"draw static figures with components.figure, not st.plotly_chart: {callers}"


def charts(page: str, present: bool):
    at = AppTest.from_file(APP, default_timeout=60)
    if present:
        at.query_params["present"] = "1"
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    found = at.get("plotly_chart")
    assert found, f"/{page} drew no static figure"
    return {c.proto.id.rsplit("-", 1)[-1]: (json.loads(c.proto.spec), json.loads(c.proto.config)) for c in found}


def title_size(spec) -> float:
    layout = spec.get("layout", {})
    title = layout.get("title") or {}
    return (title.get("font") or {}).get("size") or (layout.get("font") or {}).get("size")


@pytest.mark.parametrize("page", PAGES)
def test_every_static_figure_saves_a_png_at_twice_the_resolution(page):
    for key, (_, config) in charts(page, present=False).items():
        options = config.get("toImageButtonOptions", {})
        assert options.get("scale") == 2 and options.get("format") == "png", f"/{page} {key}: {config}"
        assert config.get("displaylogo") is False


@pytest.mark.parametrize("page", PAGES)
def test_in_presentation_mode_the_static_figures_type_grows(page):
    laptop, projector = charts(page, present=False), charts(page, present=True)
    assert set(laptop) == set(projector)
    for key, (small, _) in laptop.items():
        before, after = title_size(small), title_size(projector[key][0])
        assert before and after and after >= before * (PROJECTOR_SCALE - 0.05), (page, key, before, after)
