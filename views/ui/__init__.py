"""The Streamlit pieces that pages share, one module per concern.

- ``state``: a page's settings (a typed table of properties), their namespace, the link, teacher locks.
- ``live``: the live-page skeleton (run, ▶/⏸/⏭/⏩/↺, speed, the live fragment) and the room's fair gate.
- ``components``: nnplay's own components (live plot, clickable plane, digit canvas); JavaScript in ``js/``.
- ``configurator``: the network configurator's controls.
- ``share``: the link to this state and the teacher's link for students.
- ``messages``: sentences for bad input, right/wrong tables.
- ``own_data``, ``playground_panels``: the playground's own-data panel, step-through and Keras panels.
- ``streamlit_hooks``: every Streamlit internal used, behind one adapter with canary tests.
"""
