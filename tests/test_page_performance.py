"""PagePerformance: the pf_* timings land on page-view rows as Matomo stores them.

Page views go over real HTTP. Timings that arrive after their page view (with a heartbeat or an
event, as matomo.js sends them) need request kinds no bundled plugin builds yet: those tests run a
tracker in-process, on a database of their own (the test server's backend when one is set), with
two small stand-in plugins.
"""

from __future__ import annotations

import os
import types
from datetime import datetime

import pytest
from sqlalchemy import func, select

from core import Action, ActionName, ActionType, hookimpl
from core.bootstrap import Configuration, full_schema, open_database
from core.plugins import bundled_plugin_names, load_plugins
from core.settings import load_settings
from core.tracker import Tracker, TrackResult
from tests.helpers import scratch_database

VISITOR = "eb99367032ce97d5"
COLUMNS = {"pf_net": "time_network", "pf_srv": "time_server", "pf_tfr": "time_transfer",
           "pf_dm1": "time_dom_processing", "pf_dm2": "time_dom_completion", "pf_onl": "time_on_load"}
MATOMO_JS_TIMINGS = {"pf_net": "0", "pf_srv": "12", "pf_tfr": "3", "pf_dm1": "11"}
"""The timings matomo.js sent with its first page view (real-clients capture, seq 1)."""
MATOMO_JS_LATE_TIMINGS = {**MATOMO_JS_TIMINGS, "pf_dm2": "106", "pf_onl": "0"}
"""...and with the heartbeat that followed once the page had loaded (seq 2)."""


def timings(row: dict) -> dict[str, int | None]:
    return {parameter: row[column] for parameter, column in COLUMNS.items()}


def count(db, table_name: str, **where) -> int:
    table = db.table(table_name)
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with db.engine.connect() as conn:
        return conn.execute(query).scalar()


# -- page views, over HTTP -------------------------------------------------------------------------


def test_matomo_js_page_view_stores_its_timings(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0, "pv_id": "vZY2Dc", **MATOMO_JS_TIMINGS})

    assert response.status_code == 204
    (action,) = db.actions(site)
    assert timings(action) == {"pf_net": 0, "pf_srv": 12, "pf_tfr": 3, "pf_dm1": 11, "pf_dm2": None, "pf_onl": None}


def test_each_parameter_fills_its_column(server, db, site):
    server.page_view(site, _id=VISITOR, pf_net=1, pf_srv=2, pf_tfr=3, pf_dm1=4, pf_dm2=5, pf_onl=6)

    (action,) = db.actions(site)
    assert timings(action) == {"pf_net": 1, "pf_srv": 2, "pf_tfr": 3, "pf_dm1": 4, "pf_dm2": 5, "pf_onl": 6}


@pytest.mark.parametrize("value, stored", [("-1", None), ("abc", None), ("1.5", None), ("", None),
                                           ("16777215", 16777215), ("16777216", None), ("99999999999", None)])
def test_absent_unreadable_and_too_large_timings_are_null(server, db, site, value, stored):
    response = server.page_view(site, _id=VISITOR, pf_srv=value, pf_net=7)

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert (action["time_server"], action["time_network"]) == (stored, 7)


@pytest.mark.parametrize("parameter", COLUMNS)
def test_a_negative_timing_refuses_the_page_view_and_stores_nothing(server, db, site, parameter):
    names_before = count(db, "log_action")
    response = server.page_view(site, _id=VISITOR, url="http://shop.test/never-stored", send_image=0,
                                **{**MATOMO_JS_TIMINGS, parameter: "-2"})

    assert response.status_code == 400
    assert f"Value for {parameter} can't be negative." in response.text
    assert count(db, "log_visit", idsite=site) == 0
    assert count(db, "log_link_visit_action", idsite=site) == 0
    assert count(db, "log_action") == names_before
    assert server.is_healthy()


def test_every_page_view_of_a_visit_has_its_own_timings(server, db, site):
    server.page_view(site, _id=VISITOR, pv_id="aaaaaa", **MATOMO_JS_TIMINGS)
    server.page_view(site, _id=VISITOR, pv_id="bbbbbb", pf_srv=23)
    server.page_view(site, _id=VISITOR, pv_id="cccccc")

    first, second, third = db.actions(site)
    assert first["idvisit"] == second["idvisit"] == third["idvisit"]
    assert timings(first)["pf_srv"] == 12
    assert timings(second) == {**dict.fromkeys(COLUMNS), "pf_srv": 23}
    assert timings(third) == dict.fromkeys(COLUMNS)


# -- timings that follow their page view, in-process ------------------------------------------------


class StandInEvent(Action):
    kind = "stand-in-event"


