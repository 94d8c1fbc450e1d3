"""The ``option`` table: instance-wide values (salts, the cache version) stored as text."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Connection

from core.db import Database

CACHE_VERSION = "trackway_cache_version"
GENERAL_SALT = "trackway_general_salt"


def get_option(conn: Connection, db: Database, name: str) -> str | None:
    table = db.table("option")
    return conn.execute(select(table.c.option_value).where(table.c.option_name == name)).scalar()


def add_option_if_missing(conn: Connection, db: Database, name: str, value: str, autoload: int = 1) -> str:
    """Insert the option unless another process already did; return the stored value (race-safe)."""
    table = db.table("option")
    values = {"option_name": name, "option_value": value, "autoload": autoload}
    if db.dialect == "postgresql":
        stmt = postgresql.insert(table).values(values).on_conflict_do_nothing()
    elif db.dialect == "sqlite":
        stmt = sqlite.insert(table).values(values).on_conflict_do_nothing()
    else:
        stmt = mysql.insert(table).values(values).prefix_with("IGNORE")
    conn.execute(stmt)
    return get_option(conn, db, name)


def set_option(conn: Connection, db: Database, name: str, value: str) -> None:
    table = db.table("option")
    if conn.execute(update(table).where(table.c.option_name == name).values(option_value=value)).rowcount == 0:
        add_option_if_missing(conn, db, name, value)


def general_salt(db: Database) -> str:
    """The instance's secret salt (config ids, token hashes), created on first use."""
    with db.engine.begin() as conn:
        return get_option(conn, db, GENERAL_SALT) or add_option_if_missing(conn, db, GENERAL_SALT, secrets.token_hex(32))


def cache_version(conn: Connection, db: Database) -> str:
    return get_option(conn, db, CACHE_VERSION) or "0"


def bump_cache_version(db: Database) -> None:
    """Tell every tracker process to drop its cached sites (``cache:clear``, site changes)."""
    with db.engine.begin() as conn:
        set_option(conn, db, CACHE_VERSION, secrets.token_hex(8))
