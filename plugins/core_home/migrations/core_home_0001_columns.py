"""CoreHome's columns: visit times and visitor facts, the action's server time.

Revision ID: core_home_0001
Revises:
Create Date: 2026-11-29
"""

from alembic import op

from core import columns as c
from core.migration import add_columns, drop_columns, index, table

revision = "core_home_0001"
down_revision = None
branch_labels = ("CoreHome",)
depends_on = "core_0001"

VISIT_COLUMNS = [
    ("profilable", c.TinyInt(1), {}),
    ("user_id", c.VarChar(200), {}),
    ("visit_first_action_time", c.DateTime(), {"nullable": False, "server_default": "1970-01-01 00:00:00"}),
    ("visit_goal_buyer", c.TinyInt(1), {}),
    ("visit_goal_converted", c.TinyInt(1), {}),
    ("visitor_returning", c.TinyInt(1), {}),
    ("visitor_seconds_since_first", c.UnsignedInt(), {}),
    ("visitor_seconds_since_order", c.UnsignedInt(), {}),
    ("visitor_count_visits", c.UnsignedInt(), {"nullable": False, "server_default": "0"}),
    ("visit_total_time", c.UnsignedInt(), {"nullable": False, "server_default": "0"}),
]
CONVERSION_COPIES = ["visitor_returning", "visitor_seconds_since_first", "visitor_seconds_since_order",
                     "visitor_count_visits"]


ACTION_COLUMNS = [("server_time", c.DateTime(), {"nullable": False, "server_default": "1970-01-01 00:00:00"})]


def upgrade() -> None:
    add_columns("log_visit", VISIT_COLUMNS)
    add_columns("log_conversion", [spec for spec in VISIT_COLUMNS if spec[0] in CONVERSION_COPIES])
    add_columns("log_link_visit_action", ACTION_COLUMNS)
    op.create_index(index("index_idsite_servertime"), table("log_link_visit_action"), ["idsite", "server_time"])


def downgrade() -> None:
    op.drop_index(index("index_idsite_servertime"), table("log_link_visit_action"))
    drop_columns("log_link_visit_action", ["server_time"])
    drop_columns("log_conversion", CONVERSION_COPIES)
    drop_columns("log_visit", [name for name, _, _ in VISIT_COLUMNS])
