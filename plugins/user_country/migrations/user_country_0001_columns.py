"""UserCountry's columns: the visit's location, copied into each conversion.

Revision ID: user_country_0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from core import columns as c
from core.migration import add_columns, drop_columns

revision = "user_country_0001"
down_revision = None
branch_labels = ("UserCountry",)
depends_on = "core_0001"

# CHAR(3) on MariaDB/MySQL as in Matomo; VARCHAR(3) elsewhere, where CHAR would pad "de" to "de ".
CODE = sa.String(3).with_variant(mysql.CHAR(3), "mysql", "mariadb")
DEGREES = sa.Numeric(9, 6).with_variant(mysql.DECIMAL(9, 6), "mysql", "mariadb")
COLUMNS = [
    ("location_city", c.VarChar(255), {}),
    ("location_country", CODE, {}),
    ("location_latitude", DEGREES, {}),
    ("location_longitude", DEGREES, {}),
    ("location_region", CODE, {}),
]


def upgrade() -> None:
    add_columns("log_visit", COLUMNS)
    add_columns("log_conversion", COLUMNS)


def downgrade() -> None:
    names = [name for name, _, _ in COLUMNS]
    drop_columns("log_conversion", names)
    drop_columns("log_visit", names)
