"""A student's progress through the lessons, kept per session, and the progress link that resumes it.

A step is *done* when its goal was met on the student's run (or, for a step without a goal, when the student
went on with Next). The link writes it compactly: ``?progress=004-regression:1c2.2c3.3,003-perceptron:1``
(1-based step numbers, as the panel shows them); ``c<k>`` adds the prediction's chosen answer (1-based), and
a step answered but not done yet is written ``a<step>c<k>``. Reading a link drops what does not match a known
lesson.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Set

MAX_LINK = 2000
_TOKEN = re.compile(r"^(?P<open>a?)(?P<step>\d{1,3})(?:c(?P<choice>\d))?$")


@dataclass
class Progress:
    done: Dict[str, Set[int]] = field(default_factory=dict)      # lesson → 0-based steps done
    answers: Dict[str, Dict[int, int]] = field(default_factory=dict)   # lesson → step → chosen choice

    def mark_done(self, lesson: str, step: int) -> None:
        self.done.setdefault(lesson, set()).add(step)

    def is_done(self, lesson: str, step: int) -> bool:
        return step in self.done.get(lesson, set())

    def answer(self, lesson: str, step: int) -> Optional[int]:
        return self.answers.get(lesson, {}).get(step)

    def set_answer(self, lesson: str, step: int, choice: int) -> None:
        self.answers.setdefault(lesson, {})[step] = choice

    def count(self, lesson: str) -> int:
        return len(self.done.get(lesson, set()))

    def resume_at(self, lesson: str, n_steps: int) -> int:
        """The first step not done yet (0-based); the last when all are done."""
        done = self.done.get(lesson, set())
        return next((k for k in range(n_steps) if k not in done), max(n_steps - 1, 0))

    def to_link(self) -> str:
        """``lesson:1c2.2.a3c1,other:1`` (1-based), the lessons in name order."""
        parts = []
        for name in sorted(set(self.done) | set(self.answers)):
            done, answers = self.done.get(name, set()), self.answers.get(name, {})
            tokens = [("" if k in done else "a") + str(k + 1) + (f"c{answers[k] + 1}" if k in answers else "")
                      for k in sorted(done | set(answers))]
            if tokens:
                parts.append(f"{name}:{'.'.join(tokens)}")
        return ",".join(parts)


def from_link(text: str, lessons: Mapping[str, int], choices: Optional[Mapping[str, Mapping[int, int]]] = None
              ) -> Progress:
    """The progress a link's ``progress=`` carries; ``lessons`` maps each known lesson to its number of steps,
    ``choices`` (optional) each lesson's step to its prediction's number of choices. Unknown lessons, step
    numbers out of range and answers that are not one of the step's choices are dropped; nothing raises."""
    progress = Progress()
    for part in (text or "")[:MAX_LINK].split(","):
        name, _, steps = part.partition(":")
        if name not in lessons:
            continue
        for token in steps.split("."):
            m = _TOKEN.match(token)
            if not m or not 1 <= int(m["step"]) <= lessons[name]:
                continue
            k = int(m["step"]) - 1
            if not m["open"]:
                progress.mark_done(name, k)
            n_choices = (choices or {}).get(name, {}).get(k, 0)
            if m["choice"] and 1 <= int(m["choice"]) <= n_choices:
                progress.set_answer(name, k, int(m["choice"]) - 1)
    return progress
