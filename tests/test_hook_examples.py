"""One small, realistic plugin per hook in core/hookspecs.py, run for real.

Each test builds a tracker (or the Starlette app) on a fresh, migrated SQLite database with the
bundled plugins plus the example, sends real tracking requests and checks what a user would
see: rows in the database, the HTTP response, nothing stored for an excluded request.

The code between ``# example: <hook>`` and ``# end example`` is shown verbatim in
docs/plugin_hooks.md; tests/test_hooks_documented.py checks that the two stay identical. Keep
those blocks short, self-contained (their imports included) and free of test scaffolding.
"""

from __future__ import annotations

import ipaddress
import itertools
import logging
import time
import types
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

with warnings.catch_warnings():  # Starlette 1.x announces a move from httpx to httpx2 for its TestClient
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from core import TrackingError
from core.app import create_app
from core.bootstrap import Configuration, full_schema, open_database
from core.db import Database
from core.plugins import bundled_plugin_names, load_plugins
from core.settings import ConfigError, load_settings
from core.tracker import Tracker, TrackResult

BUNDLED = ",".join(bundled_plugin_names())
SITE = 1
"""The site every test database starts with (the first row of a fresh ``site`` table)."""
VISITOR_A = "a1b2c3d4e5f60718"
VISITOR_B = "0f1e2d3c4b5a6978"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/125.0.6422.142 Safari/537.36")


# -- scaffolding -----------------------------------------------------------------------------------


def as_plugin(module_name: str, *hooks) -> types.ModuleType:
    """A plugin module holding the given hook implementations (functions named after their hooks)."""
    module = types.ModuleType(module_name)
    for hook in hooks:
        setattr(module, hook.__name__, hook)
    return module


class Sandbox:
    """Builds configurations, databases, trackers and apps in one test's tmp_path."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self._numbers = itertools.count(1)
        self._trackers: list[Tracker] = []
        self._databases: list[Database] = []

    def config(self, *hooks, helpers=(), settings=None, without=()) -> Configuration:
        """Bundled plugins (but those named in ``without``), plus ``Example`` (the hooks under test)
        and ``Helper`` (test-only hooks), on a database file of its own."""
        number = next(self._numbers)
        env = {"TRACKWAY_LOAD_PLUGINS": ",".join(name for name in BUNDLED.split(",") if name not in without),
               "TRACKWAY_DATABASE_URL": f"sqlite:///{self.tmp_path / f'trackway-{number}.db'}"}
        extra = []
        if hooks:
            extra.append(("Example", as_plugin(f"trackway_example_{number}", *hooks)))
        if helpers:
            extra.append(("Helper", as_plugin(f"trackway_helper_{number}", *helpers)))
        plugins = load_plugins(environ=env, extra_modules=extra)
        return Configuration(load_settings(full_schema(plugins), settings or {}, environ=env), plugins, env)

    def database(self, config: Configuration) -> Database:
        """The configuration's database, migrated, with the test site (id 1) in it."""
        db = open_database(config, migrate=True)
        self._databases.append(db)
        add_site(db)
        return db

    def tracker(self, *hooks, helpers=(), settings=None, without=()) -> Tracker:
        config = self.config(*hooks, helpers=helpers, settings=settings, without=without)
        tracker = Tracker(config.settings, self.database(config), config.plugins)
        self._trackers.append(tracker)
        return tracker

    def app_client(self, *hooks, helpers=(), settings=None) -> tuple[TestClient, Database]:
        """A TestClient for ``create_app`` (use it in a ``with`` block: that runs the lifespan)."""
        config = self.config(*hooks, helpers=helpers, settings=settings)
        db = self.database(config)
        return TestClient(create_app(config)), db

    def close(self) -> None:
        for tracker in self._trackers:
            tracker.close()
        for db in self._databases:
            db.engine.dispose()


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


def add_site(db: Database, **columns) -> int:
    values = {"name": "Shop", "main_url": "http://shop.test", "timezone": "UTC", "currency": "EUR",
              "ts_created": datetime(2024, 1, 1), **columns}
    with db.engine.begin() as conn:
        return conn.execute(db.table("site").insert().values(**values)).inserted_primary_key[0]


