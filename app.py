"""nnplay's only entry point: page config and the router. Run with ``streamlit run app.py``.

Presentation mode (``?present=1``, or the sidebar's toggle) is for a projector: larger type, the full
width, and the sidebar collapsed (its arrow still opens it, so every control stays reachable).
"""
import streamlit as st

from views.catalog import PAGES
from views.ui.components import figure_svg
from views.ui.fit import fit_the_screen
from views.ui.lesson_panel import around as lesson_panel
from views.ui.live import pause_when_left
from views.ui.streamlit_hooks import log_report_once
from views.ui.tab_memory import tab_memory

PRESENT_CSS = """<style>
/* presentation mode: Streamlit sizes its text in rem, so a larger root font scales every page */
html { font-size: 24px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 0.75rem 2.5rem 3rem; }
/* at 720 px high a page's title takes less of the screen, so more of the demo is above the fold: smaller gaps
   between elements, and the live pages' keyboard legend hidden (the keys work; the buttons' tooltips say them) */
[data-testid="stMain"] h1 { font-size: 1.9rem; padding: 0.25rem 0 0 0.6rem; }
/* the header grows with the type (3.75rem = 90 px) and would hide the title's top: see through it, click through it */
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-nnplay_keys { display: none; }
</style>"""

if "present" not in st.session_state:                       # a link can open in presentation mode
    st.session_state.present = st.query_params.get("present") == "1"
presenting = bool(st.session_state.present)
st.set_page_config(page_title="nnplay", page_icon="🧠", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")

log_report_once()                          # which Streamlit internals are in use, once, in the log
fit_the_screen()                           # every page fits 820 px up: shared CSS, narrow sidebar
sections = {}
for info in PAGES:
    page = st.Page(info.script, title=info.title, icon=info.icon, url_path=info.url or None,
                   default=info.url == "")
    sections.setdefault(info.section, []).append(page)

with st.sidebar:
    st.toggle("📽️ Presentation mode", key="present",
              help="Large type for a projector, sidebar collapsed (open it with the arrow at the top left). "
                   "A link with ?present=1 opens in this mode.")
if presenting:
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    if st.query_params.get("present") != "1":                # the link keeps the mode (reload, share)
        st.query_params["present"] = "1"
elif "present" in st.query_params:
    del st.query_params["present"]

page = st.navigation(sections)
with st.sidebar:
    tab_memory(page.url_path)              # every page's link kept by this browser tab, for a reload
    figure_svg()                           # ⬇ SVG beside the camera of every static figure
pause_when_left(page.url_path)           # a live run pauses when its page is left, and says so on return
with lesson_panel(page.url_path):       # ?lesson=…&step=…: the lesson's step above the page
    page.run()
