"""Which plugins ``plugin:deactivate`` switched off, kept in the ``option`` table.

Read once at start-up, before plugins load: a change takes effect when trackway next starts.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from core.db import Database
from core.options import get_option, set_option

DEACTIVATED_OPTION = "trackway_plugins_deactivated"


def deactivated_plugins(url: str, prefix: str = "") -> set[str]:
    """Names deactivated in the database at ``url``; empty when there is no database yet or it
    cannot be read (the server reports an unreachable database itself, with a clearer message)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return set()
    engine = create_engine(parsed, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(prefix + "option"):
                return set()
            table = Table(prefix + "option", MetaData(), autoload_with=conn)
            value = conn.execute(select(table.c.option_value).where(table.c.option_name == DEACTIVATED_OPTION)).scalar()
    except SQLAlchemyError:
        return set()
    finally:
        engine.dispose()
    return set(json.loads(value)) if value else set()


def set_plugin_active(db: Database, name: str, active: bool) -> None:
    with db.engine.begin() as conn:
        names = set(json.loads(get_option(conn, db, DEACTIVATED_OPTION) or "[]"))
        names.discard(name) if active else names.add(name)
        set_option(conn, db, DEACTIVATED_OPTION, json.dumps(sorted(names)))
