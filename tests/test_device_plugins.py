"""DevicePlugins over real HTTP: one config_* flag per browser feature, set when the visit starts."""

from __future__ import annotations

import pytest

VISITOR = "eb99367032ce97d5"
MATOMO_JS_FLAGS = {"pdf": "1", "qt": "0", "realp": "0", "wma": "0", "fla": "0", "java": "0", "ag": "0", "cookie": "1"}
"""The flags Chromium's matomo.js sent with its first page view (real-clients capture, seq 1)."""
COLUMNS = {"fla": "config_flash", "java": "config_java", "qt": "config_quicktime", "realp": "config_realplayer",
           "pdf": "config_pdf", "wma": "config_windowsmedia", "ag": "config_silverlight", "cookie": "config_cookie"}
INTERNET_EXPLORER = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"


def flags(visit: dict) -> dict[str, int]:
    return {column: visit[column] for column in COLUMNS.values()}


def test_matomo_js_page_view_stores_its_flags(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0, **MATOMO_JS_FLAGS})

    assert response.status_code == 204
    (visit,) = db.visits(site)
    assert flags(visit) == {"config_flash": 0, "config_java": 0, "config_quicktime": 0, "config_realplayer": 0,
                            "config_pdf": 1, "config_windowsmedia": 0, "config_silverlight": 0, "config_cookie": 1}


@pytest.mark.parametrize("parameter", COLUMNS)
def test_each_flag_fills_its_own_column(server, db, site, parameter):
    server.page_view(site, _id=VISITOR, **{parameter: 1})

    (visit,) = db.visits(site)
    assert flags(visit) == {column: int(name == parameter) for name, column in COLUMNS.items()}


def test_missing_flags_are_stored_as_zero(server, db, site):
    server.page_view(site, _id=VISITOR)

    (visit,) = db.visits(site)
    assert set(flags(visit).values()) == {0}


@pytest.mark.parametrize("value, stored", [("yes", 0), ("1.0", 0), (" 1", 0), ("-1", -1), ("5", 5), ("300", 127),
                                           ("-9999", -128)])
def test_flags_are_integers_that_fit_a_tinyint(server, db, site, value, stored):
    response = server.page_view(site, _id=VISITOR, pdf=value)

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert visit["config_pdf"] == stored


def test_the_cookie_flag_is_stored_as_sent_even_for_internet_explorer(server, db, site):
    # Internet Explorer's cookie flag counts as 0 in the config id only.
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR, "cookie": 1},
                 headers={"User-Agent": INTERNET_EXPLORER})

    (visit,) = db.visits(site)
    assert visit["config_cookie"] == 1


def test_flags_are_kept_for_the_whole_visit(server, db, site):
    server.page_view(site, _id=VISITOR, **MATOMO_JS_FLAGS)
    server.page_view(site, _id=VISITOR, pdf=0, cookie=0, fla=1)

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 2
    assert (visit["config_pdf"], visit["config_cookie"], visit["config_flash"]) == (1, 1, 0)
