"""VisitorInterest's column: seconds since the visitor's previous visit.

Revision ID: visitor_interest_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "visitor_interest_0001"
down_revision = None
branch_labels = ("VisitorInterest",)
depends_on = "core_0001"


def upgrade() -> None:
    add_columns("log_visit", [("visitor_seconds_since_last", c.UnsignedInt(), {})])


def downgrade() -> None:
    drop_columns("log_visit", ["visitor_seconds_since_last"])
