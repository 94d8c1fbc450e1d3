"""The database: engine set-up per backend, the tables as migrated, and transactions with visitor locks.

Tables are reflected from the database after migrating, so plugin columns and columns added
later (custom dimensions) are known without being declared twice.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event, text
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.dialects.sqlite import TIME as SQLITE_TIME
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from core.errors import TemporarilyUnavailable

LOCK_WAIT_SECONDS = 10
"""How long a request waits for another request of the same visitor before it is answered 503."""

WRITE_TRANSACTION = "trackway_write_transaction"
"""Execution option marking a SQLite connection whose transaction must start as the writer."""

LOGICAL_TABLES = (
    "log_visit", "log_link_visit_action", "log_action", "log_conversion", "log_conversion_item",
    "site", "site_url", "goal", "option", "tracking_failure", "user", "user_token_auth", "access",
)


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """An engine configured for tracking: SQLite in WAL mode with writes serialised by
    ``BEGIN IMMEDIATE``; MariaDB/MySQL and PostgreSQL in READ COMMITTED with utf8mb4."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": LOCK_WAIT_SECONDS},
                               pool_size=pool_size, max_overflow=pool_size)
        _serialise_sqlite_writes(engine)
        return engine
    if backend in ("mysql", "mariadb"):
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
        return create_engine(parsed, isolation_level="READ COMMITTED", pool_size=pool_size,
                             max_overflow=pool_size, pool_recycle=3600)
    engine = create_engine(parsed, isolation_level="READ COMMITTED", pool_size=pool_size, max_overflow=pool_size)

    @event.listens_for(engine, "connect")
    def bound_lock_waits(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
        cursor.close()
        dbapi_connection.commit()

    return engine


def _serialise_sqlite_writes(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" listener issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # tracking transactions take the write lock up front; reads (token or site lookups, even
        # from inside a tracking transaction) must not queue behind it
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine, the table prefix and the reflected tables, addressed by logical name."""

    def __init__(self, engine: Engine, prefix: str = "") -> None:
        self.engine = engine
        self.prefix = prefix
        self.dialect = engine.dialect.name
        self.metadata = MetaData()
        self.tables: dict[str, Table] = {}
        # SQLite has one writer at a time. Threads of this process queue on a lock of ours, which
        # wakes the next one at once; SQLite's own busy handler would poll with growing sleeps.
        self._local_writer = threading.Lock() if self.dialect == "sqlite" else None

    def reflect(self) -> None:
        """Load the tables' current columns (call after migrating, and after adding columns)."""
        metadata = MetaData()
        names = [self.prefix + name for name in LOGICAL_TABLES]
        metadata.reflect(self.engine, only=names)
        tables = {}
        for name in LOGICAL_TABLES:
            table = metadata.tables[self.prefix + name]
            if self.dialect == "sqlite":
                _store_sqlite_times_like_mysql(table)
            tables[name] = table
        self.metadata, self.tables = metadata, tables

    def table(self, name: str) -> Table:
        return self.tables[name]

    def columns(self, name: str) -> frozenset[str]:
        return frozenset(self.tables[name].c.keys())

    @contextmanager
    def transaction(self, lock_keys: Iterable[str] = ()) -> Iterator[Connection]:
        """A transaction holding a lock per key (e.g. one per visitor) until it ends.

        Keys are locked in sorted order so two requests never wait on each other in a circle.
        A lock not granted within ``LOCK_WAIT_SECONDS`` raises ``TemporarilyUnavailable``.
        """
        keys = sorted(set(lock_keys))
        writer = self._local_writer
        if writer is not None and not writer.acquire(timeout=LOCK_WAIT_SECONDS):
            raise TemporarilyUnavailable("the database is busy; retry")
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_TRANSACTION: True})
                try:
                    with conn.begin():
                        self.lock(conn, keys)
                        yield conn
                finally:
                    if keys and self.dialect in ("mysql", "mariadb"):
                        conn.exec_driver_sql("SELECT RELEASE_ALL_LOCKS()")
                        conn.commit()
        except OperationalError as exc:
            raise TemporarilyUnavailable(f"database unavailable: {_short(exc)}") from exc
        finally:
            if writer is not None:
                writer.release()

    def lock(self, conn: Connection, keys: list[str]) -> None:
        """Take transaction-long locks on ``keys`` (sorted by the caller) on this connection."""
        if not keys or self.dialect == "sqlite":  # BEGIN IMMEDIATE already serialises SQLite writers
            return
        # One round trip for all keys: the database takes them left to right, in the sorted order.
        if self.dialect == "postgresql":
            conn.execute(_lock_statement("pg_advisory_xact_lock(:k{i})", len(keys)),
                         {f"k{i}": _lock_number(key) for i, key in enumerate(keys)})
            return
        granted = conn.execute(_lock_statement(f"GET_LOCK(:k{{i}}, {LOCK_WAIT_SECONDS})", len(keys)),
                               {f"k{i}": _lock_name(self.prefix, key) for i, key in enumerate(keys)}).one()
        if any(flag != 1 for flag in granted):
            raise TemporarilyUnavailable("another request of this visitor is still being stored; retry")


@lru_cache(maxsize=64)
def _lock_statement(call: str, count: int):
    return text("SELECT " + ", ".join(call.format(i=i) for i in range(count)))


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _lock_name(prefix: str, key: str) -> str:
    return "trackway:" + hashlib.blake2b((prefix + key).encode(), digest_size=16).hexdigest()


def _store_sqlite_times_like_mysql(table: Table) -> None:
    for column in table.columns:
        name = type(column.type).__name__.upper()
        if name in ("DATETIME", "TIMESTAMP"):
            column.type = SQLITE_DATETIME(
                storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d")
        elif name == "TIME":
            column.type = SQLITE_TIME(storage_format="%(hour)02d:%(minute)02d:%(second)02d")


def _short(exc: DBAPIError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]


def is_lock_timeout(exc: BaseException) -> bool:
    """True for a database error that means a lock wait ran out (retryable)."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or (orig.args[0] if orig is not None and orig.args else None)
    return code in ("55P03", 1205, "40P01", 1213) or "database is locked" in str(exc)


def row_to_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)
