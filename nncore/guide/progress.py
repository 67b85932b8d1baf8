"""A student's progress through the lessons, kept per session, and the progress link that resumes it.

A step is *done* when its goal was met on the student's run (or, for a step without a goal, when the student
went on with Next). The link writes it compactly: ``?progress=004-regression:1.2.3,003-perceptron:1``
(1-based step numbers, as the panel shows them); reading a link drops what does not match a known lesson.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Set

MAX_LINK = 2000


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
        """``lesson:1.2.3,other:1`` (1-based), the lessons in name order."""
        parts = [f"{name}:{'.'.join(str(k + 1) for k in sorted(steps))}"
                 for name, steps in sorted(self.done.items()) if steps]
        return ",".join(parts)


def from_link(text: str, lessons: Mapping[str, int]) -> Progress:
    """The progress a link's ``progress=`` carries; ``lessons`` maps each known lesson to its number of steps.
    Unknown lessons and step numbers out of range are dropped; nothing raises."""
    progress = Progress()
    for part in (text or "")[:MAX_LINK].split(","):
        name, _, steps = part.partition(":")
        if name not in lessons:
            continue
        for token in steps.split("."):
            if token.isdigit() and 1 <= int(token) <= lessons[name]:
                progress.mark_done(name, int(token) - 1)
    return progress
