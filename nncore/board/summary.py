"""What the teacher's board shows from a class's submissions: the room table, the leaderboard, the lesson steps,
the room's results for a histogram, the CSV.

Pure functions of ``store.Board``: the page only lays them out.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Dict, List

from nncore.board import figures as F
from nncore.board.store import Board


def _runs(board: Board):
    """The submissions that are runs (a lesson step is not)."""
    return [s for s in board.submissions if s.page != F.LESSON_PAGE]


def _names(board: Board, show_names: bool) -> Dict[int, str]:
    return {s.id: (s.nickname if show_names else f"student {i}") for i, s in enumerate(board.students, 1)}


def room(board: Board, show_names: bool = True) -> List[Dict[str, Any]]:
    """One row per student: runs sent per page, and the link of their latest run (None before any)."""
    runs = _runs(board)
    pages = sorted({s.page for s in runs})
    names = _names(board, show_names)
    rows = []
    for student in board.students:
        mine = [s for s in runs if s.student_id == student.id]
        row = {"student": names[student.id], "runs": len(mine)}
        row.update({p: sum(1 for s in mine if s.page == p) for p in pages})
        row["latest run"] = mine[-1].link if mine else None
        rows.append(row)
    return rows


def _score(sub):
    """Higher is better: the test accuracy, else minus the test cost, else minus the training cost."""
    f = sub.figures
    for name, sign in ((F.TEST_ACCURACY, 1), (F.TEST_COST, -1), (F.TRAIN_COST, -1)):
        if isinstance(f.get(name), (int, float)) and not isinstance(f.get(name), bool):
            return name, sign * f[name]
    return None, None


def leaderboard(board: Board, show_names: bool = True) -> List[Dict[str, Any]]:
    """Per page and data set, each student's best run (by test accuracy, else the lowest test or training
    cost J), best first, with its parameter count and link."""
    names = _names(board, show_names)
    best: Dict[tuple, Any] = {}
    for sub in _runs(board):
        measure, score = _score(sub)
        if measure is None:
            continue
        group = (sub.page, str(sub.figures.get(F.DATA, "")), measure, sub.student_id)
        if group not in best or score > best[group][0]:
            best[group] = (score, sub)
    rows = [{"page": g[0], "data": g[1], "student": names.get(g[3], "?"), "measure": g[2],
             "value": sub.figures[g[2]], F.PARAMETERS: sub.figures.get(F.PARAMETERS), "run": sub.link,
             "_score": score} for g, (score, sub) in best.items()]
    rows.sort(key=lambda r: (r["page"], r["data"], r["measure"], -r["_score"]))
    for r in rows:
        del r["_score"]
    return rows


def results(board: Board) -> Dict[tuple, List[float]]:
    """The room's results for a histogram: per (page, data set, measure), each student's best value (the
    leaderboard's measure: test accuracy, else test cost J, else training cost J)."""
    out: Dict[tuple, List[float]] = {}
    for row in leaderboard(board):
        out.setdefault((row["page"], row["data"], row["measure"]), []).append(float(row["value"]))
    return out


def _cell(f: Dict[str, Any]) -> str:
    """One student's step: ✅ done · 🎯 goal met / ✗ missed · 🤔✓ / 🤔✗ the prediction (its answer)."""
    marks = ["✅" if f.get(F.DONE) else ""]
    if f.get(F.GOAL) == "met" and not f.get(F.DONE):
        marks.append("🎯")
    elif f.get(F.GOAL) == "missed":
        marks.append("🎯✗")
    if f.get(F.PREDICTION):
        marks.append(f"🤔{'✓' if f[F.PREDICTION] == 'right' else '✗'}{f.get(F.ANSWER, '')}")
    return " ".join(m for m in marks if m)


def lessons(board: Board, show_names: bool = True) -> Dict[str, Dict[str, Any]]:
    """Per lesson: ``{"steps": n, "titles": {k: title}, "rows": [{"student", "1", "2", …, "done"}]}``, one row
    per student who sent a step of it; each cell is that student's latest word on the step (``_cell``)."""
    names = _names(board, show_names)
    latest: Dict[tuple, Dict[str, Any]] = {}
    for sub in board.submissions:                      # in the order sent: a later word on a step wins
        f = sub.figures
        if sub.page == F.LESSON_PAGE and isinstance(f.get(F.LESSON), str) and isinstance(f.get(F.STEP), int):
            latest[(f[F.LESSON], sub.student_id, f[F.STEP])] = f
    out: Dict[str, Dict[str, Any]] = {}
    for (lesson, sid, step), f in latest.items():
        entry = out.setdefault(lesson, {"steps": 0, "titles": {}, "cells": {}})
        entry["steps"] = max(entry["steps"], int(f.get(F.STEPS, step)), step)
        entry["titles"][step] = f.get(F.STEP_TITLE, "")
        entry["cells"].setdefault(sid, {})[step] = f
    for entry in out.values():
        rows = []
        for sid in [s.id for s in board.students if s.id in entry["cells"]]:
            cells = entry["cells"][sid]
            row = {"student": names.get(sid, "?")}
            row.update({str(k): _cell(cells[k]) if k in cells else "" for k in range(1, min(entry["steps"], 40) + 1)})
            row["done"] = sum(1 for f in cells.values() if f.get(F.DONE))
            rows.append(row)
        entry["rows"] = rows
        del entry["cells"]
    return out


def to_csv(board: Board) -> str:
    """Every submission, one line each: time (UTC, ISO), nickname, page, link, then the key figures as JSON."""
    import datetime as dt

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["sent (UTC)", "nickname", "page", "link", "figures"])
    for s in board.submissions:
        when = dt.datetime.fromtimestamp(s.sent, dt.timezone.utc).isoformat(timespec="seconds")
        # a cell starting with = + - @ would be a formula in a spreadsheet: prefix it with '
        nick = "'" + s.nickname if s.nickname[:1] in "=+-@\t\r" else s.nickname
        w.writerow([when, nick, s.page, s.link, json.dumps(s.figures, ensure_ascii=False)])
    return out.getvalue()
