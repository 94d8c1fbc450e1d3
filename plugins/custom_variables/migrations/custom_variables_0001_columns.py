"""CustomVariables' columns: five name/value slots on visits, on conversions (a copy of the visit's)
and on action rows.

Revision ID: custom_variables_0001
Revises:
Create Date: 2026-12-02
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "custom_variables_0001"
down_revision = None
branch_labels = ("CustomVariables",)
depends_on = "core_0001"

NAMES = [f"custom_var_{part}{slot}" for slot in range(1, 6) for part in ("k", "v")]
TABLES = ["log_visit", "log_conversion", "log_link_visit_action"]


def upgrade() -> None:
    for table_name in TABLES:
        add_columns(table_name, [(name, c.VarChar(200), {}) for name in NAMES])


def downgrade() -> None:
    for table_name in reversed(TABLES):
        drop_columns(table_name, NAMES)
