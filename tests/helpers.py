"""Helpers the tests share: running the console, sending tracking requests, reading rows."""

from __future__ import annotations

import secrets
import subprocess
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import MetaData, create_engine, func, select, text
from sqlalchemy.engine import make_url

GIF_BYTES = 43


@dataclass
class ConsoleResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        return self.stdout.strip().splitlines()[-1]


class Console:
    """Runs ``python console.py ...`` as a user would, in a subprocess."""

    def __init__(self, env: dict[str, str], root: Path) -> None:
        self.env = env
        self.root = root

    def run(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> ConsoleResult:
        completed = subprocess.run([sys.executable, str(self.root / "console.py"), *args], capture_output=True,
                                   text=True, env={**self.env, **(env or {})}, cwd=self.root, timeout=120)
        result = ConsoleResult(completed.returncode, completed.stdout, completed.stderr)
        if check and completed.returncode != 0:
            raise AssertionError(f"console {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr}")
        return result


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log_path: Path

    def track(self, method: str = "GET", path: str = "/matomo.php", **kwargs: Any) -> httpx.Response:
        return httpx.request(method, self.base + path, timeout=30, **kwargs)

    def page_view(self, idsite: int, **params: Any) -> httpx.Response:
        query = {"idsite": idsite, "rec": 1, "url": "http://shop.test/", **params}
        return self.track("GET", params={k: v for k, v in query.items() if v is not None})

    def is_healthy(self) -> bool:
        return self.process.poll() is None and httpx.get(self.base + "/health", timeout=5).status_code == 200


class TrackwayDb:
    """Read access to the tables, as a SQL user would look at them."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.metadata = MetaData()

    def table(self, name: str):
        self.metadata.clear()
        self.metadata.reflect(self.engine, only=[name])
        return self.metadata.tables[name]

    def rows(self, table_name: str, /, **where: Any) -> list[dict[str, Any]]:
        table = self.table(table_name)
        query = select(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        order = table.c.get("idvisit") if table_name == "log_visit" else table.primary_key.columns.values()[0]
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query.order_by(order))]

    def count(self, table_name: str, /, **where: Any) -> int:
        table = self.table(table_name)
        query = select(func.count()).select_from(table)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def named(self, idaction: int | None) -> tuple[str, int] | None:
        """``(name, type)`` of a log_action id (None for NULL), checking the stored hash on the way."""
        if idaction is None:
            return None
        row = self.log_action(idaction)
        assert row["hash"] == crc32(row["name"])
        return row["name"], row["type"]

    def visits(self, idsite: int) -> list[dict[str, Any]]:
        return self.rows("log_visit", idsite=idsite)

    def actions(self, idsite: int) -> list[dict[str, Any]]:
        return self.rows("log_link_visit_action", idsite=idsite)

    def log_action(self, idaction: int) -> dict[str, Any]:
        (row,) = self.rows("log_action", idaction=idaction)
        return row

    def action_name(self, idaction: int) -> str:
        return self.log_action(idaction)["name"]

    def close(self) -> None:
        self.engine.dispose()


def crc32(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def as_bytes(value: Any) -> bytes:
    """BINARY columns come back as bytes or memoryview depending on the driver."""
    return bytes(value)


@contextmanager
def scratch_database(server_url: str, sqlite_dir: Path, name_prefix: str = "trackway_scratch") -> Iterator[str]:
    """An empty database of its own, dropped afterwards: a new database on the server at
    ``server_url`` (PostgreSQL or MariaDB), or a SQLite file in ``sqlite_dir`` when it is empty.
    Fails (does not skip) when the server cannot be reached."""
    if not server_url:
        yield f"sqlite:///{sqlite_dir / (name_prefix + '.db')}"
        return
    url = make_url(server_url)
    name = f"{name_prefix}_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            force = " WITH (FORCE)" if url.get_backend_name() == "postgresql" else ""
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
        admin.dispose()
