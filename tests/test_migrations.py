"""Schema migrations (core/migrate.py, core/bootstrap.py): the tables a SQL user finds, plugin branches,
table prefixes, and a tracker that refuses to start without its columns.

Non-destructive checks run against the session database. Tests that need a database of their own
(fresh installs, downgrades) use a scratch database: a SQLite file always, plus, when
``TRACKWAY_TEST_DATABASE_URL`` names a server, a separate database created on that server and
dropped afterwards, so the shared session database is never touched.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.dialects import mysql
from sqlalchemy.types import LargeBinary

import tests.fixtures.plugins.sample_plugin as sample_plugin
from core.bootstrap import Configuration, full_schema, load_configuration, open_database
from core.dimensions import Dimension
from core.migrate import downgrade, pending_heads, upgrade
from core.plugins import bundled_plugin_names, load_plugins
from core.settings import load_settings
from core.tracker import DimensionSetupError, Tracker, TrackResult
from tests.helpers import scratch_database

BUNDLED = ",".join(bundled_plugin_names())
CONTRACT_TABLES = ("log_visit", "log_link_visit_action", "log_action", "log_conversion", "log_conversion_item",
                   "site", "site_url", "goal", "option", "tracking_failure", "alembic_version")
SERVER_URL = os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip()
SCRATCH_BACKENDS = ["sqlite"] + (["server"] if SERVER_URL else [])


# -- helpers ---------------------------------------------------------------------------------------


@pytest.fixture(params=SCRATCH_BACKENDS)
def scratch_url(request, tmp_path):
    """An empty database of its own: a SQLite file, or a new database on the test server."""
    with scratch_database(SERVER_URL if request.param == "server" else "", tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'own.db'}"


@pytest.fixture(scope="module")
def empty_config_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("migrations-config") / "empty.toml"
    path.write_text("")
    return str(path)


@pytest.fixture
def environ(empty_config_file):
    """Builds the environment of a trackway process using ``url``."""
    def build(url: str, plugins: str = BUNDLED, **extra: str) -> dict[str, str]:
        return {"TRACKWAY_DATABASE_URL": url, "TRACKWAY_LOAD_PLUGINS": plugins, "TRACKWAY_CONFIG": empty_config_file,
                **extra}
    return build


def table_names(db) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def column_names(db, logical_table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(db.prefix + logical_table)}


def version_rows(db) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.execute(text(f"SELECT version_num FROM {db.prefix}alembic_version")).scalars())


def dimensions_of(plugins, plugin_name: str | None = None) -> list[Dimension]:
    found = []
    for impl in plugins.manager.hook.register_dimensions.get_hookimpls():
        if plugin_name is not None and impl.plugin_name != plugin_name:
            continue
        found.extend(cls() if isinstance(cls, type) else cls for cls in impl.function() or ())
    return found


def owned_columns(plugins, plugin_name: str) -> dict[str, set[str]]:
    """Columns the plugin's own migration creates: those of its dimensions with a column_type."""
    owned: dict[str, set[str]] = {}
    for dimension in dimensions_of(plugins, plugin_name):
        if dimension.column_type is not None:
            owned.setdefault(dimension.table, set()).add(dimension.column_name)
    return owned


def add_site(db) -> int:
    with db.engine.begin() as conn:
        return conn.execute(db.table("site").insert().values(
            name="Migrated shop", main_url="http://migrated.test", timezone="UTC", currency="EUR",
            ts_created=datetime(2024, 1, 1))).inserted_primary_key[0]


def track_page_view(config, db, idsite: int, url: str = "http://migrated.test/page") -> TrackResult:
    tracker = Tracker(config.settings, db, config.plugins)
    try:
        return tracker.track(tracker.new_request({"idsite": idsite, "rec": 1, "url": url, "action_name": "Page"},
                                                 remote_addr="192.0.2.10"))
    finally:
        tracker.hook.shutdown(tracker=tracker)


def visits(db, idsite: int) -> list[dict]:
    table = db.table("log_visit")
    with db.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(table).where(table.c.idsite == idsite)).mappings()]


# -- the session database --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def session(trackway_env):
    config = load_configuration(trackway_env)
    db = open_database(config, migrate=True)
    yield config, db
    db.engine.dispose()


def test_session_database_has_every_contract_table(session):
    _, db = session
    names = table_names(db)

    missing = [name for name in CONTRACT_TABLES if name not in names]
    assert not missing, f"tables missing: {missing}"
    assert pending_heads(db, session[0].plugins) == set()