def track(tracker: Tracker, headers=None, remote_addr: str = "192.0.2.10", **params) -> TrackResult:
    query = {"idsite": SITE, "rec": 1, "url": "http://shop.test/", **params}
    return tracker.track(tracker.new_request({k: v for k, v in query.items() if v is not None},
                                             headers=headers or {}, remote_addr=remote_addr))


def rows(db: Database, table_name: str, **where) -> list[dict]:
    table = db.table(table_name)
    query = select(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with db.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(*table.primary_key.columns)).mappings()]


def action_name(db: Database, idaction: int | None) -> tuple[str, int] | None:
    if idaction is None:
        return None
    (row,) = rows(db, "log_action", idaction=idaction)
    return row["name"], row["type"]


# -- start-up hooks --------------------------------------------------------------------------------


def test_settings_schema_declares_keys_that_hooks_read_back(sandbox):
    # example: settings_schema
    import ipaddress

    from core import Setting, hookimpl

    @hookimpl
    def settings_schema():
        return {"StaffFilter": {"networks": Setting(["10.0.0.0/8"], "Staff networks: their requests are not tracked.")}}

    @hookimpl
    def exclusion_reason(request):
        networks = request.settings.get("StaffFilter", "networks")
        if any(ipaddress.ip_address(request.ip) in ipaddress.ip_network(net) for net in networks):
            return "staff"
        return None
    # end example

    tracker = sandbox.tracker(settings_schema, exclusion_reason,
                              settings={"StaffFilter": {"networks": ["192.0.2.0/24"]}})

    assert tracker.settings.get("StaffFilter", "networks") == ["192.0.2.0/24"]
    assert track(tracker, remote_addr="192.0.2.44") is TrackResult.EXCLUDED
    assert rows(tracker.db, "log_visit") == []
    assert track(tracker, remote_addr="10.1.2.3") is TrackResult.TRACKED  # the default no longer applies
    assert track(tracker, remote_addr="198.51.100.7") is TrackResult.TRACKED
    assert len(rows(tracker.db, "log_visit")) == 2

    defaults = sandbox.tracker(settings_schema, exclusion_reason)
    assert track(defaults, remote_addr="10.1.2.3") is TrackResult.EXCLUDED

    with pytest.raises(ConfigError, match="network"):  # a misspelt key stops start-up
        sandbox.config(settings_schema, settings={"StaffFilter": {"network": ["192.0.2.0/24"]}})


def test_register_dimensions_fills_a_column_of_every_action_row(sandbox):
    # example: register_dimensions
    from core import ActionDimension, hookimpl

    class GenerationTime(ActionDimension):
        """How long the server took to build the page (``gt_ms``, in ms)."""

        column_name = "custom_float"  # a column the core creates: this dimension needs no migration

        def on_new_action(self, request, visitor, action):
            return request.get_float("gt_ms")

    @hookimpl
    def register_dimensions():
        return [GenerationTime]
    # end example

    tracker = sandbox.tracker(register_dimensions)

    assert "GenerationTime" in [d.name for d in tracker.action_dimensions]
    assert track(tracker, gt_ms="245") is TrackResult.TRACKED
    assert track(tracker, url="http://shop.test/about") is TrackResult.TRACKED
    assert [row["custom_float"] for row in rows(tracker.db, "log_link_visit_action")] == [245.0, None]