@hookimpl(tryfirst=True)
def build_action(request, site):
    """Events, roughly: their URL is a page URL in log_action, as Matomo stores it."""
    if not request.has("e_c"):
        return None
    return StandInEvent(type=ActionType.EVENT_CATEGORY, url="http://shop.test/", names={
        "idaction_url": ActionName("shop.test/", ActionType.PAGE_URL, 0),
        "idaction_name": ActionName(request.get_str("e_c"), ActionType.EVENT_CATEGORY)})


@hookimpl
def process_request(context):
    """Heartbeats, roughly: no action; on their own they open no visit."""
    if context.request.get_int("ping") != 1:
        return None
    context.action = None
    return context.is_new_visit


@pytest.fixture
def tracker(tmp_path):
    """Bundled plugins plus the stand-ins, on a fresh database with one site (id 1)."""
    with scratch_database(os.environ.get("TRACKWAY_TEST_DATABASE_URL", "").strip(), tmp_path) as url:
        env = {"TRACKWAY_LOAD_PLUGINS": ",".join(bundled_plugin_names()), "TRACKWAY_DATABASE_URL": url}
        stand_ins = types.ModuleType("trackway_page_performance_stand_ins")
        stand_ins.build_action, stand_ins.process_request = build_action, process_request
        plugins = load_plugins(environ=env, extra_modules=[("StandIns", stand_ins)])
        config = Configuration(load_settings(full_schema(plugins), {}, environ=env), plugins, env)
        db = open_database(config, migrate=True)
        with db.engine.begin() as conn:
            conn.execute(db.table("site").insert().values(name="Shop", main_url="http://shop.test", timezone="UTC",
                                                          currency="EUR", ts_created=datetime(2024, 1, 1)))
        started = Tracker(config.settings, db, plugins)
        try:
            yield started
        finally:
            started.close()


def track(tracker: Tracker, **params) -> TrackResult:
    query = {"idsite": 1, "rec": 1, "url": "http://shop.test/", "_id": VISITOR, **params}
    return tracker.track(tracker.new_request(query, remote_addr="192.0.2.10"))


def action_rows(tracker: Tracker) -> list[dict]:
    table = tracker.db.table("log_link_visit_action")
    with tracker.db.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(table).order_by(table.c.idlink_va)).mappings()]


def test_a_heartbeat_completes_the_timings_of_its_page_view(tracker):
    assert track(tracker, pv_id="vZY2Dc", **MATOMO_JS_TIMINGS) is TrackResult.TRACKED
    assert track(tracker, ping=1, pv_id="vZY2Dc", **MATOMO_JS_LATE_TIMINGS) is TrackResult.TRACKED

    (page_view,) = action_rows(tracker)
    assert timings(page_view) == {"pf_net": 0, "pf_srv": 12, "pf_tfr": 3, "pf_dm1": 11, "pf_dm2": 106, "pf_onl": 0}


def test_an_event_carries_late_timings_to_the_page_view_not_to_itself(tracker):
    track(tracker, pv_id="UEZ9fU", pf_srv=2)
    track(tracker, e_c="Video", pv_id="UEZ9fU")  # an event row sharing the page's pv_id and URL
    track(tracker, e_c="Newsletter", pv_id="UEZ9fU", pf_dm2=231, pf_onl=0)

    page_view, first_event, second_event = action_rows(tracker)
    assert timings(page_view) == {**dict.fromkeys(COLUMNS), "pf_srv": 2, "pf_dm2": 231, "pf_onl": 0}
    assert timings(first_event) == timings(second_event) == dict.fromkeys(COLUMNS)


def test_late_timings_only_update_a_page_view_of_the_same_visit_and_pv_id(tracker):
    track(tracker, pv_id="aaaaaa", pf_srv=5)
    track(tracker, e_c="Video", pv_id="bbbbbb", pf_srv=50)
    track(tracker, e_c="Video", pf_srv=60)  # no pv_id
    track(tracker, e_c="Video", pv_id="aaaaaa", pf_srv=70, _id="0123456789abcdef", new_visit=1)  # another visitor

    assert [row["time_server"] for row in action_rows(tracker)] == [5, None, None, None]


def test_unusable_late_timings_are_ignored_without_an_error(tracker):
    track(tracker, pv_id="aaaaaa", pf_srv=5, pf_onl=9)

    assert track(tracker, e_c="Video", pv_id="aaaaaa", pf_srv=-5, pf_onl=16777216, pf_dm2=40) is TrackResult.TRACKED
    page_view = action_rows(tracker)[0]
    assert (page_view["time_server"], page_view["time_on_load"], page_view["time_dom_completion"]) == (5, 9, 40)


def test_a_heartbeat_that_would_open_a_visit_updates_nothing(tracker):
    assert track(tracker, ping=1, pv_id="aaaaaa", pf_srv=5) is TrackResult.DROPPED
    assert action_rows(tracker) == []