def test_visitor_and_config_ids_are_eight_raw_bytes(session):
    _, db = session
    inspector = inspect(db.engine)
    checked = {"log_visit": ("idvisitor", "config_id"), "log_link_visit_action": ("idvisitor",),
               "log_conversion": ("idvisitor",), "log_conversion_item": ("idvisitor",)}
    for table, names in checked.items():
        types_ = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for name in names:
            column_type = types_[name]
            if db.dialect in ("mysql", "mariadb"):
                assert isinstance(column_type, mysql.BINARY) and column_type.length == 8, \
                    f"{table}.{name} is {column_type!r}, not BINARY(8)"
            else:
                assert isinstance(column_type, LargeBinary), f"{table}.{name} is {column_type!r}, not binary"
    location = {c["name"]: c["type"] for c in inspector.get_columns("log_visit")}["location_ip"]
    if db.dialect in ("mysql", "mariadb"):
        assert isinstance(location, mysql.VARBINARY) and location.length == 16
        with db.engine.connect() as conn:
            ddl = conn.execute(text("SHOW CREATE TABLE log_visit")).one()[1]
        assert re.search(r"`idvisitor` binary\(8\) NOT NULL", ddl), ddl
        assert re.search(r"`config_id` binary\(8\) NOT NULL", ddl), ddl
    else:
        assert isinstance(location, LargeBinary)


def test_every_enabled_dimension_has_its_column(session):
    config, db = session
    dimensions = dimensions_of(config.plugins)
    assert {type(d).__name__ for d in dimensions} >= {"VisitTotalTime", "VisitTotalActions", "IdactionUrl"}

    missing = [f"{d.table}.{d.column_name} ({d.name})" for d in dimensions
               if d.column_name not in column_names(db, d.table)]
    assert not missing, f"columns missing: {missing}"


def _normal_type(compiled: str) -> str:
    # MySQL display widths; TINYINT(1) keeps its width (a flag), the default TINYINT(3)/(4) does not
    without_widths = re.sub(r"\b(INTEGER|MEDIUMINT|SMALLINT|BIGINT)\(\d+\)", r"\1", compiled)
    # PostgreSQL creates FLOAT(53) as, and reflects it as, DOUBLE PRECISION
    double = re.sub(r"\bFLOAT\(53\)", "DOUBLE PRECISION", without_widths)
    return re.sub(r"\bTINYINT\((3|4)\)", "TINYINT", double)


def test_dimension_columns_have_the_declared_type(session):
    config, db = session
    inspector = inspect(db.engine)
    dialect = db.engine.dialect
    wrong = []
    for d in dimensions_of(config.plugins):
        if d.column_type is None:
            continue
        stored = {c["name"]: c["type"] for c in inspector.get_columns(db.prefix + d.table)}[d.column_name]
        want, got = _normal_type(d.column_type.compile(dialect=dialect)), _normal_type(stored.compile(dialect=dialect))
        if want != got:
            wrong.append(f"{d.table}.{d.column_name}: declared {want}, stored {got}")
    assert not wrong


def test_a_tracker_builds_on_the_session_database(session):
    config, db = session
    tracker = Tracker(config.settings, db, config.plugins)
    tracker.hook.shutdown(tracker=tracker)

    names = [d.column_name for d in tracker.visit_dimensions]
    assert names.index("visit_first_action_time") < names.index("visit_total_time")


# -- fresh installs --------------------------------------------------------------------------------


def test_a_fresh_database_is_migrated_with_every_contract_table(scratch_url, environ):
    config = load_configuration(environ(scratch_url))
    db = open_database(config, migrate=True)
    try:
        names = table_names(db)
        missing = [name for name in CONTRACT_TABLES if name not in names]
        assert not missing, f"tables missing: {missing}"
        assert version_rows(db), "alembic_version is empty"
        assert pending_heads(db, config.plugins) == set()

        upgrade(db, config.plugins)  # a second run changes nothing
        assert table_names(db) == names
    finally:
        db.engine.dispose()


def test_tables_prefix_applies_to_every_table_and_tracking_works(scratch_url, environ):
    config = load_configuration(environ(scratch_url, TRACKWAY_DATABASE__TABLES_PREFIX="tw_"))
    db = open_database(config, migrate=True)
    try:
        names = table_names(db)
        assert names, "no table was created"
        assert all(name.startswith("tw_") for name in names), f"unprefixed: {sorted(n for n in names if not n.startswith('tw_'))}"
        for name in CONTRACT_TABLES:
            assert "tw_" + name in names

        idsite = add_site(db)
        assert track_page_view(config, db, idsite) is TrackResult.TRACKED
        (visit,) = visits(db, idsite)
        assert visit["visit_total_actions"] == 1
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM tw_log_link_visit_action")).scalar() == 1
            assert conn.execute(text("SELECT COUNT(*) FROM tw_log_action")).scalar() == 2  # URL and title
    finally:
        db.engine.dispose()

    # a second, unprefixed install in the same database: no clash of table or index names
    plain_config = load_configuration(environ(scratch_url))
    plain = open_database(plain_config, migrate=True)
    try:
        assert {"log_visit", "alembic_version"} <= table_names(plain)
        assert visits(plain, idsite) == []
        assert len(visits(db, idsite)) == 1
    finally:
        plain.engine.dispose()
        db.engine.dispose()


# -- plugin branches -------------------------------------------------------------------------------


