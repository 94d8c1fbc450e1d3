"""Actions' columns: entry/exit pages and counters on the visit, the action's names and timing.

Revision ID: actions_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "actions_0001"
down_revision = None
branch_labels = ("Actions",)
depends_on = "core_0001"

VISIT_COLUMNS = [
    ("visit_entry_idaction_name", c.UnsignedInt(), {}),
    ("visit_entry_idaction_url", c.UnsignedInt(), {}),
    ("visit_exit_idaction_name", c.UnsignedInt(), {}),
    ("visit_exit_idaction_url", c.UnsignedInt(), {"server_default": "0"}),
    ("visit_total_actions", c.UnsignedInt(), {}),
    ("visit_total_interactions", c.UnsignedMediumInt(), {"server_default": "0"}),
    ("visit_total_searches", c.UnsignedSmallInt(), {}),
]
ACTION_COLUMNS = [
    ("idpageview", c.Char(6), {}),
    ("idaction_name", c.UnsignedInt(), {}),
    ("idaction_url", c.UnsignedInt(), {}),
    ("search_cat", c.VarChar(200), {}),
    ("search_count", c.UnsignedInt(), {}),
    ("time_spent_ref_action", c.UnsignedInt(), {}),
]


def upgrade() -> None:
    add_columns("log_visit", VISIT_COLUMNS)
    add_columns("log_link_visit_action", ACTION_COLUMNS)


def downgrade() -> None:
    drop_columns("log_link_visit_action", [name for name, _, _ in ACTION_COLUMNS])
    drop_columns("log_visit", [name for name, _, _ in VISIT_COLUMNS])
