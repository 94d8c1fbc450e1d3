"""The dimension template, rendered and run: for each dimension type and a few column types, a fresh
plugin gets a dimension; its generated tests pass unchanged, its migration adds the column to a
real SQLite database, a tracked page view fills it from the parameter, and downgrading the
plugin's branch removes it again."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from core.bootstrap import Configuration, full_schema, open_database
from core.migrate import downgrade
from core.plugins import PluginInfo, load_plugins
from core.scaffold import generate_dimension, generate_plugin
from core.settings import load_settings
from core.tracker import Tracker, TrackResult

BUNDLED = "CoreHome,Actions,PrivacyManager"
TABLES = {"visit": ["log_visit", "log_conversion"], "action": ["log_link_visit_action"],
          "conversion": ["log_conversion"]}
COLUMN_TYPES = {  # SQL type: (plugin name part, column, parameter sent, value read back)
    "VARCHAR(100)": ("Label", "shop_label", "summer sale", "summer sale"),
    "INT UNSIGNED": ("Count", "shop_count", "42", 42),
    "DOUBLE": ("Ratio", "shop_ratio", "2.5", 2.5),
}
EVERY_TYPE = [  # (SQL type, parameter sent, value read back)
    ("VARCHAR(20) NOT NULL DEFAULT 'none'", "a<b", "a&lt;b"), ("CHAR(2)", "xyz", "xy"), ("TEXT", "notes", "notes"),
    ("TINYINT(1)", "1", 1), ("TINYINT UNSIGNED", "300", None), ("SMALLINT", "-5", -5),
    ("SMALLINT UNSIGNED", "60000", 60000), ("MEDIUMINT", "-7", -7), ("MEDIUMINT UNSIGNED DEFAULT 3", "9", 9),
    ("INT", "12", 12), ("INTEGER(11)", "13", 13), ("BIGINT", "-14", -14),
    ("BIGINT UNSIGNED NOT NULL DEFAULT 0", "x", 0), ("FLOAT", "1.5", 1.5), ("DOUBLE NULL", "2.5", 2.5),
    ("DECIMAL(9,6)", "1.1234567", 1.123457), ("DECIMAL(4)", "1234", 1234), ("DATETIME", "2024-05-01 12:30:00",
                                                                             datetime(2024, 5, 1, 12, 30)),
    ("DATE DEFAULT '2000-01-01'", "2024-05-01", date(2024, 5, 1)), ("TIME", "12:30:00", time(12, 30)),
    ("BINARY(8)", "abc", b"abc"), ("VARBINARY(16)", "def", b"def"),
]


def new_plugin(name: str, tmp_path: Path, import_generated) -> tuple[Path, PluginInfo]:
    """A plugin made by generate_plugin, imported as trackway would import it once installed."""
    dist = generate_plugin(name, tmp_path)
    module = import_generated(dist, dist.name.removeprefix("trackway-").replace("-", "_") + ".plugin")
    return dist, PluginInfo(name, module.__name__, "", "", False, True, module)


def configuration(tmp_path: Path, plugin: PluginInfo) -> Configuration:
    importlib.invalidate_caches()  # the columns/ modules were written after the package was imported
    env = {"TRACKWAY_DATABASE_URL": f"sqlite:///{tmp_path / 'trackway.db'}",
           "TRACKWAY_LOAD_PLUGINS": f"{BUNDLED},{plugin.name}"}
    plugins = load_plugins(environ=env, extra_modules=[(plugin.name, plugin.module)])
    return Configuration(load_settings(full_schema(plugins), {}, environ=env), plugins, env)


def columns_of(db, *tables: str) -> set[str]:
    return {column["name"] for table in tables for column in inspect(db.engine).get_columns(db.prefix + table)}


def track_page_view(config: Configuration, db, params: dict) -> TrackResult:
    with db.engine.begin() as conn:
        idsite = conn.execute(db.table("site").insert().values(
            name="Template shop", main_url="http://shop.test", timezone="UTC", currency="EUR",
            ts_created=datetime(2024, 1, 1))).inserted_primary_key[0]
    tracker = Tracker(config.settings, db, config.plugins)
    try:
        return tracker.track(tracker.new_request(
            {"idsite": idsite, "rec": 1, "url": "http://shop.test/", "action_name": "Home", **params},
            remote_addr="192.0.2.10"))
    finally:
        tracker.hook.shutdown(tracker=tracker)


def stored_row(db, table: str) -> dict:
    with db.engine.connect() as conn:
        return dict(conn.execute(select(db.table(table))).mappings().one())


@pytest.mark.parametrize("sql", list(COLUMN_TYPES))
@pytest.mark.parametrize("kind", list(TABLES))
def test_a_generated_dimension_works_end_to_end(kind, sql, tmp_path, run_generated_tests, ruff_errors,
                                                import_generated):
    part, column, sent, expected = COLUMN_TYPES[sql]
    name = f"Tpl{kind.capitalize()}{part}"
    dist, plugin = new_plugin(name, tmp_path, import_generated)
    package = plugin.module_name.split(".")[0]

    created = generate_dimension(plugin, type=kind, name=f"Shop {part}", column_name=column, column_type=sql,
                                 existing_columns=lambda table: set())

    assert [path.relative_to(dist).as_posix() for path in created] == [
        f"{package}/columns/shop_{part.lower()}.py", f"{package}/migrations/{package}_0001.py",
        f"tests/test_shop_{part.lower()}.py"]
    assert ruff_errors(dist) == ""

    # (a) the generated tests pass as they are
    result = run_generated_tests(dist)
    assert result.returncode == 0, result.stdout + result.stderr

    # (b) the migration adds the column; a page view carrying the parameter fills it
    config = configuration(tmp_path, plugin)
    db = open_database(config, migrate=True)
    try:
        for table in TABLES[kind]:
            assert column in columns_of(db, table), table
        assert track_page_view(config, db, {column: sent}) is TrackResult.TRACKED
        if kind != "conversion":  # conversion rows come with the goal tracking, not a page view
            assert stored_row(db, TABLES[kind][0])[column] == expected

        # (c) downgrading the plugin's branch removes the column again
        downgrade(db, config.plugins, f"{name}@base")
        for table in TABLES[kind]:
            assert column not in columns_of(db, table), table
    finally:
        db.engine.dispose()


def test_every_accepted_column_type_renders_runs_and_migrates(tmp_path, run_generated_tests, ruff_errors,
                                                              import_generated):
    dist, plugin = new_plugin("TplEveryType", tmp_path, import_generated)
    kinds = list(TABLES)
    for number, (sql, _, _) in enumerate(EVERY_TYPE):
        generate_dimension(plugin, type=kinds[number % 3], name=f"Column {number}", column_name=f"column_{number}",
                           column_type=sql, existing_columns=lambda table: set())

    assert ruff_errors(dist) == ""
    result = run_generated_tests(dist)
    assert result.returncode == 0, result.stdout + result.stderr

    config = configuration(tmp_path, plugin)
    db = open_database(config, migrate=True)
    columns = {f"column_{number}" for number in range(len(EVERY_TYPE))}
    try:
        assert columns <= columns_of(db, "log_visit", "log_link_visit_action", "log_conversion")
        params = {f"column_{number}": sent for number, (_, sent, _) in enumerate(EVERY_TYPE)}
        assert track_page_view(config, db, params) is TrackResult.TRACKED

        stored = stored_row(db, "log_visit") | stored_row(db, "log_link_visit_action")
        for number, (sql, sent, expected) in enumerate(EVERY_TYPE):
            if kinds[number % 3] != "conversion":
                value = stored[f"column_{number}"]
                value = float(value) if sql.startswith("DECIMAL") else value
                assert value == expected, f"{sql} from {sent!r}"

        downgrade(db, config.plugins, "TplEveryType@base")
        assert not columns & columns_of(db, "log_visit", "log_link_visit_action", "log_conversion")
    finally:
        db.engine.dispose()
