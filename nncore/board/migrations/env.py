"""Alembic's environment for the class board: it runs on the connection ``nncore.board.migrate`` hands it (in the
caller's transaction, under its lock), never on a URL of its own, and never logs (the URL holds a password)."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True,
                  transactional_ddl=connection.dialect.name == "postgresql")
with context.begin_transaction():
    context.run_migrations()