def test_startup_and_shutdown_open_and_close_a_resource_once_per_process(sandbox):
    # example: startup
    from concurrent.futures import ThreadPoolExecutor

    from core import hookimpl

    webhook_pools = {}

    @hookimpl
    def startup(tracker):
        # one pool per tracker (that is, per worker process) for slow follow-up work
        webhook_pools[tracker] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webhooks")
    # end example

    # example: shutdown
    @hookimpl
    def shutdown(tracker):
        webhook_pools.pop(tracker).shutdown(wait=True)  # finish the queued calls before the process exits
    # end example

    delivered = []

    def slow_webhook(url):
        time.sleep(0.2)
        delivered.append(url)

    @hookimpl
    def request_tracked(context):
        webhook_pools[context.tracker].submit(slow_webhook, context.action.url)

    client, db = sandbox.app_client(startup, shutdown, helpers=[request_tracked])
    assert webhook_pools == {}  # building the app does not start the tracker: the lifespan does
    with client:
        (tracker,) = webhook_pools
        assert tracker is client.app.state.tracker
        response = client.get("/matomo.php", params={"idsite": SITE, "rec": 1, "url": "http://shop.test/x"})
        assert response.status_code == 200
        assert len(webhook_pools) == 1  # a request does not run startup again
    assert webhook_pools == {}
    assert delivered == ["http://shop.test/x"]  # shutdown waited for the queued call


def test_register_routes_serves_a_plugin_route(sandbox):
    # example: register_routes
    from sqlalchemy import func, select
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from core import hookimpl

    def visit_count(request):  # a plain def runs in a thread pool: it may block on the database
        db, idsite = request.app.state.tracker.db, request.path_params["idsite"]
        visits = db.table("log_visit")
        with db.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(visits).where(visits.c.idsite == idsite)).scalar()
        return JSONResponse({"idsite": idsite, "visits": count})

    @hookimpl
    def register_routes():
        return [Route("/visit-count/{idsite:int}", visit_count)]
    # end example

    client, _ = sandbox.app_client(register_routes)
    with client:
        for visitor in (VISITOR_A, VISITOR_B, VISITOR_A):
            assert client.get("/matomo.php", params={"idsite": SITE, "rec": 1, "cid": visitor}).status_code == 200

        assert client.get(f"/visit-count/{SITE}").json() == {"idsite": SITE, "visits": 2}
        assert client.get("/visit-count/99").json() == {"idsite": 99, "visits": 0}
        assert client.get("/visit-count/abc").status_code == 404


def test_site_attributes_are_loaded_once_per_site_cache_entry(sandbox):
    # example: site_attributes
    from sqlalchemy import select

    from core import hookimpl

    tables = {}

    @hookimpl
    def startup(tracker):
        tables["goal"] = tracker.db.table("goal")  # reflected under the configured tables_prefix

    @hookimpl
    def site_attributes(site, connection):
        goal = tables["goal"]
        query = select(goal.c.idgoal, goal.c.pattern).where(goal.c.idsite == site.idsite, goal.c.deleted == 0)
        return {"url_goals": dict(connection.execute(query).all())}
    # end example

    site_loads, seen = [], []

    @hookimpl
    def process_request(context):  # a request reads the attribute from memory: a goal plugin in miniature
        goals = context.site.attributes["url_goals"]
        seen.append(goals)
        if context.action is not None and any(pattern in context.action.url for pattern in goals.values()):
            context.converted = True

    @hookimpl(specname="site_attributes")
    def count_site_loads(site):
        site_loads.append(site.idsite)

    config = sandbox.config(startup, site_attributes, helpers=[process_request, count_site_loads])
    db = sandbox.database(config)
    goal_row = {"idsite": SITE, "description": "", "match_attribute": "url", "pattern_type": "contains",
                "case_sensitive": 0, "allow_multiple": 0, "revenue": 0}
    with db.engine.begin() as conn:
        conn.execute(db.table("goal").insert(), [
            {**goal_row, "idgoal": 1, "name": "Order", "pattern": "/checkout/done", "deleted": 0},
            {**goal_row, "idgoal": 2, "name": "Old", "pattern": "/legacy", "deleted": 1},
        ])
    tracker = Tracker(config.settings, db, config.plugins)
    try:
        for path in ("/", "/cart", "/checkout/done"):
            assert track(tracker, url="http://shop.test" + path, _id=VISITOR_A) is TrackResult.TRACKED

        assert site_loads == [SITE]  # once for three requests
        assert seen == [{1: "/checkout/done"}] * 3
        (visit,) = rows(db, "log_visit")
        assert visit["visit_goal_converted"] == 1

        tracker.sites.clear()  # what a changed cache version (cache:clear, an edited site) leads to
        assert track(tracker, url="http://shop.test/", _id=VISITOR_A) is TrackResult.TRACKED
        assert site_loads == [SITE, SITE]
    finally:
        tracker.close()


