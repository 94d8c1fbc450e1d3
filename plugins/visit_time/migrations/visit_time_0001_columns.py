"""VisitTime's column: the visitor's local time.

Revision ID: visit_time_0001
Revises:
Create Date: 2026-11-29
"""

from sqlalchemy import types

from core.migration import add_columns, drop_columns

revision = "visit_time_0001"
down_revision = None
branch_labels = ("VisitTime",)
depends_on = "core_0001"


def upgrade() -> None:
    add_columns("log_visit", [("visitor_localtime", types.Time(), {})])


def downgrade() -> None:
    drop_columns("log_visit", ["visitor_localtime"])
