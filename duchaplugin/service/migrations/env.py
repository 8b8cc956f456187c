"""Alembic environment of ``duchaplugin serve``: migrations run on the connection the service
gives (``config.attributes["connection"]``), or on ``sqlalchemy.url`` when run by hand with
``alembic``."""

from alembic import context
from sqlalchemy import create_engine

config = context.config


def run(connection) -> None:  # noqa: ANN001 - Alembic's entry point
    context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url")).connect() as conn:
        run(conn)