def test_excluded_query_parameters_are_stripped_from_stored_urls(sandbox):
    # example: excluded_query_parameters
    from core import hookimpl

    @hookimpl
    def excluded_query_parameters(site):
        # partner links (/shoes?ref=partner-42) count as the page itself
        return ["ref", "partner_id"]
    # end example

    tracker = sandbox.tracker(excluded_query_parameters)

    assert track(tracker, url="http://shop.test/shoes?ref=partner-42&color=red&partner_id=7") is TrackResult.TRACKED

    (action,) = rows(tracker.db, "log_link_visit_action")
    name, _ = action_name(tracker.db, action["idaction_url"])
    assert name == "shop.test/shoes?color=red"
    assert {"ref", "partner_id"} <= set(tracker.sites.get(SITE).attributes["excluded_query_parameters"])


# -- per request -----------------------------------------------------------------------------------


def test_prepare_request_pseudonymises_the_user_id(sandbox):
    # example: prepare_request
    import hashlib

    from core import InvalidRequest, hookimpl

    @hookimpl
    def prepare_request(request):
        """Sites send e-mail addresses as the user id: store a pseudonym instead."""
        uid = request.get_raw("uid")
        if uid is None:
            return
        if not isinstance(uid, str):
            raise InvalidRequest("uid must be a single value")
        request.params["uid"] = hashlib.sha256(b"our-secret-pepper:" + uid.encode()).hexdigest()[:32]
    # end example

    tracker = sandbox.tracker(prepare_request)
    pseudonym = hashlib.sha256(b"our-secret-pepper:alice@example.com").hexdigest()[:32]

    assert track(tracker, uid="alice@example.com") is TrackResult.TRACKED
    assert track(tracker, uid="alice@example.com", url="http://shop.test/orders") is TrackResult.TRACKED

    (visit,) = rows(tracker.db, "log_visit")  # the same pseudonym: still one visitor, one visit
    assert visit["user_id"] == pseudonym
    assert bytes(visit["idvisitor"]) == hashlib.sha1(pseudonym.encode()).digest()[:8]
    assert "alice" not in repr(rows(tracker.db, "log_visit") + rows(tracker.db, "log_action"))

    with pytest.raises(TrackingError, match="uid must be a single value") as refused:
        track(tracker, uid=["alice@example.com", "bob@example.com"])
    assert refused.value.status == 400


def test_exclusion_reason_keeps_monitoring_out_but_answers_alike(sandbox):
    # example: exclusion_reason
    from core import hookimpl

    @hookimpl
    def exclusion_reason(request):
        """Our uptime monitor sends X-Monitoring: 1 with each page load: keep it out of the reports."""
        if request.header("x-monitoring") == "1":
            return "monitoring"
        return None
    # end example

    client, db = sandbox.app_client(exclusion_reason)
    params = {"idsite": SITE, "rec": 1, "url": "http://shop.test/"}
    with client:
        excluded = client.get("/matomo.php", params=params, headers={"X-Monitoring": "1"})
        assert rows(db, "log_visit") == [] and rows(db, "log_action") == []
        tracked = client.get("/matomo.php", params=params)

    assert (excluded.status_code, excluded.headers["content-type"], excluded.content) == \
        (tracked.status_code, tracked.headers["content-type"], tracked.content)
    assert len(rows(db, "log_visit")) == 1


