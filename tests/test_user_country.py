"""UserCountry against a real server: where visits come from, as a SQL user finds it in log_visit.

GeoIP2 servers read real .mmdb files written with mmdb-writer from MaxMind's fake test networks
(tests/fixtures/user_country), and take the client IP from X-Forwarded-For.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, running_server
from tests.fixtures.user_country.mmdb import write_database
from tests.helpers import as_bytes

LOCATION_COLUMNS = ("location_country", "location_region", "location_city", "location_latitude",
                    "location_longitude")


@pytest.fixture(scope="module")
def geo_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("geoip")
    return {"city": write_database(folder / "City.mmdb", kind="city"),
            "country": write_database(folder / "Country.mmdb", kind="country", ip_version=4)}


def geo_env(trackway_env: dict[str, str], database: Path | str, **extra: str) -> dict[str, str]:
    return {**trackway_env, "TRACKWAY_USERCOUNTRY__LOCATION_PROVIDER": "geoip2",
            "TRACKWAY_USERCOUNTRY__GEOIP2_DATABASE": str(database),
            "TRACKWAY_GENERAL__PROXY_CLIENT_HEADERS": "X-Forwarded-For", **extra}


@pytest.fixture(scope="module")
def city_server(trackway_env, server, geo_files, tmp_path_factory):
    with running_server(geo_env(trackway_env, geo_files["city"]), tmp_path_factory.mktemp("city")) as started:
        yield started


@pytest.fixture(scope="module")
def country_server(trackway_env, server, geo_files, tmp_path_factory):
    with running_server(geo_env(trackway_env, geo_files["country"]), tmp_path_factory.mktemp("country")) as started:
        yield started


def visit(server, site: int, ip: str | None = None, language: str | None = None, **params):
    """A page view that opens a visit of its own."""
    headers = {}
    if ip is not None:
        headers["X-Forwarded-For"] = ip
    if language is not None:
        headers["Accept-Language"] = language
    query = {"idsite": site, "rec": 1, "url": "http://shop.test/", "new_visit": 1, **params}
    return server.track(params=query, headers=headers)


def located(db, site: int) -> list[tuple]:
    """(country, region, city, latitude, longitude) of each visit, coordinates as floats."""
    result = []
    for row in db.visits(site):
        country, region, city, lat, long = (row[name] for name in LOCATION_COLUMNS)
        result.append((country, region, city, None if lat is None else float(lat),
                       None if long is None else float(long)))
    return result


# -- the default provider: the browser language -----------------------------------------------------


def test_default_provider_guesses_the_country_from_the_browser_language(server, db, site):
    for language in ("de-AT,de;q=0.9,en;q=0.8", "fr-FR", "fr", "ja", "en", "en-US,en;q=0.5", "en,fr-CA;q=0.7",
                     "pt_BR", "sr-Latn-RS", "es-419", None):
        assert visit(server, site, language=language).status_code == 200

    countries = [row[0] for row in located(db, site)]
    assert countries == ["at", "fr", "fr", "jp", "xx", "us", "ca", "br", "rs", "xx", "xx"]
    assert {row[1:] for row in located(db, site)} == {(None, None, None, None)}


def test_the_lang_parameter_wins_over_the_accept_language_header(server, db, site):
    visit(server, site, language="fr-FR", lang="de-CH")
    visit(server, site, language="it", lang="nl")

    assert [row[0] for row in located(db, site)] == ["ch", "nl"]


def test_without_the_language_guess_only_a_region_gives_a_country(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_USERCOUNTRY__ENABLE_LANGUAGE_TO_COUNTRY_GUESS": "false"}
    with running_server(env, tmp_path) as strict:
        visit(strict, site, language="fr")
        visit(strict, site, language="de-AT")

    assert [row[0] for row in located(db, site)] == ["xx", "at"]


# -- GeoIP2 ----------------------------------------------------------------------------------------


def test_city_database_stores_country_region_city_and_coordinates(city_server, db, site):
    for ip in ("81.2.69.142", "2.125.160.217", "175.16.199.5", "89.160.20.129", "216.160.83.57", "2001:480:10::1",
               "67.43.156.1"):
        assert visit(city_server, site, ip).status_code == 200

    assert located(db, site) == [
        ("gb", "ENG", "London", 51.514, -0.093),
        ("gb", "WBK", "Boxford", 51.75, -1.25),  # Great Britain: the most specific subdivision
        ("cn", "22", "Changchun", 43.88, 125.323),  # rounded to 3 decimals, as Matomo does
        ("se", "E", "Linköping", 58.417, 15.617),
        ("us", "WA", "Milton", 47.251, -122.315),
        ("us", "CA", "San Diego", 32.72, -117.155),
        ("bt", None, None, 27.5, 90.5),
    ]


def test_coordinates_are_decimal_9_6(city_server, db, site):
    visit(city_server, site, "81.2.69.142")

    (row,) = db.visits(site)
    assert Decimal(str(row["location_latitude"])) == Decimal("51.514")
    assert Decimal(str(row["location_longitude"])) == Decimal("-0.093")


def test_an_ipv4_mapped_ipv6_address_is_looked_up_as_ipv4(city_server, db, site):
    visit(city_server, site, "::ffff:81.2.69.142")

    assert located(db, site) == [("gb", "ENG", "London", 51.514, -0.093)]
    (row,) = db.visits(site)
    assert len(as_bytes(row["location_ip"])) == 16  # the address is stored as sent (masked)


def test_an_ip_missing_from_the_database_falls_back_to_the_browser_language(city_server, db, site):
    visit(city_server, site, "198.51.100.7")
    visit(city_server, site, "198.51.100.8", language="de-AT,de")
    visit(city_server, site, "2.3.3.9", language="de-AT,de")  # in the database, without a country

    assert located(db, site) == [("xx", None, None, None, None), ("at", None, None, None, None),
                                 ("xx", None, None, None, None)]


def test_country_database_stores_the_country_only(country_server, db, site):
    visit(country_server, site, "81.2.69.142")
    visit(country_server, site, "175.16.199.5")
    visit(country_server, site, "2001:480:10::1")  # an IPv6 visitor, an IPv4-only database: unknown

    assert located(db, site) == [("gb", None, None, None, None), ("cn", None, None, None, None),
                                 ("xx", None, None, None, None)]


def test_an_ongoing_visit_keeps_the_location_it_started_with(city_server, db, site):
    query = {"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": "a1b2c3d4e5f60718"}
    city_server.track(params=query, headers={"X-Forwarded-For": "81.2.69.142"})
    city_server.track(params={**query, "url": "http://shop.test/2"}, headers={"X-Forwarded-For": "175.16.199.5"})

    (row,) = db.visits(site)
    assert row["visit_total_actions"] == 2
    assert (row["location_country"], row["location_city"]) == ("gb", "London")


# -- privacy ---------------------------------------------------------------------------------------


def test_geolocation_uses_the_full_ip_although_the_stored_one_is_masked(city_server, db, site):
    visit(city_server, site, "81.2.69.142")

    (row,) = db.visits(site)
    assert as_bytes(row["location_ip"]) == bytes([81, 2, 0, 0])
    assert (row["location_country"], row["location_city"]) == ("gb", "London")


def test_with_anonymized_ip_for_enrichment_geolocation_sees_the_masked_ip(trackway_env, server, geo_files, db,
                                                                           site, tmp_path):
    env = geo_env(trackway_env, geo_files["city"],
                  TRACKWAY_PRIVACYMANAGER__USE_ANONYMIZED_IP_FOR_VISIT_ENRICHMENT="true")
    with running_server(env, tmp_path) as masked:
        visit(masked, site, "81.2.69.142")  # 81.2.0.0 once masked: not in the database

    (row,) = db.visits(site)
    assert as_bytes(row["location_ip"]) == bytes([81, 2, 0, 0])
    assert located(db, site) == [("xx", None, None, None, None)]


# -- authenticated overrides -------------------------------------------------------------------------


@pytest.mark.parametrize("parameter, value", [("country", "de"), ("region", "BY"), ("city", "Munich"),
                                              ("lat", "48.137"), ("long", "11.575")])
def test_an_override_without_a_valid_token_is_refused(server, db, site, parameter, value):
    refused = visit(server, site, **{parameter: value})
    wrong_token = visit(server, site, **{parameter: value, "token_auth": "0" * 32})

    for response in (refused, wrong_token):
        assert response.status_code == 400
        assert f"Tracker API '{parameter}' was used, requires valid token_auth".encode() in response.content
    assert db.visits(site) == []


def test_overrides_with_a_token_are_stored_and_cut_to_the_column_lengths(server, console, db, site):
    token = console.run("token:create", "--idsite", str(site)).last_line
    response = visit(server, site, token_auth=token, country="DEU", region="by-x", city="M" * 300, lat="48.1374512",
                     long="-11.5755")
    assert response.status_code == 200

    (row,) = db.visits(site)
    assert (row["location_country"], row["location_region"], row["location_city"]) == ("deu", "BY-", "M" * 255)
    assert (float(row["location_latitude"]), float(row["location_longitude"])) == (48.137451, -11.5755)


def test_overrides_change_an_ongoing_visit_only_when_sent(city_server, console, db, site):
    token = console.run("token:create", "--idsite", str(site)).last_line
    query = {"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": "0f1e2d3c4b5a6978"}
    ip = {"X-Forwarded-For": "81.2.69.142"}
    city_server.track(params=query, headers=ip)
    city_server.track(params={**query, "token_auth": token, "city": "Croydon", "region": "crY"}, headers=ip)
    city_server.track(params={**query, "url": "http://shop.test/3"}, headers=ip)

    assert located(db, site) == [("gb", "CRY", "Croydon", 51.514, -0.093)]


def test_a_coordinate_override_out_of_range_is_refused(server, console, db, site):
    token = console.run("token:create", "--idsite", str(site)).last_line
    response = visit(server, site, token_auth=token, lat="123")

    assert response.status_code == 400 and b"lat must be a number between -90 and 90" in response.content
    assert db.visits(site) == []


def test_overrides_need_no_token_when_authentication_is_off(trackway_env, server, db, site, tmp_path):
    env = {**trackway_env, "TRACKWAY_TRACKER__TRACKING_REQUESTS_REQUIRE_AUTHENTICATION": "false"}
    with running_server(env, tmp_path) as open_server:
        assert visit(open_server, site, country="it", city="Roma").status_code == 200

    assert located(db, site) == [("it", None, "Roma", None, None)]


# -- start-up --------------------------------------------------------------------------------------


def serve_output(env: dict[str, str]) -> subprocess.CompletedProcess:
    """``serve`` run to its end: it must refuse to start."""
    return subprocess.run([sys.executable, str(ROOT / "console.py"), "serve", "--port", str(free_port())], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_serve_refuses_to_start_without_the_database_file(trackway_env, server, tmp_path):
    missing = tmp_path / "GeoLite2-City.mmdb"
    completed = serve_output(geo_env(trackway_env, missing))

    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"'{missing}' does not exist" in output
    assert "usercountry:install-database" in output


def test_serve_refuses_to_start_with_a_corrupt_database_file(trackway_env, server, tmp_path):
    corrupt = tmp_path / "City.mmdb"
    corrupt.write_bytes(b"this is not a MaxMind database\n" * 100)
    completed = serve_output(geo_env(trackway_env, corrupt))

    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"'{corrupt}' is not a readable MaxMind DB (.mmdb) file" in output
    assert "usercountry:install-database" in output


def test_serve_refuses_to_start_when_geoip2_has_no_database(trackway_env, server):
    completed = serve_output(geo_env(trackway_env, ""))

    assert completed.returncode != 0
    assert "geoip2_database is empty" in completed.stdout + completed.stderr
