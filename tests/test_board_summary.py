"""What the board shows from a class's submissions: the room, the leaderboard, the CSV (pure functions)."""
import csv
import io

from nncore.board import figures as F
from nncore.board import summary
from nncore.board.store import Board, Student, Submission


def _board():
    students = [Student(1, "Ana", 0.0), Student(2, "Bo", 0.0), Student(3, "Cy", 0.0)]
    subs = [
        Submission(1, 1, "Ana", "playground", "/playground?a=1", {F.DATA: "xor", F.TEST_ACCURACY: 0.7,
                                                                   F.PARAMETERS: 25}, 10.0),
        Submission(2, 1, "Ana", "playground", "/playground?a=2", {F.DATA: "xor", F.TEST_ACCURACY: 0.9,
                                                                   F.PARAMETERS: 41}, 20.0),
        Submission(3, 2, "Bo", "playground", "/playground?b=1", {F.DATA: "xor", F.TEST_ACCURACY: 0.95,
                                                                  F.PARAMETERS: 9}, 30.0),
        Submission(4, 2, "Bo", "regression", "/regression?b=2", {F.DATA: "line", F.TEST_COST: 0.5}, 40.0),
        Submission(5, 1, "Ana", "regression", "/regression?a=3", {F.DATA: "line", F.TEST_COST: 0.2}, 50.0),
        Submission(6, 1, "Ana", "playground", "/playground?a=4", {F.DATA: "circle"}, 60.0),     # no score yet
    ]
    return Board("KTRAMW", 0.0, students, subs)


def test_the_room_counts_runs_per_page_and_links_the_latest():
    rows = summary.room(_board())
    assert rows[0] == {"student": "Ana", "runs": 4, "playground": 3, "regression": 1,
                       "latest run": "/playground?a=4"}
    assert rows[1]["runs"] == 2 and rows[2] == {"student": "Cy", "runs": 0, "playground": 0, "regression": 0,
                                                "latest run": None}


def test_the_leaderboard_keeps_each_students_best_run_per_page_and_data_best_first():
    rows = summary.leaderboard(_board())
    assert [(r["page"], r["data"], r["student"], r["value"]) for r in rows] == [
        ("playground", "xor", "Bo", 0.95), ("playground", "xor", "Ana", 0.9),
        ("regression", "line", "Ana", 0.2), ("regression", "line", "Bo", 0.5)]
    assert rows[1]["parameters"] == 41 and rows[1]["run"] == "/playground?a=2"
    assert rows[2]["measure"] == F.TEST_COST


def test_hidden_names_are_numbered_in_join_order():
    assert [r["student"] for r in summary.room(_board(), show_names=False)] == ["student 1", "student 2",
                                                                               "student 3"]
    assert {r["student"] for r in summary.leaderboard(_board(), show_names=False)} == {"student 1", "student 2"}


def test_the_csv_has_every_submission():
    rows = list(csv.reader(io.StringIO(summary.to_csv(_board()))))
    assert rows[0] == ["sent (UTC)", "nickname", "page", "link", "figures"]
    assert len(rows) == 7 and rows[1][0] == "1970-01-01T00:00:10+00:00" and rows[2][1:4] == [
        "Ana", "playground", "/playground?a=2"]


def _with_lessons():
    b = _board()
    step = lambda sid, k, t, **kw: Submission(100 + len(b.submissions), sid, "?", F.LESSON_PAGE,  # noqa: E731
                                              f"/regression?lesson=004-regression&step={k}",
                                              F.lesson_figures("004-regression", f"step {k}", k, 4, **kw), t)
    b.submissions.extend([
        step(1, 1, 70.0, answer=2, right=True),
        step(1, 1, 80.0, answer=2, right=True, goal=True, done=True),       # the later word on step 1 wins
        step(1, 2, 90.0, answer=1, right=False, goal=False),
        step(2, 1, 95.0, answer=3, right=False),
    ])
    return b


def test_lesson_steps_are_a_table_of_students_by_steps_and_not_runs():
    b = _with_lessons()
    table = summary.lessons(b)["004-regression"]
    assert table["steps"] == 4 and table["titles"][2] == "step 2"
    assert table["rows"] == [
        {"student": "Ana", "1": "✅ 🤔✓2", "2": "🎯✗ 🤔✗1", "3": "", "4": "", "done": 1},
        {"student": "Bo", "1": "🤔✗3", "2": "", "3": "", "4": "", "done": 0}]
    assert summary.lessons(b, show_names=False)["004-regression"]["rows"][1]["student"] == "student 2"
    # a lesson step is not a run: the room, the leaderboard and the results are as before
    assert summary.room(b) == summary.room(_board()) and summary.leaderboard(b) == summary.leaderboard(_board())


def test_the_rooms_results_are_each_students_best_per_page_and_data():
    res = summary.results(_with_lessons())
    assert res == {("playground", "xor", F.TEST_ACCURACY): [0.95, 0.9],
                   ("regression", "line", F.TEST_COST): [0.2, 0.5]}


def test_the_results_histogram_bins_accuracies_by_tenths_and_costs_by_their_range():
    from nncore.figures import board_plots

    acc = board_plots.results_histogram([0.95, 0.9, 0.52], "playground", "xor", F.TEST_ACCURACY)
    trace = acc.data[0]
    assert list(trace.x) == [0.95, 0.9, 0.52] and trace.xbins.size == 0.1 and trace.xbins.start == 0.0
    assert "(3 students)" in acc.layout.title.text and acc.layout.xaxis.range == (0, 1.0001)
    cost = board_plots.results_histogram([0.2], "regression", "line", F.TEST_COST)
    assert cost.data[0].xbins.size is None and "(1 student)" in cost.layout.title.text
