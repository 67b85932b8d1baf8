"""/class: the class board. A teacher creates a class (a student link with its code, a teacher link with its
secret key); students join with a nickname and send runs from the live pages ("📤 Send to class"); the
teacher's link opens the board: the room, a leaderboard per page and data set, CSV, remove a nickname, close.

The teacher key is read from this page's link only and is never put into another link; the student link
(``?code=``) cannot open the board. A student's link gets their seat token (``&seat=``) once they join, so a
reload gives them their seat back (``views/ui/send_to_class``). The storage and its limits: ``nncore.board``
and docs/BOARD.md.
"""
import streamlit as st

from nncore.board import checks, keys
from nncore.board import summary as board_summary
from nncore.board.errors import BoardError
from nncore.board.figures import LESSON_PAGE
from nncore.board.store import WRONG_KEY
from nncore.figures import board_plots
from views.ui.components import figure
from views.ui.messages import as_text
from views.ui.send_to_class import MEMBER, membership, seat_link, session_id, store

st.title("👩‍🏫 Class board")
REFRESH_S = 1.5          # the board reads the database this often: a send shows within 2 s


def base_url() -> str:
    return (st.context.url or "").split("?")[0] or "/class"


def show_error(e: BoardError) -> None:
    st.error(str(e))


def create_class() -> None:
    st.subheader("Start a class")
    st.markdown("A class has a **student link** (its code: students join with a nickname, no account) and a "
                "**teacher link** that opens the board. Keep the teacher link to yourself.")
    if st.button("➕ Create a class", key="board._create"):
        try:
            st.session_state["board.created"] = store().create_class()
        except BoardError as e:
            show_error(e)
    created = st.session_state.get("board.created")
    if created:
        code, key = created
        st.success(f"Class **{code}** is open.")
        st.markdown("**Student link** (put it on the projector):")
        st.code(f"{base_url()}?code={code}", language=None)
        st.markdown("**Teacher link** (opens the board: do not share it):")
        st.code(f"{base_url()}?code={code}&key={key}", language=None)
        st.link_button("Open the board", f"{base_url()}?code={code}&key={key}")


def keep_seat(member) -> None:
    """Write the student's seat into this page's link, which the tab keeps: a reload finds the seat."""
    for name, value in seat_link(member).items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def join_class(code: str) -> None:
    member = membership()
    if member and member["code"] == code:
        keep_seat(member)
        st.success(f"You are in class **{code}** as **{as_text(member['nickname'])}**. Open a live page "
                   "(Playground, Regression, Race, MNIST) and use **📤 Send to class** on it.")
        return
    st.subheader(f"Join class {code}")
    with st.form("board_join"):
        name = st.text_input("Your nickname (any letters, up to 40 characters)", key="board._nickname",
                             max_chars=40)
        joined = st.form_submit_button("Join")
    if joined:
        try:
            sid = store().join(code, name, session_id())
            st.session_state[MEMBER] = {"code": code, "id": sid, "nickname": checks.nickname(name)}
            keep_seat(st.session_state[MEMBER])
            st.rerun()
        except BoardError as e:
            show_error(e)


def lesson_table(lessons) -> None:
    """Students × steps of each lesson they sent steps of: ✅ done, 🎯 goal met (🎯✗ missed), 🤔✓2 / 🤔✗1 the
    prediction answered (its choice)."""
    if not lessons:
        return
    st.markdown("**Lessons** (students × steps: ✅ done · 🎯 goal met, 🎯✗ missed · 🤔✓ prediction right, "
                "🤔✗ wrong, with the choice)")
    for name, table in lessons.items():
        st.caption(f"Lesson {name}: " + " · ".join(f"{k} {t}" for k, t in sorted(table["titles"].items())))
        st.dataframe(table["rows"], hide_index=True, key=f"board_lesson_{name}")


def teacher_board(code: str, key: str) -> None:
    try:
        board = store().board(code, key)
    except BoardError as e:              # a wrong key: one sentence, no data
        show_error(e)
        return
    st.caption(f"Class **{code}**. Students join with the student link: `{base_url()}?code={code}`")
    show_names = st.toggle("Show nicknames", value=not st.session_state.get("present", False),
                           key="board.show_names", help="Presentation mode hides them unless you turn them on.")

    @st.fragment(run_every=REFRESH_S)
    def live():
        try:
            now = store().board(code, key)
        except BoardError as e:
            show_error(e)
            return
        a, b, c = st.columns(3)
        steps = sum(1 for sub in now.submissions if sub.page == LESSON_PAGE)
        a.metric("students", len(now.students))
        b.metric("runs sent", len(now.submissions) - steps)
        c.metric("lesson steps sent", steps)
        link = st.column_config.LinkColumn(display_text="open run")
        st.markdown("**The room**")
        st.dataframe(board_summary.room(now, show_names), hide_index=True,
                     column_config={"latest run": link}, key="board_room")
        st.markdown("**Leaderboard** (per page and data set: each student's best run)")
        leaders = board_summary.leaderboard(now, show_names)
        if leaders:
            st.dataframe(leaders, hide_index=True, column_config={"run": link}, key="board_leaders")
        else:
            st.caption("No run with a test accuracy or a cost yet: a run sent after a few epochs has them.")
        results = board_summary.results(now)
        if results:
            st.markdown("**The room's results** (each student's best run)")
            groups = list(results)
            group = groups[0] if len(groups) == 1 else st.selectbox(
                "page · data set", groups, format_func=lambda g: f"/{g[0]} · {g[1]} · {g[2]}", key="board.hist")
            figure(board_plots.results_histogram(results[group], *group), key="board_hist")
        lesson_table(board_summary.lessons(now, show_names))
    live()

    with st.expander("Manage the class"):
        st.download_button("⬇️ Export CSV", board_summary.to_csv(board), file_name=f"class-{code}.csv",
                           mime="text/csv", key="board._csv")
        if board.students:
            ids = {s.id: s.nickname for s in board.students}
            who = st.selectbox("Remove a nickname (and what it sent)", list(ids), format_func=ids.get,
                               key="board._remove_who")
            if st.button("Remove", key="board._remove"):
                try:
                    store().remove_student(code, key, who)
                    st.rerun()
                except BoardError as e:
                    show_error(e)
        sure = st.checkbox("Yes, delete this class and everything sent to it", key="board._close_sure")
        if st.button("🗑️ Close the class", key="board._close", disabled=not sure):
            try:
                store().close_class(code, key)
                st.success("The class is closed: its students and runs are deleted.")
            except BoardError as e:
                show_error(e)


q = st.query_params
key = q.get("key")
code = keys.normalise_code(q.get("code", ""))
if key is None and not q.get("code") and membership():   # /class from the sidebar: the student's own class
    code = membership()["code"]
if key is not None:
    if code:
        teacher_board(code, key)
    else:
        st.error(WRONG_KEY)
elif code:
    try:
        is_open = store().class_is_open(code)
    except BoardError as e:
        show_error(e)
        st.stop()
    if is_open:
        join_class(code)
    else:
        st.error("There is no open class with this code (it may have been closed or have expired).")
else:
    if q.get("code"):
        st.error("A class code is 6 letters, for example KTRAMW.")
    create_class()
    st.divider()
    typed = st.text_input("Have a class code? Type it to join", key="board._code", max_chars=10)
    if typed:
        if keys.normalise_code(typed):
            st.link_button("Join", f"{base_url()}?code={keys.normalise_code(typed)}")
        else:
            st.error("A class code is 6 letters, for example KTRAMW.")
