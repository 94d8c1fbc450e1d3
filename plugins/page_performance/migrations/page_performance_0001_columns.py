"""PagePerformance's columns: page-load timings on the action row, in milliseconds.

Revision ID: page_performance_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "page_performance_0001"
down_revision = None
branch_labels = ("PagePerformance",)
depends_on = "core_0001"

ACTION_COLUMNS = ["time_network", "time_server", "time_transfer", "time_dom_processing", "time_dom_completion",
                  "time_on_load"]


def upgrade() -> None:
    add_columns("log_link_visit_action", [(name, c.UnsignedMediumInt(), {}) for name in ACTION_COLUMNS])


def downgrade() -> None:
    drop_columns("log_link_visit_action", ACTION_COLUMNS)
