"""Every page fits its screen, from a tablet's 820 px up to a projector (issue 21): the CSS and the one script
the router injects on every run. ``tests/test_browser_fit.py`` checks it: no text clipped on any page at
820×1180, 1280×720 presentation and 1400×900.

- Below ``NARROW`` px the sidebar starts collapsed (Streamlit's "auto" only does so below 768 px, which leaves a
  tablet ~520 px for the page): once per page load, so a student who opens it keeps it open from page to page.
- Labels wrap between words, never inside one ("Com" / "pare"); a metric's value may take a second line
  rather than end in "…"; a long equation scrolls inside its own box instead of being cut off on the right.
"""
import streamlit as st

NARROW = 1024      # px: below it the sidebar starts collapsed


def presenting() -> bool:
    """Whether this session is in presentation mode (``?present=1`` or the sidebar's toggle; app.py keeps it in
    ``st.session_state.present``): the pages lay out for a projector's 1280×720 and the figures' type grows."""
    return bool(st.session_state.get("present"))

FIT_CSS = """<style>
/* a label wraps between words, never inside one, and is never cut to "Com…" */
[data-testid="stMain"] button p, [data-testid="stSidebar"] button p, [data-testid="stMain"] button div,
[data-baseweb="tab"] p, [role="radiogroup"] label p, [data-testid="stWidgetLabel"] p,
[data-testid="stWidgetLabel"] div, [data-testid="stCheckbox"] label p, [data-testid="stPageLink"] p,
[data-testid="stPageLink"] span, [data-testid="stPageLink-NavLink"] span {
  word-break: normal; overflow-wrap: normal; hyphens: manual;
  white-space: normal; overflow: visible; text-overflow: clip;
}
[data-testid="stMain"] button { height: auto; min-height: 2.5rem; }
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] label {
  white-space: normal; overflow: visible; text-overflow: clip; word-break: normal;
}
/* a select box shows its whole choice: it may take two lines in a narrow column */
[data-baseweb="select"] [value], [data-baseweb="select"] div[title] {
  white-space: normal; overflow: visible; text-overflow: clip;
}
/* a metric's value is never cut to "101,…": it may take a second line and a smaller size in a narrow column */
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal;
  overflow-wrap: anywhere; }
[data-testid="stMetricValue"] { font-size: clamp(1.1rem, 2.2vw, 2.25rem); }
/* below NARROW px, a row of columns that holds figures stacks them: each figure gets the page's width, so its
   title and the race's panel titles have room (rows of buttons and controls stay side by side) */
@media (max-width: %dpx) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .js-plotly-plot) { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .js-plotly-plot) > [data-testid="stColumn"] {
    min-width: 100%%; flex: 1 1 100%%;
  }
}
/* a display equation wider than its column scrolls in its own box, never cut off */
[data-testid="stMarkdownContainer"] .katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%%; }
</style>""" % NARROW

_SIDEBAR_SCRIPT = """<script>
(() => {
  if (window.__nnplayNarrowSidebar || window.innerWidth >= %d) return;
  window.__nnplayNarrowSidebar = true;       // once per page load: a sidebar opened by hand stays open
  let tries = 40;
  const close = () => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (bar && button && bar.dataset.collapsed === "false") button.click();
    else if (!bar || bar.dataset.collapsed !== "true") { if (--tries > 0) setTimeout(close, 100); }
  };
  close();
})();
</script>""" % NARROW


def fit_the_screen() -> None:
    """The shared CSS and the narrow-screen sidebar script, on every run of the router (both take no room)."""
    st.html(FIT_CSS)
    st.html(_SIDEBAR_SCRIPT, unsafe_allow_javascript=True)
