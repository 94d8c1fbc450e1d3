"""A real third-party plugin distribution (tests/sample_plugin_dist), installed with pip, end to end:
listed, migrated, filling its column from live traffic, deactivated, downgraded, uninstalled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from tests.conftest import BUNDLED_PLUGINS, running_server
from tests.helpers import Console, TrackwayDb, scratch_database

SAMPLE_DIST = Path(__file__).resolve().parent / "sample_plugin_dist"
DISTRIBUTION = "trackway-sample-plugin"


def pip(*args: str) -> None:
    completed = subprocess.run([sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr


@pytest.fixture(scope="module")
def installed():
    pip("install", "--no-deps", "-e", str(SAMPLE_DIST))
    try:
        yield
    finally:
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", "--quiet", DISTRIBUTION],
                       capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def plugin_env(installed, trackway_env, tmp_path_factory):
    """The suite's hermetic environment, with the sample plugin allowed, on a database of its own."""
    server_url = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
    with scratch_database(server_url, tmp_path_factory.mktemp("plugin-db"), "trackway_plugin") as url:
        yield {**trackway_env, "TRACKWAY_DATABASE_URL": url, "TRACKWAY_LOAD_PLUGINS": BUNDLED_PLUGINS + ",SampleVisits"}


def columns_of(url: str, table: str) -> set[str]:
    engine = create_engine(url)
    try:
        return {column["name"] for column in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_a_pip_installed_plugin_from_install_to_uninstall(plugin_env, tmp_path):
    console = Console(plugin_env, Path(__file__).resolve().parent.parent)
    url = plugin_env["TRACKWAY_DATABASE_URL"]

    listed = console.run("plugin:list").stdout.splitlines()
    assert "SampleVisits\t1.2.3\tinstalled (trackway-sample-plugin)\tenabled" in listed

    console.run("core:update")
    assert "sample_plan" in columns_of(url, "log_visit")
    assert "sample_plan" in columns_of(url, "log_conversion")

    site = int(console.run("site:add", "--name", "Plugin shop", "--url", "http://plugin.test").last_line)
    db = TrackwayDb(url)
    try:
        with running_server(plugin_env, tmp_path) as server:
            assert server.page_view(site, cid="1111111111111111", plan="gold").status_code == 200
        assert [v["sample_plan"] for v in db.visits(site)] == ["gold"]

        console.run("plugin:deactivate", "SampleVisits")
        assert "SampleVisits\t1.2.3\tinstalled (trackway-sample-plugin)\tdisabled" in console.run("plugin:list").stdout
        with running_server(plugin_env, tmp_path) as server:
            server.page_view(site, cid="2222222222222222", plan="silver")
        assert [v["sample_plan"] for v in db.visits(site)] == ["gold", None]
        assert "sample_plan" in columns_of(url, "log_visit")  # deactivating keeps the column and its data

        downgraded = console.run("plugin:downgrade", "SampleVisits")
        assert "pip uninstall trackway-sample-plugin" in downgraded.stdout
        assert "sample_plan" not in columns_of(url, "log_visit")
        assert "sample_plan" not in columns_of(url, "log_conversion")
        assert len(db.visits(site)) == 2

        console.run("plugin:activate", "SampleVisits")
        console.run("core:update")
        assert "sample_plan" in columns_of(url, "log_visit")
    finally:
        db.close()

    pip("uninstall", "-y", DISTRIBUTION)  # without plugin:downgrade first
    failed = console.run("core:update", check=False)
    assert failed.returncode == 1
    assert "sample_visits_0001" in failed.stderr and "plugin:downgrade" in failed.stderr
