"""DevicePlugins' columns: the browser-feature flags of the visit.

Revision ID: device_plugins_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "device_plugins_0001"
down_revision = None
branch_labels = ("DevicePlugins",)
depends_on = "core_0001"

VISIT_COLUMNS = ["config_cookie", "config_flash", "config_java", "config_pdf", "config_quicktime", "config_realplayer",
                 "config_silverlight", "config_windowsmedia"]


def upgrade() -> None:
    add_columns("log_visit", [(name, c.TinyInt(1), {}) for name in VISIT_COLUMNS])


def downgrade() -> None:
    drop_columns("log_visit", VISIT_COLUMNS)
