"""SampleVisits: log_visit.sample_plan, copied into log_conversion.

Revision ID: sample_visits_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "sample_visits_0001"
down_revision = None
branch_labels = ("SampleVisits",)
depends_on = "core_0001"

COLUMNS = [("sample_plan", c.VarChar(20), {})]


def upgrade() -> None:
    add_columns("log_visit", COLUMNS)
    add_columns("log_conversion", COLUMNS)


def downgrade() -> None:
    drop_columns("log_conversion", ["sample_plan"])
    drop_columns("log_visit", ["sample_plan"])
