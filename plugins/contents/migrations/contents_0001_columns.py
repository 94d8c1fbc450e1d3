"""Contents' columns: the content's name, piece, target and interaction on the action row.

Revision ID: contents_0001
Revises:
Create Date: 2026-11-30
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "contents_0001"
down_revision = None
branch_labels = ("Contents",)
depends_on = "core_0001"

ACTION_COLUMNS = ["idaction_content_interaction", "idaction_content_name", "idaction_content_piece",
                  "idaction_content_target"]


def upgrade() -> None:
    add_columns("log_link_visit_action", [(name, c.UnsignedInt(), {}) for name in ACTION_COLUMNS])


def downgrade() -> None:
    drop_columns("log_link_visit_action", ACTION_COLUMNS)
