"""Events' columns: the event's category and action on the action row, the event count on the visit.

Revision ID: events_0001
Revises:
Create Date: 2026-11-30
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "events_0001"
down_revision = None
branch_labels = ("Events",)
depends_on = "core_0001"

VISIT_COLUMNS = [("visit_total_events", c.UnsignedInt(), {})]
ACTION_COLUMNS = [
    ("idaction_event_action", c.UnsignedInt(), {}),
    ("idaction_event_category", c.UnsignedInt(), {}),
]


def upgrade() -> None:
    add_columns("log_visit", VISIT_COLUMNS)
    add_columns("log_link_visit_action", ACTION_COLUMNS)


def downgrade() -> None:
    drop_columns("log_link_visit_action", [name for name, _, _ in ACTION_COLUMNS])
    drop_columns("log_visit", [name for name, _, _ in VISIT_COLUMNS])
