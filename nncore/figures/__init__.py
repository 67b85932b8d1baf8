"""Plotly figure builders: data in, ``go.Figure`` out. No streamlit, no training.

One module per topic, so a reader finds a figure by what it shows:
``style`` (shared colours and layout), and the topic modules beside it.
Figures keep a fixed trace structure and set ``layout.uirevision`` so that a live page can
redraw them without resetting the zoom or flickering.
"""
