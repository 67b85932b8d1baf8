"""Keyboard shortcuts for a live page's run (issue 21), as a video player has them: a teacher at the projector
or a student who does not use a mouse plays, pauses, steps and resets without aiming at a button.

    K or Space   ▶ Train / ⏸ Pause          .   ⏭ one update (W := W − α ∂J/∂W on one batch)
    E            ⏩ to the end of the epoch    0   ↺ Reset to θ₀

A key presses the page's own button (found by its Streamlit key, ``<page>_play`` …), so a shortcut does exactly
what the click does, a disabled button included (nothing happens). Keys typed into a field, a select box or a
slider, or with Ctrl/Alt/⌘, are left alone. The listener is installed once per tab; each run of a live page
says which page's buttons it presses (``window.__nnplayShortcuts.page``); on any other page no such button
exists and a key does nothing.
"""
import streamlit as st

KEYS = {"k": "play", " ": "play", ".": "step", "e": "epoch", "0": "reset"}
LEGEND = "Keys: **K** or **Space** ▶/⏸ · **.** one update · **E** one epoch · **0** reset"

_SCRIPT = """<script>
(() => {
  const state = window.__nnplayShortcuts || (window.__nnplayShortcuts = {page: null});
  state.page = %(page)s;
  if (state.installed) return;
  state.installed = true;
  const keys = %(keys)s;
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName)
    || (el.getAttribute && ['slider', 'combobox', 'textbox', 'listbox', 'option'].includes(el.getAttribute('role'))));
  document.addEventListener('keydown', (event) => {
    const what = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!what || !state.page || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    const names = what === 'play' ? ['play', 'pause'] : [what];
    for (const name of names) {
      const button = document.querySelector(`.st-key-${state.page}_${name} button`);
      if (button) {
        event.preventDefault();
        if (!button.disabled) button.click();
        return;
      }
    }
  }, true);
})();
</script>"""


def shortcuts(page: str) -> None:
    """The shortcuts for ``page``'s run buttons (``<page>_play`` / ``_pause`` / ``_step`` / ``_epoch`` /
    ``_reset``), and their one-line legend."""
    import json

    st.html(_SCRIPT % {"page": json.dumps(page), "keys": json.dumps(KEYS)}, unsafe_allow_javascript=True)
    st.caption(LEGEND)
