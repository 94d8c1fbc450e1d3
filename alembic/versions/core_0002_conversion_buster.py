"""log_conversion.buster holds the whole INT UNSIGNED range on PostgreSQL too.

An order's buster is the first 8 hex digits of md5(idorder) and a repeatable goal's has ten
digits, both up to 4294967295; PostgreSQL's INTEGER stops at 2147483647. MariaDB already has
INT UNSIGNED and SQLite has no limit, so only PostgreSQL changes.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-29
"""

from alembic import op

from core import columns as c
from core.migration import table

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(table("log_conversion"), "buster", type_=c.UnsignedInt32(), existing_type=c.UnsignedInt(),
                        existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(table("log_conversion"), "buster", type_=c.UnsignedInt(), existing_type=c.UnsignedInt32(),
                        existing_nullable=False)
