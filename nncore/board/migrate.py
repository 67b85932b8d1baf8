"""The board's schema, brought to its newest version by Alembic when the app starts (``upgrade(engine)``).

The versions are in ``nncore/board/migrations/versions`` (0001: the tables; 0002: Alembic's own version table
replaces ``schema_version``, and an index for the rate limit). A database made by nnplay before Alembic (its
``schema_version`` table says 1, no ``alembic_version``) is stamped 0001 first, then upgraded: nothing in it
is lost. A database at a version this nnplay does not know (a newer nnplay wrote it) is refused with a
sentence rather than misread.

Replicas starting together on one PostgreSQL take turns: the upgrade runs in one transaction under an
advisory lock (PostgreSQL's DDL is transactional, so a second replica finds the work done). Alembic is given
the connection, never the URL, so the password is never in its logs.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

FOLDER = Path(__file__).resolve().parent / "migrations"
LOCK_ID = 0x6E6E706C6179          # "nnplay": PostgreSQL's advisory lock for the board's migrations
FIRST = "0001"                    # what a database made before Alembic holds


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this nnplay (a version it does not know)."""


def _config(conn) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(FOLDER))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    """The newest version this nnplay knows."""
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def current(conn) -> str | None:
    """The database's version (None: Alembic never ran on it)."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> str:
    """Bring the database to ``head()``; its version after. Raises ``SchemaError`` for an unknown version."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
        cfg = _config(conn)
        tables = set(sa.inspect(conn).get_table_names())
        if "alembic_version" not in tables and "schema_version" in tables:
            command.stamp(cfg, FIRST)                # made before Alembic: its tables are version 0001's
        found = current(conn)
        known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
        if found is not None and found not in known:
            raise SchemaError(f"The board database has schema version {found!r}, which this nnplay does not "
                              f"know (it knows up to {head()!r}). Update nnplay or point it at another database.")
        try:
            command.upgrade(cfg, "head")
        except CommandError as err:                  # pragma: no cover - a broken versions folder
            raise SchemaError(f"The board database could not be upgraded: {err}") from None
        return current(conn)
