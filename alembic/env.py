"""Alembic environment for trackway.

trackway drives Alembic from code (``core/migrations_runner.py``): the connection, the table
prefix and the version locations of every enabled plugin arrive in ``config.attributes``.
Running the ``alembic`` command by hand is possible too: it then reads the database URL the
same way the server does.
"""

from alembic import context
from sqlalchemy import create_engine

config = context.config


def run_migrations(connection) -> None:
    prefix = config.attributes.get("tables_prefix", "")
    context.configure(
        connection=connection,
        version_table=prefix + "alembic_version",
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from core.settings import database_url, load_settings, read_config_file, CORE_SCHEMA

    raw, source = read_config_file()
    settings = load_settings(CORE_SCHEMA, raw, source=source, only_sections=["database"])
    config.attributes.setdefault("tables_prefix", settings.get("database", "tables_prefix"))
    engine = create_engine(database_url(settings))
    with engine.connect() as conn:
        run_migrations(conn)
