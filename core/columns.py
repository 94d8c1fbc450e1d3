"""Column types with Matomo's MySQL spelling and portable equivalents elsewhere.

Matomo's tables use MySQL types such as ``INT UNSIGNED`` or ``BINARY(8)``. On MariaDB/MySQL these
helpers produce exactly those types; on PostgreSQL and SQLite they fall back to the nearest type
that holds the same values (PostgreSQL has no unsigned integers, so 32-bit unsigned values that
can exceed 2**31 use BIGINT there).
"""

from __future__ import annotations

from sqlalchemy import types as sa
from sqlalchemy.dialects import mysql

_MYSQL = ("mysql", "mariadb")


def _mysql(generic: sa.TypeEngine, mysql_type: sa.TypeEngine) -> sa.TypeEngine:
    return generic.with_variant(mysql_type, *_MYSQL)


def UnsignedInt() -> sa.TypeEngine:
    """INT UNSIGNED: ids and counters that stay below 2**31 in practice."""
    return _mysql(sa.Integer(), mysql.INTEGER(unsigned=True))


def UnsignedInt32() -> sa.TypeEngine:
    """INT UNSIGNED holding the full 32-bit range (CRC32 hashes): BIGINT outside MySQL."""
    return _mysql(sa.BigInteger(), mysql.INTEGER(unsigned=True))


def UnsignedBigInt() -> sa.TypeEngine:
    """BIGINT UNSIGNED; plain INTEGER on SQLite so that an AUTO_INCREMENT primary key works there."""
    return _mysql(sa.BigInteger(), mysql.BIGINT(unsigned=True)).with_variant(sa.Integer(), "sqlite")


def UnsignedMediumInt() -> sa.TypeEngine:
    return _mysql(sa.Integer(), mysql.MEDIUMINT(unsigned=True))


def UnsignedSmallInt() -> sa.TypeEngine:
    return _mysql(sa.Integer(), mysql.SMALLINT(unsigned=True))


def UnsignedTinyInt() -> sa.TypeEngine:
    return _mysql(sa.SmallInteger(), mysql.TINYINT(unsigned=True))


def TinyInt(display_width: int | None = None) -> sa.TypeEngine:
    """TINYINT, e.g. TINYINT(1) for Matomo's boolean flags."""
    return _mysql(sa.SmallInteger(), mysql.TINYINT(display_width))


def Binary(length: int) -> sa.TypeEngine:
    """BINARY(n): fixed-length raw bytes (``idvisitor``, ``config_id``)."""
    return _mysql(sa.LargeBinary(), mysql.BINARY(length))


def VarBinary(length: int) -> sa.TypeEngine:
    """VARBINARY(n): raw bytes up to n (``location_ip``)."""
    return _mysql(sa.LargeBinary(), mysql.VARBINARY(length))


def Double() -> sa.TypeEngine:
    return _mysql(sa.Float(precision=53), mysql.DOUBLE())


def LongText() -> sa.TypeEngine:
    return _mysql(sa.Text(), mysql.LONGTEXT())


def VarChar(length: int) -> sa.TypeEngine:
    return sa.String(length)


def Char(length: int) -> sa.TypeEngine:
    return sa.CHAR(length)


def DateTime() -> sa.TypeEngine:
    """DATETIME holding UTC, without time zone."""
    return sa.DateTime(timezone=False)
