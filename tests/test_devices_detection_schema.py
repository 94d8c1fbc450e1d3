"""DevicesDetection's Alembic branch: its columns come and go with it, in log_visit and log_conversion."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect

from core.bootstrap import load_configuration, open_database
from core.migrate import downgrade, upgrade
from core.plugins import bundled_plugin_names
from tests.helpers import scratch_database

SERVER_URL = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
VISIT_COLUMNS = {"config_browser_engine", "config_browser_name", "config_browser_version", "config_client_type",
                 "config_device_brand", "config_device_model", "config_device_type", "config_os", "config_os_version"}
CONVERSION_COLUMNS = {"config_browser_name", "config_client_type", "config_device_brand", "config_device_model",
                      "config_device_type"}


@pytest.fixture(params=["sqlite"] + (["server"] if SERVER_URL else []))
def config_and_db(request, tmp_path):
    (tmp_path / "none.toml").write_text("")
    with scratch_database(SERVER_URL if request.param == "server" else "", tmp_path, "trackway_devices") as url:
        config = load_configuration({"TRACKWAY_DATABASE_URL": url, "TRACKWAY_CONFIG": str(tmp_path / "none.toml"),
                                     "TRACKWAY_LOAD_PLUGINS": ",".join(bundled_plugin_names())})
        db = open_database(config, migrate=True)
        try:
            yield config, db
        finally:
            db.engine.dispose()


def device_columns(db, table: str) -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns(table)} & VISIT_COLUMNS


def test_the_branch_adds_its_columns_and_takes_them_away_again(config_and_db):
    config, db = config_and_db
    assert (device_columns(db, "log_visit"), device_columns(db, "log_conversion")) == (VISIT_COLUMNS,
                                                                                      CONVERSION_COLUMNS)

    downgrade(db, config.plugins, "DevicesDetection@base")
    assert (device_columns(db, "log_visit"), device_columns(db, "log_conversion")) == (set(), set())

    upgrade(db, config.plugins)
    assert (device_columns(db, "log_visit"), device_columns(db, "log_conversion")) == (VISIT_COLUMNS,
                                                                                      CONVERSION_COLUMNS)
