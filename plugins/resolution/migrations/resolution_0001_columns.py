"""Resolution's column: the visitor's screen resolution.

Revision ID: resolution_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "resolution_0001"
down_revision = None
branch_labels = ("Resolution",)
depends_on = "core_0001"


def upgrade() -> None:
    add_columns("log_visit", [("config_resolution", c.VarChar(18), {})])


def downgrade() -> None:
    drop_columns("log_visit", ["config_resolution"])
