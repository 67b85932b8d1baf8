"""A teacher's "📝 Add this state as a lesson step": the page as it is now, written as a ``[[steps]]`` table.

``step_toml(page, params, lock, hide)`` gives the TOML text to paste into a lesson file (docs/LESSONS.md): the
step's page, its link (the page's own link parameters, with the teacher's ``lock=`` / ``hide=``), a text to
write, and, commented out, a goal over the metrics this page reports and a prediction to fill in. Parameters
the lesson format does not take on that page (a run id, the app's own) are left out and named, so the text
always loads (``lesson_file.load_text``).
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Tuple
from urllib.parse import quote_plus

from nncore.guide import pages

_SAFE = ",()αμ"          # kept as they are in a link: lists, preset names, Greek letters
EXAMPLE_GOAL = {"regression": "finished and val_loss < 0.02", "playground": "finished and test_accuracy >= 0.9",
                "race": "finished and adam_loss < sgd_loss", "perceptron": "gate_correct == 4"}


def _quote(value: str) -> str:
    return quote_plus(str(value), safe=_SAFE)


def step_link(page: str, params: Dict[str, str], lock: Iterable[str] = (), hide: Iterable[str] = ()
              ) -> Tuple[str, List[str]]:
    """(the step's ``link``, the parameter names left out because the page does not read them in a lesson)."""
    rules = pages.pages()[page]
    kept = {k: v for k, v in params.items() if k in rules.params}
    left_out = [k for k in params if k not in rules.params]
    for name, controls in (("lock", lock), ("hide", hide)):
        chosen = [c for c in controls if c in rules.params]
        if chosen:
            kept[name] = ",".join(chosen)
    return "&".join(f"{k}={_quote(v)}" for k, v in kept.items()), left_out


def _toml_string(text: str) -> str:
    """A TOML basic string (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def step_toml(page: str, params: Dict[str, str], lock: Iterable[str] = (), hide: Iterable[str] = (),
              title: str = "") -> Tuple[str, List[str]]:
    """(the ``[[steps]]`` text for the page in this state, the parameters left out)."""
    link, left_out = step_link(page, params, lock, hide)
    metrics = sorted(pages.pages()[page].metrics)
    lines = [
        "[[steps]]",
        f"title = {_toml_string(title or 'A step on /' + page)}",
        f"page = {_toml_string(page)}",
        f"link = {_toml_string(link)}",
        'text = """Say in your words what the student looks at here, and what to do (press **▶ Train**)."""',
    ]
    if metrics:
        lines += [f"# goal = {_toml_string(EXAMPLE_GOAL.get(page, metrics[0] + ' > 0'))}"
                  f"   # this page's metrics: {', '.join(metrics)}",
                  '# hint = "What to try when the goal is not met."']
    else:
        lines.append("# (this page reports no run: a step here may ask a prediction, not set a goal)")
    lines += ["# [steps.prediction]",
              '# question = "What will happen when you press ▶ Train?"',
              '# choices = ["…", "…", "…"]',
              "# answer = 1          # the right choice, counted from 1",
              '# why = "What the run shows, with its numbers."']
    return "\n".join(lines) + "\n", left_out
