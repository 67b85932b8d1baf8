"""Messages for bad input and right/wrong tables: a sentence on the page, never a stack trace."""
from __future__ import annotations

from typing import Dict, Optional, Sequence

import streamlit as st


def show_spec_error(err) -> None:
    """One readable message per problem of a SpecError (or any ValueError)."""
    problems = getattr(err, "problems", None) or {"": str(err)}
    for text in problems.values():
        st.error(text, icon="⚠️")


def bad_input(message: str, fallback: str = "the default") -> None:
    """A value on the page (typed, or set by a link) that cannot be used: say why, never raise."""
    st.warning(f"{message} Using {fallback} instead.", icon="⚠️")


def right_wrong_table(df, right: Sequence[bool], formats: Optional[Dict[str, str]] = None, **kwargs) -> None:
    """A table whose rows are green where ``right`` is true and red where it is false."""
    colours = ["background-color: #d4efd4" if r else "background-color: #f7d0d0" for r in right]
    styler = df.style.apply(lambda _: colours, axis=0)
    if formats:
        styler = styler.format(formats)
    st.dataframe(styler, hide_index=True, **kwargs)
