"""/lessons: the guided lessons (nncore.guide), their steps, this session's progress and its resume link."""
import streamlit as st

from nncore.guide import lesson_file
from nncore.guide.progress import from_link
from views.ui import lesson_panel as panel

st.title("📘 Lessons: the course, one step at a time")
st.markdown("Each lesson follows one course note through the pages: a short text, a question to answer "
            "*before* you train, and a goal your own run must reach (the page checks it: ✓). Start one, "
            "then follow **Next →**.")

UPLOAD_SAID = "lesson._upload_said"


def take_upload() -> None:
    """The uploaded file, checked before this run draws the cards (so a good lesson is listed at once)."""
    upload = st.session_state.get("lesson_upload")
    if upload is None:
        st.session_state.pop(UPLOAD_SAID, None)
        return
    name = upload.name.rsplit(".", 1)[0].lower()
    try:
        lesson = lesson_file.load_bytes(upload.getvalue()[: lesson_file.MAX_BYTES + 1], name)
    except lesson_file.LessonError as err:
        st.session_state[UPLOAD_SAID] = ("error", err.problems[:20])
    else:
        st.session_state.setdefault(panel.UPLOADED, {})[lesson.name] = lesson
        st.session_state[UPLOAD_SAID] = ("ok", [f"The lesson {lesson.title!r} ({len(lesson.steps)} step"
                                                f"{'s' * (len(lesson.steps) != 1)}) is ready above."])


lessons = panel.lessons()
progress = panel.progress()
if "progress" in st.query_params and not st.session_state.get("lesson._resumed"):
    st.session_state["lesson._resumed"] = True            # a progress link: the steps it says are done
    kept = from_link(st.query_params["progress"], {n: len(les.steps) for n, les in lessons.items()},
                     {n: {k: len(step.prediction.choices) for k, step in enumerate(les.steps) if step.prediction}
                      for n, les in lessons.items()})
    for name, steps in kept.done.items():
        for k in steps:
            progress.mark_done(name, k)
    for name, answers in kept.answers.items():
        for k, choice in answers.items():
            progress.set_answer(name, k, choice)

for name, lesson in lessons.items():
    n = len(lesson.steps)
    with st.container(border=True, key=f"lesson_card_{name}"):
        head, go = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"### {lesson.title}\n{'course ' + lesson.course + ' · ' if lesson.course else ''}"
                      f"{progress.count(name)} of {n} steps done")
        at = progress.resume_at(name, n)
        if go.button("▶ Start" if not progress.count(name) else f"▶ Resume at step {at + 1}",
                     key=f"lesson_start_{name}", type="primary", width="stretch"):
            panel.goto(lesson, at)
        if lesson.summary:
            st.caption(lesson.summary)
        for k, step in enumerate(lesson.steps):
            mark = "✅" if progress.is_done(name, k) else "⬜"
            extras = " · 🤔 prediction" * (step.prediction is not None) + (
                f" · 🎯 `{step.goal.text}`" if step.goal else "")
            st.markdown(f"{mark} {k + 1}. **{step.title}** (/{step.page}){extras}")

st.subheader("Your progress link")
link = progress.to_link()
if link:
    st.code(f"/lessons?progress={link}", language=None)
    st.caption("Copy it to come back later: it marks the steps you have done and keeps your predictions' "
               "answers, and ▶ Resume goes on from there.")
else:
    st.caption("No step done yet in this session.")

# open after an upload: a new lesson's card above moves this box, and a moved box is drawn anew (closed)
folder_problems = panel.folder_lessons()[1]
with st.expander("📤 A teacher's lesson file" + (f" ({len(folder_problems)} in the lessons folder cannot be read)"
                                                if folder_problems else ""),
                 expanded=bool(st.session_state.get(UPLOAD_SAID))):
    st.markdown(f"Upload a lesson written in the format of [docs/LESSONS.md]; at most "
                f"{lesson_file.MAX_BYTES // 1024} KiB. A folder of lessons can also be given to the server with "
                f"`{panel.FOLDER_ENV}`.")
    st.file_uploader("lesson file (.toml)", type=["toml"], key="lesson_upload", on_change=take_upload)
    said = st.session_state.get(UPLOAD_SAID)
    if said:
        kind, lines = said
        for line in lines:
            (st.success if kind == "ok" else st.error)(line, icon="📘")
    for file, problems in folder_problems.items():
        st.error(f"{file}: {problems[0]}", icon="📘")