def test_downgrading_the_actions_branch_removes_its_columns_and_upgrading_restores_them(scratch_url, environ):
    config = load_configuration(environ(scratch_url))
    db = open_database(config, migrate=True)
    try:
        actions_columns = owned_columns(config.plugins, "Actions")
        assert "visit_total_actions" in actions_columns["log_visit"]
        assert "idaction_url" in actions_columns["log_link_visit_action"]
        rows_before = version_rows(db)

        downgrade(db, config.plugins, "Actions@base")

        for table, owned in actions_columns.items():
            left = owned & column_names(db, table)
            assert not left, f"{table} still has {sorted(left)}"
        assert {"visit_total_time", "visit_first_action_time", "idvisitor"} <= column_names(db, "log_visit")
        assert {"server_time", "idaction_url_ref", "pageview_position"} <= column_names(db, "log_link_visit_action")
        assert len(version_rows(db)) == len(rows_before) - 1
        assert pending_heads(db, config.plugins) != set()

        reopened = open_database(config, migrate=False)  # a process started now, without core:update
        with pytest.raises(DimensionSetupError) as caught:
            Tracker(config.settings, reopened, config.plugins)
        assert "Actions" in str(caught.value) and "core:update" in str(caught.value)
        reopened.engine.dispose()

        upgrade(db, config.plugins)

        for table, owned in actions_columns.items():
            assert owned <= column_names(db, table)
        assert version_rows(db) == rows_before
        db.reflect()
        idsite = add_site(db)
        assert track_page_view(config, db, idsite) is TrackResult.TRACKED
        assert visits(db, idsite)[0]["visit_total_actions"] == 1
    finally:
        db.engine.dispose()


def test_enabling_a_plugin_needs_its_migration_before_a_tracker_starts(sqlite_url, environ):
    core_home_only = load_configuration(environ(sqlite_url, plugins="CoreHome"))
    db = open_database(core_home_only, migrate=True)
    db.engine.dispose()
    assert "visit_total_actions" not in column_names(db, "log_visit")

    with_actions = load_configuration(environ(sqlite_url))
    stale = open_database(with_actions, migrate=False)
    assert pending_heads(stale, with_actions.plugins) != set()
    with pytest.raises(DimensionSetupError, match=r"core:update"):
        Tracker(with_actions.settings, stale, with_actions.plugins)
    stale.engine.dispose()

    migrated = open_database(with_actions, migrate=True)  # what core:update does
    try:
        assert pending_heads(migrated, with_actions.plugins) == set()
        assert "visit_total_actions" in column_names(migrated, "log_visit")
        idsite = add_site(migrated)
        assert track_page_view(with_actions, migrated, idsite) is TrackResult.TRACKED
    finally:
        migrated.engine.dispose()


def sample_configuration(env: dict[str, str]) -> Configuration:
    plugins = load_plugins(environ=env, extra_modules=[("Sample", sample_plugin)])
    return Configuration(load_settings(full_schema(plugins), {}, environ=env), plugins, env)


def test_a_third_party_plugin_column_lives_and_dies_with_its_branch(scratch_url, environ):
    env = environ(scratch_url)
    config = sample_configuration(env)
    assert config.plugins.info("Sample").migrations_dir is not None
    db = open_database(config, migrate=True)
    try:
        assert "sample_score" in column_names(db, "log_visit")
        idsite = add_site(db)
        assert track_page_view(config, db, idsite) is TrackResult.TRACKED
        assert visits(db, idsite)[0]["sample_score"] == sample_plugin.SAMPLE_VALUE

        downgrade(db, config.plugins, "Sample@base")

        assert "sample_score" not in column_names(db, "log_visit")
        assert {"visit_total_time", "visit_total_actions"} <= column_names(db, "log_visit")
        db.reflect()
        assert len(visits(db, idsite)) == 1  # the rows stay, only the plugin's column goes
        reopened = open_database(config, migrate=False)
        with pytest.raises(DimensionSetupError) as caught:
            Tracker(config.settings, reopened, config.plugins)
        assert "Sample" in str(caught.value) and "core:update" in str(caught.value)
        reopened.engine.dispose()

        # without the plugin the same database is up to date and tracks
        bundled = load_configuration(env)
        assert pending_heads(db, bundled.plugins) == set()
        plain = open_database(bundled, migrate=False)
        assert track_page_view(bundled, plain, idsite) is TrackResult.TRACKED
        plain.engine.dispose()
    finally:
        db.engine.dispose()


def test_disabling_a_migrated_plugin_keeps_the_database_usable(sqlite_url, environ):
    db = open_database(load_configuration(environ(sqlite_url)), migrate=True)
    db.engine.dispose()

    without_actions = load_configuration(environ(sqlite_url, plugins="CoreHome,PrivacyManager"))
    db = open_database(without_actions, migrate=True)  # what `core:update` and `serve` do
    try:
        assert pending_heads(db, without_actions.plugins) == set()
        idsite = add_site(db)
        assert track_page_view(without_actions, db, idsite) is TrackResult.TRACKED
    finally:
        db.engine.dispose()
