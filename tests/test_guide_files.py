"""Lesson files (nncore.guide.lesson_file): every bundled lesson loads; each bad file gives readable sentences."""
import pytest

from nncore.guide import lesson_file as lf

GOOD = '''
title = "A lesson"
[[steps]]
title = "One"
page = "regression"
link = "preset=Course+example+(course+004)"
text = "Train."
goal = "finished and val_loss < 0.02"
hint = "Train longer."
[steps.prediction]
question = "Where is w?"
choices = ["2", "1.76"]
answer = 2
why = "Because."
'''


def bad(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def test_the_good_file_loads():
    lesson = lf.load_text(GOOD, "a-lesson")
    step = lesson.steps[0]
    assert (step.page, step.prediction.answer) == ("regression", 1)
    assert step.query == {"preset": "Course example (course 004)"}
    assert step.goal.check({"finished": True, "val_loss": 0.017}) is True


def test_every_bundled_lesson_loads():
    lessons = lf.bundled()
    assert {"004-regression", "003-perceptron"} <= set(lessons)
    for lesson in lessons.values():
        assert lesson.steps and lesson.title


CASES = {
    "unknown page": (bad('page = "regression"', 'page = "regresion"'), "does not have"),
    "unknown metric": (bad("val_loss < 0.02", "val_los < 0.02"), "no page reports"),
    "metric of another page": (bad("val_loss < 0.02", "test_accuracy > 0.9"), "does not report"),
    "attribute access": (bad("val_loss < 0.02", "val_loss.__class__ < 0.02"), "attribute"),
    "dunder attribute": (bad("finished and val_loss < 0.02", "().__class__.__bases__"), "not allowed"),
    "a call": (bad("val_loss < 0.02", "__import__('os') < 0.02"), "call"),
    "a string": (bad("val_loss < 0.02", "val_loss < 'x'"), "not allowed"),
    "arithmetic": (bad("val_loss < 0.02", "val_loss * 2 < 0.02"), "Arithmetic"),
    "unreadable goal": (bad("val_loss < 0.02", "val_loss <"), "cannot be read"),
    "unknown link parameter": (bad("link = \"", "link = \"bogus=1&"), "'bogus', which the page"),
    "unknown preset": (bad("preset=Course+example+(course+004)", "preset=nope"), "preset 'nope'"),
    "lock of no control": (bad("link = \"", "link = \"lock=nothing&"), "not a control"),
    "link sets the lesson": (bad("link = \"", "link = \"lesson=x&"), "the lesson adds itself"),
    "bad query string": (bad("link = \"preset=Course+example+(course+004)\"", "link = \"a&&=b\""), "query string"),
    "not TOML": ("title = [unclosed", "not valid TOML"),
    "no steps": ('title = "x"', "no steps"),
    "answer out of range": (bad("answer = 2", "answer = 5"), "answer = 5"),
    "one choice": (bad('choices = ["2", "1.76"]', 'choices = ["2"]'), "2 to 6"),
    "unknown key": (bad('hint = "Train longer."', 'hnt = "x"'), "'hnt'"),
    "no title": (bad('title = "One"\n', ""), "has no title"),
    "text is a number": (bad('text = "Train."', "text = 3"), "must be text"),
    "too many steps": ('title = "x"\n' + "[[steps]]\ntitle='a'\npage='perceptron'\ntext='t'\n" * (lf.MAX_STEPS + 1),
                       "at most"),
    "ten megabytes": ("# " + "x" * 10_000_000, "KiB"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_gives_one_readable_sentence(case):
    text, words = CASES[case]
    with pytest.raises(lf.LessonError) as err:
        lf.load_text(text, "bad")
    problems = err.value.problems
    assert len(problems) == 1, problems
    sentence = problems[0]
    assert words in sentence and sentence[0].isupper() and sentence.endswith((".", ")")) and len(sentence) < 400


def test_a_ten_megabyte_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * 10_000_000)
    with pytest.raises(lf.LessonError, match="at most 64 KiB"):
        lf.load_path(path)
    with pytest.raises(lf.LessonError, match="at most 64 KiB"):
        lf.load_bytes(path.read_bytes(), "huge")


def test_bad_names_and_bytes():
    with pytest.raises(lf.LessonError, match="lowercase"):
        lf.load_text(GOOD, "../etc/passwd")
    with pytest.raises(lf.LessonError, match="UTF-8"):
        lf.load_bytes(b"\xff\xfe title", "x")


def test_a_teachers_folder_keeps_the_good_and_names_the_bad(tmp_path):
    (tmp_path / "good.toml").write_text(GOOD)
    (tmp_path / "bad.toml").write_text(bad('page = "regression"', 'page = "nowhere"'))
    good, problems = lf.from_folder(tmp_path)
    assert list(good) == ["good"] and "nowhere" in problems["bad.toml"][0]
