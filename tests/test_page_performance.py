"""PagePerformance: the pf_* timings land on page-view rows as Matomo stores them.

Everything goes over real HTTP, including the timings that arrive after their page view with a
heartbeat or an event, as matomo.js sends them.
"""

from __future__ import annotations


import pytest


VISITOR = "eb99367032ce97d5"
COLUMNS = {"pf_net": "time_network", "pf_srv": "time_server", "pf_tfr": "time_transfer",
           "pf_dm1": "time_dom_processing", "pf_dm2": "time_dom_completion", "pf_onl": "time_on_load"}
MATOMO_JS_TIMINGS = {"pf_net": "0", "pf_srv": "12", "pf_tfr": "3", "pf_dm1": "11"}
"""The timings matomo.js sent with its first page view (real-clients capture, seq 1)."""
MATOMO_JS_LATE_TIMINGS = {**MATOMO_JS_TIMINGS, "pf_dm2": "106", "pf_onl": "0"}
"""...and with the heartbeat that followed once the page had loaded (seq 2)."""


def timings(row: dict) -> dict[str, int | None]:
    return {parameter: row[column] for parameter, column in COLUMNS.items()}


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
    names_before = db.count("log_action")
    response = server.page_view(site, _id=VISITOR, url="http://shop.test/never-stored", send_image=0,
                                **{**MATOMO_JS_TIMINGS, parameter: "-2"})

    assert response.status_code == 400
    assert f"Value for {parameter} can't be negative." in response.text
    assert db.count("log_visit", idsite=site) == 0
    assert db.count("log_link_visit_action", idsite=site) == 0
    assert db.count("log_action") == names_before
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


# -- timings that follow their page view, with a heartbeat or an event -----------------------------


def track(server, site: int, **params):
    query = {"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR, **params}
    return server.track("GET", params=query)


def test_a_heartbeat_completes_the_timings_of_its_page_view(server, db, site):
    assert track(server, site, pv_id="vZY2Dc", **MATOMO_JS_TIMINGS).status_code == 200
    assert track(server, site, ping=1, pv_id="vZY2Dc", **MATOMO_JS_LATE_TIMINGS).status_code == 200

    (page_view,) = db.actions(site)
    assert timings(page_view) == {"pf_net": 0, "pf_srv": 12, "pf_tfr": 3, "pf_dm1": 11, "pf_dm2": 106, "pf_onl": 0}


def test_an_event_carries_late_timings_to_the_page_view_not_to_itself(server, db, site):
    track(server, site, pv_id="UEZ9fU", pf_srv=2)
    track(server, site, e_c="Video", e_a="Play", pv_id="UEZ9fU")  # an event row sharing the page's pv_id and URL
    track(server, site, e_c="Newsletter", e_a="Subscribe", pv_id="UEZ9fU", pf_dm2=231, pf_onl=0)

    page_view, first_event, second_event = db.actions(site)
    assert timings(page_view) == {**dict.fromkeys(COLUMNS), "pf_srv": 2, "pf_dm2": 231, "pf_onl": 0}
    assert timings(first_event) == timings(second_event) == dict.fromkeys(COLUMNS)


def test_late_timings_only_update_a_page_view_of_the_same_visit_and_pv_id(server, db, site):
    track(server, site, pv_id="aaaaaa", pf_srv=5)
    track(server, site, e_c="Video", e_a="Play", pv_id="bbbbbb", pf_srv=50)
    track(server, site, e_c="Video", e_a="Play", pf_srv=60)  # no pv_id
    track(server, site, e_c="Video", e_a="Play", pv_id="aaaaaa", pf_srv=70, _id="0123456789abcdef",
          new_visit=1)  # another visitor

    assert [row["time_server"] for row in db.actions(site)] == [5, None, None, None]


def test_unusable_late_timings_are_ignored_without_an_error(server, db, site):
    track(server, site, pv_id="aaaaaa", pf_srv=5, pf_onl=9)

    response = track(server, site, e_c="Video", e_a="Play", pv_id="aaaaaa", pf_srv=-5, pf_onl=16777216, pf_dm2=40)
    assert response.status_code == 200
    page_view = db.actions(site)[0]
    assert (page_view["time_server"], page_view["time_on_load"], page_view["time_dom_completion"]) == (5, 9, 40)


def test_a_heartbeat_that_would_open_a_visit_updates_nothing(server, db, site):
    assert track(server, site, ping=1, pv_id="aaaaaa", pf_srv=5).status_code == 200
    assert db.actions(site) == []
    assert db.visits(site) == []
