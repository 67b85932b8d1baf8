"""The class board's storage: classes, students and what they send, in a real database.

``store`` (SQLAlchemy 2: SQLite by default, PostgreSQL with ``NNPLAY_DATABASE_URL``), ``keys`` (class codes,
teacher keys and their hashes), ``limits`` (the stated limits, from the environment), ``checks`` (a
student's input validated, with a sentence), ``errors`` (what the page shows). Never imports streamlit.
"""
