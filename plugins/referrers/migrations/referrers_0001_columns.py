"""Referrers' columns: where the visit came from, in log_visit and copied into log_conversion.

Revision ID: referrers_0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "referrers_0001"
down_revision = None
branch_labels = ("Referrers",)
depends_on = "core_0001"

# referer_type is TINYINT(1) UNSIGNED in Matomo; core.columns has no helper for that exact type.
REFERER_TYPE = sa.SmallInteger().with_variant(mysql.TINYINT(1, unsigned=True), "mysql", "mariadb")

VISIT_COLUMNS = [
    ("referer_keyword", c.VarChar(255), {}),
    ("referer_name", c.VarChar(255), {}),
    ("referer_type", REFERER_TYPE, {}),
    ("referer_url", c.VarChar(1500), {}),
]
CONVERSION_COPIES = ["referer_keyword", "referer_name", "referer_type"]


def upgrade() -> None:
    add_columns("log_visit", VISIT_COLUMNS)
    add_columns("log_conversion", [spec for spec in VISIT_COLUMNS if spec[0] in CONVERSION_COPIES])


def downgrade() -> None:
    drop_columns("log_conversion", CONVERSION_COPIES)
    drop_columns("log_visit", [name for name, _, _ in VISIT_COLUMNS])
