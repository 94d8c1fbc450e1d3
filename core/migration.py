"""Helpers for Alembic revision files, the core's and the plugins' alike.

Revision files name tables through :func:`table` so that ``[database] tables_prefix`` applies.
"""

from __future__ import annotations

from alembic import context


def tables_prefix() -> str:
    return context.config.attributes.get("tables_prefix", "")


def table(name: str) -> str:
    """The real name of the logical table ``name`` (``log_visit`` -> ``<prefix>log_visit``)."""
    return tables_prefix() + name


def index(name: str) -> str:
    """Index names carry the prefix too: two prefixed installs can share one PostgreSQL schema."""
    return tables_prefix() + name


MYSQL_TABLE_OPTIONS = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci"}
"""Keyword arguments for ``op.create_table`` so MariaDB tables match Matomo's (InnoDB, utf8mb4)."""


ColumnSpec = tuple  # (name, SQLAlchemy type, Column keyword arguments)


def add_columns(table_name: str, specs: "list[ColumnSpec]") -> None:
    """Add columns to a logical table (batch mode, so SQLite works too)."""
    import sqlalchemy as sa
    from alembic import op

    with op.batch_alter_table(table(table_name)) as batch:
        for name, type_, options in specs:
            batch.add_column(sa.Column(name, type_, **options))


def drop_columns(table_name: str, names: "list[str]") -> None:
    from alembic import op

    with op.batch_alter_table(table(table_name)) as batch:
        for name in reversed(names):
            batch.drop_column(name)
