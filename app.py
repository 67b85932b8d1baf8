"""nnplay's only entry point: page config and the router. Run with ``streamlit run app.py``."""
import streamlit as st

from views.catalog import PAGES

st.set_page_config(page_title="nnplay", page_icon="🧠", layout="wide")

sections = {}
for info in PAGES:
    page = st.Page(info.script, title=info.title, icon=info.icon, url_path=info.url or None,
                   default=info.url == "")
    sections.setdefault(info.section, []).append(page)

st.navigation(sections).run()
