"""Home: what nnplay is, and one line per page."""
import streamlit as st

from views.catalog import PAGES

st.title("🧠 nnplay — a neural-network playground")
st.markdown(
    "Train real neural networks in your browser and watch them learn: every number comes from a "
    "small numpy engine written in the course's notation (z, a, δ, ∂J/∂W), checked against Keras. "
    "Every worked example of the course is one click away."
)
for section in dict.fromkeys(p.section for p in PAGES if p.url):
    st.subheader(section)
    for info in (p for p in PAGES if p.section == section and p.url):
        st.page_link(info.script, label=f"**{info.title}** — {info.blurb}", icon=info.icon)
