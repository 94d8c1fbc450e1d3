"""DevicesDetection's columns: browser, operating system and device of the visit.

Revision ID: devices_detection_0001
Revises:
Create Date: 2026-11-29
"""

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "devices_detection_0001"
down_revision = None
branch_labels = ("DevicesDetection",)
depends_on = "core_0001"

VISIT_COLUMNS = [
    ("config_browser_engine", c.VarChar(10), {}),
    ("config_browser_name", c.VarChar(40), {}),
    ("config_browser_version", c.VarChar(20), {}),
    ("config_client_type", c.TinyInt(1), {}),
    ("config_device_brand", c.VarChar(100), {}),
    ("config_device_model", c.VarChar(100), {}),
    ("config_device_type", c.TinyInt(), {}),
    ("config_os", c.Char(3), {}),
    ("config_os_version", c.VarChar(100), {}),
]
CONVERSION_COPIES = ["config_browser_name", "config_client_type", "config_device_brand", "config_device_model",
                     "config_device_type"]


def upgrade() -> None:
    add_columns("log_visit", VISIT_COLUMNS)
    add_columns("log_conversion", [spec for spec in VISIT_COLUMNS if spec[0] in CONVERSION_COPIES])


def downgrade() -> None:
    drop_columns("log_conversion", CONVERSION_COPIES)
    drop_columns("log_visit", [name for name, _, _ in VISIT_COLUMNS])
