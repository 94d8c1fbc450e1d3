"""DevicesDetection over real HTTP: what a page view stores, client hints, ``ua=``, bots, and the
config id that now tells browsers apart."""

from __future__ import annotations

import json

from sqlalchemy import inspect

from tests.helpers import GIF_BYTES, as_bytes

CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/125.0.6422.142 Safari/537.36")
CHROME_WINDOWS_REDUCED = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                          "Chrome/124.0.0.0 Safari/537.36")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.1 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
WINDOWS_11_UADATA = {
    "fullVersionList": [{"brand": "Chromium", "version": "124.0.6367.91"},
                        {"brand": "Google Chrome", "version": "124.0.6367.91"},
                        {"brand": "Not-A.Brand", "version": "99.0.0.0"}],
    "mobile": False, "model": "", "platform": "Windows", "platformVersion": "15.0.0",
}
COLUMNS = ("config_os", "config_os_version", "config_browser_name", "config_browser_version",
           "config_browser_engine", "config_client_type", "config_device_type", "config_device_brand",
           "config_device_model")


def device_columns(visit: dict) -> dict:
    values = {column: visit[column] for column in COLUMNS}
    values["config_os"] = values["config_os"].strip() if values["config_os"] else values["config_os"]  # CHAR(3)
    return values


def test_a_chrome_on_windows_page_view_stores_matomos_codes(server, db, site):
    response = server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"},
                            headers={"User-Agent": CHROME_WINDOWS})

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert device_columns(visit) == {
        "config_os": "WIN", "config_os_version": "10", "config_browser_name": "CH",
        "config_browser_version": "125.0.6422.142", "config_browser_engine": "Blink", "config_client_type": 1,
        "config_device_type": 0, "config_device_brand": "", "config_device_model": "generic desktop",
    }


def test_uadata_client_hints_tell_windows_11_and_the_full_browser_version(server, db, site):
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/", "uadata": json.dumps(WINDOWS_11_UADATA)},
                 headers={"User-Agent": CHROME_WINDOWS_REDUCED})

    (visit,) = db.visits(site)
    assert (visit["config_os"], visit["config_os_version"]) == ("WIN", "11")
    assert (visit["config_browser_name"], visit["config_browser_version"]) == ("CH", "124.0.6367.91")


def test_sec_ch_ua_headers_are_read_when_there_is_no_uadata(server, db, site):
    headers = {"User-Agent": CHROME_WINDOWS_REDUCED,
               "Sec-CH-UA": '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
               "Sec-CH-UA-Full-Version-List": '"Chromium";v="124.0.6367.91", "Google Chrome";v="124.0.6367.91", '
                                              '"Not-A.Brand";v="99.0.0.0"',
               "Sec-CH-UA-Platform": '"Windows"', "Sec-CH-UA-Platform-Version": '"13.0.0"', "Sec-CH-UA-Mobile": "?0"}
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"}, headers=headers)

    (visit,) = db.visits(site)
    assert (visit["config_os_version"], visit["config_browser_version"]) == ("11", "124.0.6367.91")


def test_the_ua_parameter_overrides_the_user_agent_header(server, db, site):
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/", "ua": SAFARI_IPHONE},
                 headers={"User-Agent": FIREFOX_LINUX})

    (visit,) = db.visits(site)
    assert device_columns(visit) == {
        "config_os": "IOS", "config_os_version": "17.1", "config_browser_name": "MF",
        "config_browser_version": "17.1", "config_browser_engine": "WebKit", "config_client_type": 1,
        "config_device_type": 1, "config_device_brand": "AP", "config_device_model": "iPhone",
    }


def test_a_bot_is_answered_like_anyone_and_stores_nothing(server, db, site):
    params = {"idsite": site, "rec": 1, "url": "http://shop.test/"}
    image = server.track(params=params, headers={"User-Agent": GOOGLEBOT})
    beacon = server.track(params={**params, "send_image": 0}, headers={"User-Agent": GOOGLEBOT})

    assert (image.status_code, len(image.content)) == (200, GIF_BYTES)
    assert (beacon.status_code, beacon.content) == (204, b"")
    assert db.visits(site) == [] and db.actions(site) == []


def test_with_bots_1_a_bot_is_tracked_as_os_bot(server, db, site):
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/", "bots": 1},
                 headers={"User-Agent": GOOGLEBOT})

    (visit,) = db.visits(site)
    assert device_columns(visit) == {
        "config_os": "BOT", "config_os_version": "", "config_browser_name": "UNK", "config_browser_version": "",
        "config_browser_engine": "", "config_client_type": None, "config_device_type": None,
        "config_device_brand": "", "config_device_model": "",
    }
    assert len(db.actions(site)) == 1


def test_two_browsers_on_one_ip_without_a_cookie_are_two_visits(server, db, site):
    for agent in (FIREFOX_LINUX, CHROME_WINDOWS, FIREFOX_LINUX):
        server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/"}, headers={"User-Agent": agent})

    firefox, chrome = db.visits(site)
    assert as_bytes(firefox["config_id"]) != as_bytes(chrome["config_id"])
    assert (firefox["config_browser_name"], firefox["visit_total_actions"]) == ("FF", 2)
    assert (chrome["config_browser_name"], chrome["visit_total_actions"]) == ("CH", 1)


def test_an_ongoing_visit_keeps_the_device_it_started_with(server, db, site):
    visitor = "0123456789abcdef"
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/a", "_id": visitor},
                 headers={"User-Agent": FIREFOX_LINUX})
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/b", "_id": visitor},
                 headers={"User-Agent": CHROME_WINDOWS})

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 2
    assert (visit["config_os"].strip(), visit["config_browser_name"]) == ("LIN", "FF")


def test_the_columns_have_matomos_types_in_log_visit_and_log_conversion(db):
    inspector = inspect(db.engine)
    visit = {c["name"]: c["type"] for c in inspector.get_columns("log_visit")}
    conversion = {c["name"]: c["type"] for c in inspector.get_columns("log_conversion")}

    lengths = {"config_browser_engine": 10, "config_browser_name": 40, "config_browser_version": 20,
               "config_device_brand": 100, "config_device_model": 100, "config_os": 3, "config_os_version": 100}
    for column, length in lengths.items():
        assert visit[column].length == length, column
    for column in ("config_client_type", "config_device_type"):
        assert "INT" in str(visit[column]).upper(), column
    copied = {"config_browser_name", "config_client_type", "config_device_brand", "config_device_model",
              "config_device_type"}
    assert copied <= set(conversion)
    assert not ({"config_os", "config_os_version", "config_browser_version", "config_browser_engine"} & set(conversion))
    if db.engine.dialect.name in ("mysql", "mariadb"):
        assert str(visit["config_os"]).upper().startswith("CHAR(3)")
        assert str(visit["config_device_type"]).upper().startswith("TINYINT")
        assert str(visit["config_client_type"]).upper().startswith("TINYINT")
