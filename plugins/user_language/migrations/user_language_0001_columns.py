"""UserLanguage's column: the visitor's browser language.

Revision ID: user_language_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "user_language_0001"
down_revision = None
branch_labels = ("UserLanguage",)
depends_on = "core_0001"


def upgrade() -> None:
    add_columns("log_visit", [("location_browser_lang", c.VarChar(20), {})])


def downgrade() -> None:
    drop_columns("log_visit", ["location_browser_lang"])
