"""The board's tables as nnplay first made them (the ``create_all`` of schema version 1).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer, primary_key=True))
    op.create_table(
        "classes",
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False))
    op.create_table(
        "students",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(6), sa.ForeignKey("classes.code", ondelete="CASCADE"), nullable=False),
        sa.Column("nickname", sa.Text, nullable=False),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("joined", sa.Float, nullable=False),
        sa.UniqueConstraint("code", "nickname", name="one_nickname_per_class"))
    op.create_index("ix_students_code", "students", ["code"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(6), sa.ForeignKey("classes.code", ondelete="CASCADE"), nullable=False),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
        sa.Column("page", sa.String(40), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("sent", sa.Float, nullable=False))
    op.create_index("ix_submissions_code", "submissions", ["code"])
    op.create_index("ix_submissions_student_id", "submissions", ["student_id"])
    op.execute(sa.text("INSERT INTO schema_version (version) VALUES (1)"))


def downgrade() -> None:
    for table in ("submissions", "students", "classes", "schema_version"):
        op.drop_table(table)
