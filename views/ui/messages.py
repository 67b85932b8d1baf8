"""Messages for bad input and right/wrong tables: a sentence on the page, never a stack trace.

Every value a student or a link brought (a link's value, a formula, a file's name, a CSV cell) is shown
through ``as_text``: Streamlit draws messages as Markdown, so without it ``[Sign in](https://evil.example)``
in a link becomes a clickable outside link inside the app's own warning, ``![a](http://x/px.png)`` makes
every browser fetch an outside image, and ``x1**x1**x1**x1`` or ``__import__`` lose their stars and
underscores to bold type.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Sequence

import streamlit as st

WORD_JOINER = "\u2060"      # invisible; keeps "https://", "www.", "a@b" and ":smile:" from becoming links or emoji
# code, emphasis, links, images, HTML, math, tables, headings; an underscore inside a word (true_class) is
# never emphasis in Markdown and stays as it is
_MARKUP = re.compile(r"([\\`*\[\]<>~$|#]|(?<![^\W_])_|_(?![^\W_]))")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))(?=[.)]?(\s|$))")   # a list or numbered list at the start
_AUTOLINK = re.compile(r"(?i)(?<=\w:)(?=//)|(?<=www)(?=\.)|(?<=@)")   # GFM links found in the text itself
_SHORTCODE = re.compile(r":(?=[\w+\-/]+:)")                          # :smile:, :material/home:


def as_text(value) -> str:
    """``value`` as Markdown that Streamlit shows literally: one line, every Markdown character escaped
    and the text that GitHub-flavoured Markdown would turn into a link or an emoji broken by an invisible
    word joiner. The one helper for every echoed value (link values, formulas, file names, CSV cells)."""
    text = " ".join(str(value).split())
    text = _MARKUP.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else
                                                   m.group(2) + "\\"), text, count=1)
    text = _AUTOLINK.sub(WORD_JOINER, text)
    return _SHORTCODE.sub(":" + WORD_JOINER, text)


def plain(markdown: str) -> str:
    """What ``as_text`` escaped, back as the student typed it (for tests and logs)."""
    return re.sub(r"\\(.)", r"\1", markdown.replace(WORD_JOINER, ""))


def show_spec_error(err) -> None:
    """One readable message per problem of a SpecError (or any ValueError); the sentences echo values a link
    or a file brought, so they are shown as text."""
    problems = getattr(err, "problems", None) or {"": str(err)}
    for text in problems.values():
        st.error(as_text(text), icon="⚠️")


def bad_input(message: str, fallback: str = "the default") -> None:
    """A value on the page (typed, or set by a link) that cannot be used: say why, never raise. ``message``
    is a plain sentence (it may quote the value), shown as text."""
    st.warning(as_text(f"{message} Using {fallback} instead."), icon="⚠️")


def right_wrong_table(df, right: Sequence[bool], formats: Optional[Dict[str, str]] = None, **kwargs) -> None:
    """A table whose rows are green where ``right`` is true and red where it is false."""
    colours = ["background-color: #d4efd4" if r else "background-color: #f7d0d0" for r in right]
    styler = df.style.apply(lambda _: colours, axis=0)
    if formats:
        styler = styler.format(formats)
    st.dataframe(styler, hide_index=True, **kwargs)
