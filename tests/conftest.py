"""Shared fixtures: a real database (SQLite by default, PostgreSQL or MariaDB by URL) and a real
trackway server started with uvicorn on a free port.

``TRACKWAY_TEST_DATABASE_URL`` picks the database server: for PostgreSQL and MariaDB a fresh
database is created for the run and dropped afterwards. Unset, the suite uses a SQLite file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from core.plugins import bundled_plugin_names
from tests.helpers import Console, Server, TrackwayDb, scratch_database

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PLUGINS = ",".join(bundled_plugin_names())
"""The hermetic plugin set of the suite: trackway's own plugins, none installed by anyone else."""


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The run's database: a fresh one on TRACKWAY_TEST_DATABASE_URL's server, else a SQLite file."""
    server_url = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
    with scratch_database(server_url, tmp_path_factory.mktemp("db"), "trackway_test") as url:
        yield url


@pytest.fixture(scope="session")
def trackway_env(database_url, tmp_path_factory) -> dict[str, str]:
    """The environment every trackway process of the run gets: hermetic plugins, the test database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKWAY_")}
    env.update({"TRACKWAY_DATABASE_URL": database_url, "TRACKWAY_LOAD_PLUGINS": BUNDLED_PLUGINS,
                "TRACKWAY_CONFIG": str(tmp_path_factory.mktemp("config") / "none.toml")})
    Path(env["TRACKWAY_CONFIG"]).write_text("")
    return env


@pytest.fixture(scope="session")
def console(trackway_env) -> Console:
    return Console(trackway_env, ROOT)


@contextmanager
def running_server(env: dict[str, str], log_dir: Path, *extra_args: str) -> Iterator[Server]:
    """``python console.py serve`` on a free port, stopped when the block ends."""
    port = free_port()
    log_path = log_dir / f"server-{port}.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen([sys.executable, str(ROOT / "console.py"), "serve", "--port", str(port), *extra_args],
                                   env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_healthy(base, process, log_path)
            yield Server(base, process, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def server(trackway_env, console, tmp_path_factory) -> Server:
    console.run("core:update")
    with running_server(trackway_env, tmp_path_factory.mktemp("server")) as started:
        yield started


@pytest.fixture(scope="session")
def db(database_url, server) -> TrackwayDb:
    handle = TrackwayDb(database_url)
    yield handle
    handle.close()


@pytest.fixture
def site(console) -> int:
    """A fresh site for the test, so tests never see each other's rows."""
    return int(console.run("site:add", "--name", "Test shop", "--url", "http://shop.test").last_line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"trackway exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"trackway did not become healthy:\n{log_path.read_text()}")