def test_device_fingerprint_tells_devices_apart(sandbox):
    # example: device_fingerprint
    from core import hookimpl

    @hookimpl
    def device_fingerprint(request):
        """A deliberately rough detection: a real plugin would use a user-agent parser."""
        ua = request.user_agent
        if "Firefox/" in ua:
            browser, version = "FF", ua.split("Firefox/", 1)[1].split(" ", 1)[0]
        elif "Chrome/" in ua:
            browser, version = "CH", ua.split("Chrome/", 1)[1].split(" ", 1)[0]
        else:
            return None  # unknown here: another plugin may know; if none does, the device is UNK
        os_code = "WIN" if "Windows" in ua else "LIN" if "Linux" in ua else "UNK"
        return {"os": os_code, "browser": browser, "browser_version": version, "is_internet_explorer": False}
    # end example

    def visits_of_two_devices(tracker) -> list[dict]:
        for agent in (FIREFOX_LINUX, CHROME_WINDOWS):  # same IP and language, no cookie
            assert track(tracker, ua=agent) is TrackResult.TRACKED
        return rows(tracker.db, "log_visit")

    without = visits_of_two_devices(sandbox.tracker(without=("DevicesDetection",)))
    assert len(without) == 1  # both devices are UNK/UNK: one config id, one visit

    with_plugin = visits_of_two_devices(sandbox.tracker(device_fingerprint, without=("DevicesDetection",)))
    assert len(with_plugin) == 2
    assert with_plugin[0]["config_id"] != with_plugin[1]["config_id"]


def test_build_action_claims_its_own_requests_before_the_page_view(sandbox):
    # example: build_action
    from core import Action, ActionName, ActionType, hookimpl

    class PingTest(Action):
        kind = "ping-test"  # priority 0: above the page view (-1), below Matomo's own kinds

    @hookimpl
    def build_action(request, site):
        if request.get_raw("kind") != "ping-test":
            return None  # not ours: another kind, or the page view, takes the request
        probe = ActionName("ping-test/" + (request.get_str("probe") or "unnamed"), ActionType.EVENT_CATEGORY)
        return PingTest(type=ActionType.EVENT_CATEGORY, names={"idaction_name": probe})
    # end example

    tracker = sandbox.tracker(build_action)

    assert track(tracker, kind="ping-test", probe="eu-west") is TrackResult.TRACKED
    assert track(tracker, url="http://shop.test/pricing", action_name="Pricing") is TrackResult.TRACKED

    ping, page = rows(tracker.db, "log_link_visit_action")
    assert ping["idaction_url"] is None
    assert action_name(tracker.db, ping["idaction_name"]) == ("ping-test/eu-west", 10)
    assert action_name(tracker.db, page["idaction_url"]) == ("shop.test/pricing", 1)
    assert action_name(tracker.db, page["idaction_name"]) == ("Pricing", 4)


def test_should_force_new_visit_on_a_parameter(sandbox):
    # example: should_force_new_visit
    from core import hookimpl

    @hookimpl
    def should_force_new_visit(context):
        """Shop-floor kiosks send kiosk_reset=1 when the next customer starts: that is a new visit."""
        return context.request.get_int("kiosk_reset") == 1
    # end example

    tracker = sandbox.tracker(should_force_new_visit)

    start = int(time.time()) - 600
    for minute, reset in enumerate((None, None, 1, None)):
        assert track(tracker, _id=VISITOR_A, kiosk_reset=reset, cdt=start + 60 * minute) is TrackResult.TRACKED

    first, second = rows(tracker.db, "log_visit")
    assert (first["visit_total_actions"], second["visit_total_actions"]) == (2, 2)
    assert first["idvisitor"] == second["idvisitor"]  # the same device, a new visit
    assert second["visitor_count_visits"] == 2


def test_a_visit_forced_in_the_same_second_receives_the_next_request(sandbox):
    from core import hookimpl

    @hookimpl
    def should_force_new_visit(context):
        return context.request.get_int("kiosk_reset") == 1

    tracker = sandbox.tracker(should_force_new_visit)
    now = int(time.time())
    for reset in (None, 1, None):
        assert track(tracker, _id=VISITOR_A, kiosk_reset=reset, cdt=now) is TrackResult.TRACKED

    first, second = rows(tracker.db, "log_visit")
    assert (first["visit_total_actions"], second["visit_total_actions"]) == (1, 2)


