"""A lesson file: TOML read with the stdlib's ``tomllib``, checked once, with one sentence per problem.

The format (docs/LESSONS.md has a complete example)::

    title = "Gradient descent fits a line"
    course = "004"                      # the course note it follows
    summary = "…"

    [[steps]]
    title = "Fit the line"
    page = "regression"                 # a page's URL path (nncore.guide.pages)
    link = "preset=…&lock=lr"           # the page's own link parameters (with a teacher's lock/hide)
    text = "…"                          # what to look at, in the course's words (§ of the note)
    goal = "val_loss < 0.02 within 50 epochs"   # optional: nncore.guide.goals
    hint = "…"                          # shown with ✗ when a finished run misses the goal
    [steps.prediction]                  # optional: asked before the run
    question = "…"
    choices = ["…", "…", "…"]
    answer = 2                          # 1-based, the choice that is right
    why = "…"

``load_text(text, name)`` returns a ``Lesson`` or raises ``LessonError`` whose ``problems`` are sentences
(all of them, not only the first); nothing else escapes, whatever the file holds.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qsl

from nncore.guide import goals, pages

MAX_BYTES = 64 * 1024
MAX_STEPS = 40
MAX_TEXT = 3000               # characters of a step's text
MAX_SHORT = 200               # a title, a question, a choice
MAX_LINK = 1000
MAX_CHOICES = 6
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
BUNDLED = Path(__file__).resolve().parents[2] / "assets" / "lessons"
_TOP = {"title", "course", "summary", "steps"}
_STEP = {"title", "page", "link", "text", "goal", "hint", "prediction"}
_PREDICTION = {"question", "choices", "answer", "why"}


class LessonError(ValueError):
    """A lesson file that cannot be used; ``problems`` holds one sentence per problem."""

    def __init__(self, problems: List[str]):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Prediction:
    question: str
    choices: Tuple[str, ...]
    answer: int                 # 0-based index into choices (the file writes it 1-based)
    why: str


@dataclass(frozen=True)
class Step:
    title: str
    page: str
    link: Tuple[Tuple[str, str], ...]     # the page's parameters, in the file's order
    text: str
    goal: Optional[goals.Goal] = None
    hint: str = ""
    prediction: Optional[Prediction] = None

    @property
    def query(self) -> Dict[str, str]:
        return dict(self.link)


@dataclass(frozen=True)
class Lesson:
    name: str                   # the file's stem: the ``lesson=`` of a link
    title: str
    course: str
    summary: str
    steps: Tuple[Step, ...]


def load_path(path) -> Lesson:
    """The lesson in the file ``path`` (its stem is the lesson's name)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LessonError([_too_large(size)])
        data = path.read_bytes()
    except OSError as err:
        raise LessonError([f"The lesson file {path.name!r} cannot be read ({err.strerror or err})."]) from None
    return load_bytes(data, path.stem)


def load_bytes(data: bytes, name: str) -> Lesson:
    """A lesson from an uploaded or read file's bytes: size-capped before anything is parsed."""
    if len(data) > MAX_BYTES:
        raise LessonError([_too_large(len(data))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LessonError(["The lesson file is not UTF-8 text; save it as UTF-8."]) from None
    return load_text(text, name)


def _too_large(size: int) -> str:
    return f"The lesson file has {size:,} bytes; at most {MAX_BYTES // 1024} KiB are allowed."


def load_text(text: str, name: str) -> Lesson:
    """The lesson written in ``text`` (TOML), named ``name``, checked; LessonError with sentences if not."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LessonError([_too_large(len(text.encode("utf-8", "surrogatepass")))])
    if not NAME.match(name or ""):
        raise LessonError([f"The lesson's name {str(name)[:40]!r} must be 1-40 lowercase letters, digits, - or _ "
                           f"(it is the file's name and the link's lesson=)."])
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LessonError([f"The lesson file is not valid TOML: {err}."]) from None
    except RecursionError:
        raise LessonError(["The lesson file nests too deeply to be read."]) from None
    problems: List[str] = []
    problems += _unknown_keys(doc, _TOP, "the lesson")
    title = _text(doc, "title", "the lesson", problems, MAX_SHORT)
    course = _text(doc, "course", "the lesson", problems, 20, required=False)
    summary = _text(doc, "summary", "the lesson", problems, MAX_TEXT, required=False)
    raw_steps = doc.get("steps")
    steps: List[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append("The lesson has no steps: add at least one [[steps]] table.")
    elif len(raw_steps) > MAX_STEPS:
        problems.append(f"The lesson has {len(raw_steps)} steps; at most {MAX_STEPS} are allowed.")
    else:
        for k, raw in enumerate(raw_steps, 1):
            step = _step(raw, k, problems)
            if step is not None:
                steps.append(step)
    if problems:
        raise LessonError(problems)
    return Lesson(name, title, course, summary, tuple(steps))


def _unknown_keys(table: dict, known: set, where: str) -> List[str]:
    extra = [k for k in table if k not in known]
    if not extra:
        return []
    return [f"{where[0].upper() + where[1:]} has the key {extra[0][:40]!r}, which lessons do not use; the keys are "
            f"{', '.join(sorted(known))}."]


def _text(table: dict, key: str, where: str, problems: List[str], cap: int, required: bool = True) -> str:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{where[0].upper() + where[1:]} has no {key}: add {key} = \"…\".")
        return ""
    if not isinstance(value, str):
        problems.append(f"The {key} of {where} must be text in quotes, not {type(value).__name__}.")
        return ""
    if len(value) > cap:
        problems.append(f"The {key} of {where} has {len(value):,} characters; at most {cap:,} are allowed.")
        return ""
    return value.strip()


def _step(raw, k: int, problems: List[str]) -> Optional[Step]:
    where = f"step {k}"
    if not isinstance(raw, dict):
        problems.append(f"Step {k} must be a [[steps]] table.")
        return None
    before = len(problems)
    problems += _unknown_keys(raw, _STEP, where)
    title = _text(raw, "title", where, problems, MAX_SHORT)
    page = _text(raw, "page", where, problems, 40)
    text = _text(raw, "text", where, problems, MAX_TEXT)
    hint = _text(raw, "hint", where, problems, MAX_SHORT * 2, required=False)
    link_text = _text(raw, "link", where, problems, MAX_LINK, required=False)
    rules = pages.pages().get(page)
    if page and rules is None:
        problems.append(f"Step {k} opens the page {page!r}, which nnplay does not have; the pages are "
                        f"{', '.join(pages.pages())}.")
    link = _link(link_text, page, rules, k, problems) if rules else ()
    goal = None
    if "goal" in raw:
        goal_text = _text(raw, "goal", where, problems, goals.MAX_LENGTH + 50)
        if goal_text:
            try:
                goal = goals.parse_goal(goal_text, rules.metrics if rules else None)
            except goals.GoalError as err:
                problems.append(f"Step {k}: {err}")
    prediction = _prediction(raw.get("prediction"), k, problems) if "prediction" in raw else None
    if len(problems) > before:
        return None
    return Step(title, page, link, text, goal, hint, prediction)


def _link(text: str, page: str, rules: pages.PageRules, k: int, problems: List[str]) -> tuple:
    """The step's link as (name, value) pairs, each name one the page reads; a preset one it has."""
    text = text.lstrip("?")
    if not text:
        return ()
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        problems.append(f"Step {k}'s link {text[:60]!r} is not a query string like \"preset=xor-model-1&lr=0.01\".")
        return ()
    allowed = rules.params | set(pages.TEACHER_PARAMS) | set(pages.APP_PARAMS)
    for name, value in pairs:
        if name in ("lesson", "step"):
            problems.append(f"Step {k}'s link sets {name}=, which the lesson adds itself; remove it.")
        elif name not in allowed:
            problems.append(f"Step {k}'s link sets {name[:40]!r}, which the page {page!r} does not read.")
        elif name in pages.TEACHER_PARAMS:
            for control in (c.strip() for c in value.split(",") if c.strip()):
                if control not in rules.params:
                    problems.append(f"Step {k}'s link asks to {name} {control[:40]!r}, which is not a control of "
                                    f"the page {page!r}.")
        elif name == "preset":
            known = pages.presets(page)
            if value not in known:
                problems.append(f"Step {k}'s link asks for the preset {value[:60]!r}, which the page {page!r} does "
                                f"not have; its presets are {', '.join(sorted(known))}.")
    if len({n for n, _ in pairs}) != len(pairs):
        problems.append(f"Step {k}'s link sets a parameter twice.")
    return tuple(pairs)


def _prediction(raw, k: int, problems: List[str]) -> Optional[Prediction]:
    where = f"step {k}'s prediction"
    if not isinstance(raw, dict):
        problems.append(f"Step {k}'s prediction must be a [steps.prediction] table.")
        return None
    problems += _unknown_keys(raw, _PREDICTION, where)
    question = _text(raw, "question", where, problems, MAX_SHORT * 2)
    why = _text(raw, "why", where, problems, MAX_TEXT)
    choices = raw.get("choices")
    if (not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES
            or not all(isinstance(c, str) and 0 < len(c) <= MAX_SHORT for c in choices)):
        problems.append(f"Step {k}'s prediction needs choices = [\"…\", \"…\"]: 2 to {MAX_CHOICES} short texts.")
        return None
    answer = raw.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= len(choices):
        problems.append(f"Step {k}'s prediction has answer = {str(answer)[:20]}; it must be the number of the right "
                        f"choice, 1 to {len(choices)}.")
        return None
    return Prediction(question, tuple(c.strip() for c in choices), answer - 1, why)


def bundled() -> Dict[str, Lesson]:
    """Every lesson in assets/lessons/ (name → lesson); a bad bundled file raises (a test loads them all)."""
    return {p.stem: load_path(p) for p in sorted(BUNDLED.glob("*.toml"))}


def from_folder(folder) -> Tuple[Dict[str, Lesson], Dict[str, List[str]]]:
    """The lessons of a teacher's folder (``NNPLAY_LESSONS_DIR``) and the problems of the files that failed."""
    good: Dict[str, Lesson] = {}
    bad: Dict[str, List[str]] = {}
    for path in sorted(Path(folder).glob("*.toml"))[:200]:
        try:
            good[path.stem] = load_path(path)
        except LessonError as err:
            bad[path.name] = err.problems
    return good, bad
