"""What the teacher's board shows from a class's submissions: the room table, the leaderboard, the CSV.

Pure functions of ``store.Board``: the page only lays them out.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Dict, List

from nncore.board import figures as F
from nncore.board.store import Board


def room(board: Board, show_names: bool = True) -> List[Dict[str, Any]]:
    """One row per student: runs sent per page, and the link of their latest run (None before any)."""
    pages = sorted({s.page for s in board.submissions})
    rows = []
    for i, student in enumerate(board.students, 1):
        mine = [s for s in board.submissions if s.student_id == student.id]
        row = {"student": student.nickname if show_names else f"student {i}", "runs": len(mine)}
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
    names = {s.id: (s.nickname if show_names else f"student {i}") for i, s in enumerate(board.students, 1)}
    best: Dict[tuple, Any] = {}
    for sub in board.submissions:
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