def test_process_request_handles_heartbeats(sandbox):
    # example: process_request
    from core import hookimpl

    @hookimpl
    def process_request(context):
        """Heartbeats (ping=1) measure time spent: they add no action, and on their own they open no visit."""
        if context.request.get_int("ping") != 1:
            return None
        context.action = None
        return context.is_new_visit  # True drops the request: nothing is stored
    # end example

    tracker = sandbox.tracker(process_request)
    start = int(time.time()) - 120

    assert track(tracker, ping=1, _id=VISITOR_A, cdt=start) is TrackResult.DROPPED
    assert rows(tracker.db, "log_visit") == [] and rows(tracker.db, "log_link_visit_action") == []

    assert track(tracker, _id=VISITOR_A, cdt=start + 10) is TrackResult.TRACKED
    assert track(tracker, ping=1, _id=VISITOR_A, cdt=start + 40) is TrackResult.TRACKED

    (visit,) = rows(tracker.db, "log_visit")
    assert len(rows(tracker.db, "log_link_visit_action")) == 1
    assert visit["visit_total_actions"] == 1
    assert visit["visit_total_time"] == 31  # the heartbeat extended the visit by 30 s


def test_after_request_processed_changes_the_stored_ip(sandbox):
    # example: after_request_processed
    from core import hookimpl

    @hookimpl(trylast=True)
    def after_request_processed(context):
        """Intranet sites store no visitor IP at all; other sites keep PrivacyManager's masked one."""
        if context.site.type == "intranet" and context.is_new_visit:
            context.visitor.set("location_ip", bytes(len(context.visitor.get("location_ip"))))
    # end example

    tracker = sandbox.tracker(after_request_processed)
    intranet = add_site(tracker.db, name="Wiki", main_url="http://wiki.internal", type="intranet")

    assert track(tracker, remote_addr="192.0.2.10") is TrackResult.TRACKED
    for page in ("http://wiki.internal/", "http://wiki.internal/faq"):
        assert track(tracker, idsite=intranet, url=page, remote_addr="192.0.2.10") is TrackResult.TRACKED

    (shop,) = rows(tracker.db, "log_visit", idsite=SITE)
    (wiki,) = rows(tracker.db, "log_visit", idsite=intranet)
    assert ipaddress.ip_address(bytes(shop["location_ip"])) == ipaddress.ip_address("192.0.0.0")
    assert bytes(wiki["location_ip"]) == bytes(4)
    assert wiki["visit_total_actions"] == 2  # the blank IP did not break recognising the visitor


def test_record_writes_rows_of_the_plugins_own_table_in_the_same_transaction(sandbox):
    # example: record
    from sqlalchemy import text

    from core import hookimpl

    @hookimpl
    def record(context, connection):
        """Which signed-in user saw which page, in the plugin's own table (its migration creates it)."""
        if context.request.user_id and context.action is not None:
            table = context.tracker.db.prefix + "user_page_view"
            connection.execute(text(f"INSERT INTO {table} (idlink_va, user_id, url) VALUES (:id, :uid, :url)"),
                               {"id": context.idlink_va, "uid": context.request.user_id, "url": context.action.url})
    # end example

    tracker = sandbox.tracker(record)
    with tracker.db.engine.begin() as conn:  # what the plugin's migration would do
        conn.execute(text("CREATE TABLE user_page_view (idlink_va INTEGER PRIMARY KEY, user_id VARCHAR(200), "
                          "url VARCHAR(4096))"))

    assert track(tracker, uid="u-17", url="http://shop.test/orders") is TrackResult.TRACKED
    assert track(tracker, url="http://shop.test/anonymous") is TrackResult.TRACKED

    with tracker.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT idlink_va, user_id, url FROM user_page_view")).all()
    (first_action, _) = rows(tracker.db, "log_link_visit_action")
    assert [tuple(row) for row in stored] == [(first_action["idlink_va"], "u-17", "http://shop.test/orders")]


def test_an_exception_in_record_rolls_the_whole_request_back(sandbox):
    from core import hookimpl

    @hookimpl
    def record(context, connection):
        raise RuntimeError("the plugin's table is gone")

    tracker = sandbox.tracker(record)

    with pytest.raises(RuntimeError):
        track(tracker)
    assert rows(tracker.db, "log_visit") == [] and rows(tracker.db, "log_link_visit_action") == []
    assert rows(tracker.db, "log_action") == []


