"""UserCountry's migration: the five location columns of log_visit, copied into log_conversion."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import inspect

from core.bootstrap import load_configuration, open_database
from core.migrate import downgrade, upgrade
from core.plugins import bundled_plugin_names
from tests.helpers import scratch_database

SERVER_URL = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
COLUMNS = {"location_city": "VARCHAR(255)", "location_country": "CHAR(3)", "location_latitude": "DECIMAL(9, 6)",
           "location_longitude": "DECIMAL(9, 6)", "location_region": "CHAR(3)"}
"""Matomo's types (MariaDB/MySQL); elsewhere the codes are VARCHAR(3), which PostgreSQL does not pad."""


@pytest.fixture(params=["sqlite"] + (["server"] if SERVER_URL else []))
def config_and_db(request, tmp_path):
    (tmp_path / "none.toml").write_text("")
    with scratch_database(SERVER_URL if request.param == "server" else "", tmp_path) as url:
        config = load_configuration({"TRACKWAY_DATABASE_URL": url, "TRACKWAY_CONFIG": str(tmp_path / "none.toml"),
                                     "TRACKWAY_LOAD_PLUGINS": ",".join(bundled_plugin_names())})
        db = open_database(config, migrate=True)
        try:
            yield config, db
        finally:
            db.engine.dispose()


def location_columns(db, table: str) -> dict[str, str]:
    """The location_* columns of a table as (normalised) SQL types."""
    found = {}
    for column in inspect(db.engine).get_columns(table):
        if column["name"] in COLUMNS:
            compiled = column["type"].compile(dialect=db.engine.dialect).upper()
            found[column["name"]] = re.sub(r"^NUMERIC\b", "DECIMAL", compiled)  # PostgreSQL's and SQLite's name
    return found


def expected(db) -> dict[str, str]:
    if db.dialect in ("mysql", "mariadb"):
        return COLUMNS
    return {name: "VARCHAR(3)" if kind == "CHAR(3)" else kind for name, kind in COLUMNS.items()}


def test_log_visit_and_log_conversion_get_the_five_columns(config_and_db):
    _, db = config_and_db
    assert location_columns(db, "log_visit") == expected(db)
    assert location_columns(db, "log_conversion") == expected(db)


def test_the_branch_downgrades_and_upgrades(config_and_db):
    config, db = config_and_db
    downgrade(db, config.plugins, "UserCountry@base")
    assert location_columns(db, "log_visit") == {} and location_columns(db, "log_conversion") == {}

    upgrade(db, config.plugins)
    assert location_columns(db, "log_visit") == expected(db)
