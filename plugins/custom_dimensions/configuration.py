"""The ``custom_dimensions`` table: one row per dimension of a site, as the console commands
write it and the tracker reads it.

The core reflects only its own tables, so the plugin declares this one itself (the migration
creates it with the same columns).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

SCOPES = ("visit", "action")
SCOPE_TABLES = {"visit": ("log_visit", "log_conversion"), "action": ("log_link_visit_action",)}
"""The log tables holding a scope's values: visit values are copied into conversions."""
TABLE = "custom_dimensions"
MAX_NAME_LENGTH = 100


def column_name(index: int) -> str:
    """The column of a dimension's slot: ``custom_dimension_<index>``."""
    return f"custom_dimension_{index}"


@lru_cache(maxsize=8)
def config_table(prefix: str) -> Table:
    """The configuration table under the ``[database] tables_prefix`` in use."""
    return Table(
        prefix + TABLE, MetaData(),
        Column("idcustomdimension", Integer, primary_key=True, autoincrement=False),
        Column("idsite", Integer, primary_key=True, autoincrement=False),
        Column("name", String(MAX_NAME_LENGTH), nullable=False),
        Column("index", Integer, nullable=False),
        Column("scope", String(10), nullable=False),
        Column("active", Integer, nullable=False),
        Column("extractions", Text, nullable=False),
        Column("case_sensitive", Integer, nullable=False),
    )
