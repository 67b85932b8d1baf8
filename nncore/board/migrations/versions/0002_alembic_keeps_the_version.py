"""Alembic keeps the schema's version (its table ``alembic_version``): the old ``schema_version`` table goes.
The rate limit counts a student's recent sends: an index on (student_id, sent) answers it without a scan.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("schema_version")
    op.create_index("ix_submissions_student_sent", "submissions", ["student_id", "sent"])


def downgrade() -> None:
    op.drop_index("ix_submissions_student_sent", "submissions")
    op.create_table("schema_version", sa.Column("version", sa.Integer, primary_key=True))
    op.execute(sa.text("INSERT INTO schema_version (version) VALUES (1)"))
