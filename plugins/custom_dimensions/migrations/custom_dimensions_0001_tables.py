"""CustomDimensions: the configuration table, five value slots per scope, and time spent.

Console commands add further ``custom_dimension_<index>`` columns later (a sixth dimension of a
scope, say); the downgrade finds those by looking at the tables, so none is left behind.

Revision ID: custom_dimensions_0001
Revises:
Create Date: 2026-12-05
"""

import re

import sqlalchemy as sa
from alembic import op

from core import columns as c
from core.migration import MYSQL_TABLE_OPTIONS as OPTS
from core.migration import add_columns, drop_columns, index, table

revision = "custom_dimensions_0001"
down_revision = None
branch_labels = ("CustomDimensions",)
depends_on = "core_0001"

DEFAULT_SLOTS = 5
EXTRA_COLUMNS = {"log_visit": ("last_idlink_va",), "log_conversion": (), "log_link_visit_action": ("time_spent",)}
SLOT = re.compile(r"custom_dimension_[0-9]+\Z")


def _slots() -> list:
    return [(f"custom_dimension_{i}", c.VarChar(255), {}) for i in range(1, DEFAULT_SLOTS + 1)]


def upgrade() -> None:
    op.create_table(
        table("custom_dimensions"),
        sa.Column("idcustomdimension", c.UnsignedBigInt(), primary_key=True, autoincrement=False),
        sa.Column("idsite", c.UnsignedBigInt(), primary_key=True, autoincrement=False),
        sa.Column("name", c.VarChar(100), nullable=False),
        sa.Column("index", c.UnsignedSmallInt(), nullable=False),
        sa.Column("scope", c.VarChar(10), nullable=False),
        sa.Column("active", c.UnsignedTinyInt(), nullable=False, server_default="0"),
        sa.Column("extractions", sa.Text(), nullable=False),
        sa.Column("case_sensitive", c.UnsignedTinyInt(), nullable=False, server_default="1"),
        # one dimension per slot of a scope and site: two concurrent additions cannot share one
        sa.UniqueConstraint("idsite", "scope", "index", name=index("uniq_custom_dimension_slot")),
        **OPTS,
    )
    add_columns("log_visit", [("last_idlink_va", c.UnsignedBigInt(), {}), *_slots()])
    add_columns("log_conversion", _slots())
    add_columns("log_link_visit_action", [("time_spent", c.UnsignedInt(), {}), *_slots()])


def downgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, extra in EXTRA_COLUMNS.items():
        present = [col["name"] for col in inspector.get_columns(table(name))]
        owned = [col for col in present if SLOT.match(col) or col in extra]
        if owned:
            drop_columns(name, owned)
    op.drop_table(table("custom_dimensions"))