def test_request_tracked_counts_new_visits(sandbox):
    # example: request_tracked
    from collections import Counter

    from core import hookimpl

    new_visits = Counter()  # per site, since this process started

    @hookimpl
    def request_tracked(context):
        if context.is_new_visit:
            new_visits[context.site.idsite] += 1
    # end example

    tracker = sandbox.tracker(request_tracked)

    for visitor in (VISITOR_A, VISITOR_A, VISITOR_B, VISITOR_A):
        assert track(tracker, cid=visitor) is TrackResult.TRACKED
    assert track(tracker, rec=0, _id="1234567890abcdef") is TrackResult.EXCLUDED

    assert new_visits == {SITE: 2}
    assert len(rows(tracker.db, "log_visit")) == 2


def test_a_failing_request_tracked_does_not_undo_the_request(sandbox, caplog):
    from core import hookimpl

    @hookimpl
    def request_tracked(context):
        raise ConnectionError("the webhook receiver is down")

    tracker = sandbox.tracker(request_tracked)

    with caplog.at_level(logging.ERROR, logger="trackway.tracker"):
        assert track(tracker) is TrackResult.TRACKED
    assert len(rows(tracker.db, "log_visit")) == 1
    assert "request_tracked" in caplog.text


def test_request_excluded_counts_the_reasons(sandbox):
    # example: request_excluded
    from collections import Counter

    from core import hookimpl

    excluded = Counter()

    @hookimpl
    def request_excluded(request, reason):
        excluded[reason] += 1
    # end example

    tracker = sandbox.tracker(request_excluded, settings={"PrivacyManager": {"do_not_track_enabled": True}})

    assert track(tracker, rec=None) is TrackResult.EXCLUDED
    assert track(tracker, headers={"dnt": "1"}) is TrackResult.EXCLUDED
    assert track(tracker, headers={"dnt": "1"}, url="http://shop.test/2") is TrackResult.EXCLUDED
    assert track(tracker) is TrackResult.TRACKED

    assert excluded == {"rec_missing": 1, "do_not_track": 2}
    assert len(rows(tracker.db, "log_visit")) == 1


# -- console -----------------------------------------------------------------------------------------


# example: register_commands
from sqlalchemy import func, select

from core import CommandError, ConsoleCommand, hookimpl


def count_visits(args, context):
    db = context.database()
    visits = db.table("log_visit")
    with db.engine.connect() as conn:
        if conn.execute(select(db.table("site").c.idsite).where(db.table("site").c.idsite == args.idsite)).first() is None:
            raise CommandError(f"site {args.idsite} does not exist")
        print(conn.execute(select(func.count()).select_from(visits).where(visits.c.idsite == args.idsite)).scalar())


@hookimpl
def register_commands():
    return [ConsoleCommand("visits:count", "print how many visits a site has", count_visits,
                           configure=lambda parser: parser.add_argument("--idsite", type=int, required=True))]
# end example


def test_register_commands_adds_a_console_command(tmp_path, capsys, monkeypatch):
    from core import cli

    env = {"TRACKWAY_LOAD_PLUGINS": BUNDLED, "TRACKWAY_DATABASE_URL": f"sqlite:///{tmp_path / 'commands.db'}",
           "TRACKWAY_CONFIG": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("")
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # the command loads the configuration the way the console does
    plugins = load_plugins(environ=env, extra_modules=[("Example", as_plugin("trackway_commands", register_commands))])
    config = Configuration(load_settings(full_schema(plugins), {}, environ=env), plugins, env)
    tracker = Tracker(config.settings, open_database(config, migrate=True), config.plugins)
    add_site(tracker.db)
    tracker.track(tracker.new_request({"idsite": "1", "rec": "1", "url": "http://shop.test/"}))
    tracker.close()
    parser = cli.build_parser([command for group in plugins.manager.hook.register_commands() for command in group])

    counted = parser.parse_args(["visits:count", "--idsite", "1"])
    counted.run(counted)
    assert capsys.readouterr().out.strip() == "1"
    missing = parser.parse_args(["visits:count", "--idsite", "9"])
    with pytest.raises(CommandError, match="site 9 does not exist"):
        missing.run(missing)
