"""Value slots: the ``custom_dimension_<index>`` columns of a scope's log tables.

The migration creates slots 1 to 5 of each scope. A site that needs more (a sixth visit
dimension) gets the column added here, with Alembic's operations so that every backend gets
the right DDL. The migration's downgrade removes these columns too.
"""

from __future__ import annotations

from typing import Any

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, inspect

from core import columns

from plugins.custom_dimensions.configuration import SCOPE_TABLES, column_name


def lowest_free_index(used: set[int]) -> int:
    index = 1
    while index in used:
        index += 1
    return index


def ensure_slot(db: Any, scope: str, index: int) -> list[str]:
    """Add ``custom_dimension_<index>`` (VARCHAR(255) NULL) to the scope's tables that lack it;
    returns the logical names of the tables that got it. ``db`` is the core's database
    (``CommandContext.database()``)."""
    name = column_name(index)
    added = []
    with db.engine.begin() as connection:
        inspector = inspect(connection)
        operations = Operations(MigrationContext.configure(connection))
        for logical in SCOPE_TABLES[scope]:
            real = db.prefix + logical
            if name not in {column["name"] for column in inspector.get_columns(real)}:
                operations.add_column(real, Column(name, columns.VarChar(255), nullable=True))
                added.append(logical)
    return added
