"""Keyboard shortcuts for a live page's run (issue 21), as a video player has them: a teacher at the projector
or a student who does not use a mouse plays, pauses, steps and resets without aiming at a button.

    K or Space   ▶ Train / ⏸ Pause          .   ⏭ one update (W := W − α ∂J/∂W on one batch)
    E            ⏩ to the end of the epoch    0   ↺ Reset to θ₀

A key presses the page's own button (found by its Streamlit key, ``<page>_play`` …), so a shortcut does exactly
what the click does; of a key's buttons (▶ and ⏸) the first one that is there and enabled is pressed, and a key
whose buttons are all disabled does nothing. The MNIST page has no steps: there K or Space is ▶ Train or ⏹ Stop
(``MNIST_KEYS``). Keys typed into a field, a select box or a
slider, or with Ctrl/Alt/⌘, are left alone. The listener is installed once per tab; each run of a live page
says which page's buttons it presses (``window.__nnplayShortcuts.page``); on any other page no such button
exists and a key does nothing.
"""
import streamlit as st

KEYS = {"k": ["play", "pause"], " ": ["play", "pause"], ".": ["step"], "e": ["epoch"], "0": ["reset"]}
LEGEND = "Keys: **K** or **Space** ▶/⏸ · **.** one update · **E** one epoch · **0** reset"
MNIST_KEYS = {"k": ["train", "stop"], " ": ["train", "stop"]}
MNIST_LEGEND = "Keys: **K** or **Space** ▶ Train / ⏹ Stop"

_SCRIPT = """<script>
(() => {
  const state = window.__nnplayShortcuts || (window.__nnplayShortcuts = {page: null});
  state.page = %(page)s;
  state.keys = %(keys)s;
  if (state.installed) return;
  state.installed = true;
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName)
    || (el.getAttribute && ['slider', 'combobox', 'textbox', 'listbox', 'option'].includes(el.getAttribute('role'))));
  document.addEventListener('keydown', (event) => {
    const names = state.keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!names || !state.page || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    const buttons = names.map((name) => document.querySelector(`.st-key-${state.page}_${name} button`))
      .filter(Boolean);
    if (!buttons.length) return;
    event.preventDefault();
    const enabled = buttons.find((button) => !button.disabled);
    if (enabled) enabled.click();
  }, true);
})();
</script>"""


def shortcuts(page: str, keys=None, legend: str = LEGEND) -> None:
    """The shortcuts for ``page``'s run buttons (``keys``: key → the button names it tries, ``<page>_<name>``;
    a live page's ``_play`` / ``_pause`` / ``_step`` / ``_epoch`` / ``_reset`` by default), and their legend."""
    import json

    with st.container(key="nnplay_keys", gap="small"):        # presentation mode hides the legend (app.py)
        st.html(_SCRIPT % {"page": json.dumps(page), "keys": json.dumps(KEYS if keys is None else keys)},
                unsafe_allow_javascript=True)
        st.caption(legend)
