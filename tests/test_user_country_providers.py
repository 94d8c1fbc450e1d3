"""UserCountry's providers and columns in process: the language guess, the GeoIP2 provider on real
.mmdb files (written with mmdb-writer, read with the real reader), start-up errors, conversions."""

from __future__ import annotations

import pytest

from core import Location, LocationProviderError
from core.tracker import TrackResult
from core.visitor import Visitor
from plugins.user_country.columns import DIMENSIONS, LocationCountry
from plugins.user_country.languages import LANGUAGE_COUNTRIES, guess_country, language_tags
from plugins.user_country.providers import GeoIP2Provider, location_from_record, open_mmdb
from tests.fixtures.user_country.mmdb import write_database
from tests.test_hook_examples import Sandbox, rows, track


@pytest.fixture(scope="module")
def city_file(tmp_path_factory):
    return write_database(tmp_path_factory.mktemp("geo") / "City.mmdb", kind="city")


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


class Settings(dict):
    """The two keys the providers read, without loading a whole configuration."""

    def get(self, section, key):
        return self[key]


def geoip2(path) -> GeoIP2Provider:
    provider = GeoIP2Provider(Settings(geoip2_database=str(path), enable_language_to_country_guess=True))
    provider.open()
    return provider


# -- the browser language ------------------------------------------------------------------------


@pytest.mark.parametrize("language, country", [
    ("de", "de"), ("de-AT", "at"), ("de_at", "at"), ("DE-at", "at"), ("fr;q=0.9", "fr"), ("ja,en;q=0.5", "jp"),
    ("uk", "ua"), ("sv-FI", "fi"), ("en", None), ("en-GB", "gb"), ("en,de", None), ("en,de-CH;q=0.5", "ch"),
    ("zh-Hant-TW", "tw"), ("sr-Latn-RS", "rs"), ("es-419", None), ("en-UK", None), ("de-DE-u-co-phonebk", "de"),
    ("en_US.UTF-8", "us"), ("  pt-br ,pt;q=0.8", "br"), ("*", None), ("", None), ("xx", None), ("x", None),
])
def test_guess_country(language, country):
    assert guess_country(language) == country


def test_without_the_language_guess_only_a_region_tells():
    assert guess_country("fr", from_language=False) is None
    assert guess_country("fr,de-AT", from_language=False) == "at"


def test_the_language_table_covers_matomos_forty_languages():
    matomo = ("bg ca cs da de el es et fa fi fr he hr hu id is it ja ko lt lv mk ms nb nl nn no pl pt ro ru sk sl "
              "sq sr sv th bo tr uk").split()
    assert set(matomo) <= set(LANGUAGE_COUNTRIES)
    assert [LANGUAGE_COUNTRIES[code] for code in ("ca", "cs", "el", "fa", "he", "ms", "nb", "bo", "sl", "uk")] == [
        "es", "cz", "gr", "ir", "il", "my", "no", "cn", "si", "ua"]


def test_language_tags_keep_the_order_and_drop_weights():
    assert language_tags("de-AT, de;q=0.9, en (English);q=0.8, *;q=0.1") == ["de-at", "de", "en"]


# -- GeoIP2 ----------------------------------------------------------------------------------------


def test_city_lookups_of_ipv4_ipv6_and_mapped_addresses(city_file):
    provider = geoip2(city_file)
    try:
        london = provider.lookup("81.2.69.142")
        assert provider.lookup("::ffff:81.2.69.142") == london
        assert provider.lookup("::ffff:5102:458e") == london
        assert provider.lookup("2001:480:10::99")["city"]["names"]["en"] == "San Diego"
        assert provider.lookup("203.0.113.1") is None
        assert provider.lookup("0.0.0.0") is None
    finally:
        provider.close()


def test_an_ipv4_only_database_answers_unknown_for_ipv6(tmp_path):
    provider = geoip2(write_database(tmp_path / "Country.mmdb", kind="country", ip_version=4))
    try:
        assert provider.kind == "country"
        assert provider.lookup("2001:480:10::1") is None
        assert provider.lookup("81.2.69.142")["country"]["iso_code"] == "GB"
    finally:
        provider.close()


def test_records_become_locations():
    record = {"country": {"iso_code": "AE"}, "subdivisions": [{"iso_code": "AE-DU"}],
              "city": {"names": {"en": "Dubai", "de": "Dubai"}},
              "location": {"latitude": 25.07725, "longitude": 55.3093}}
    assert location_from_record(record, city=True) == Location("ae", "DU", "Dubai", 25.077, 55.309)
    assert location_from_record(record, city=False) == Location("ae")
    scotland = {"country": {"iso_code": "GB"}, "subdivisions": [{"iso_code": "SCT"}, {"iso_code": "edh"}]}
    assert location_from_record(scotland, city=True).region_code == "EDH"
    us = {"country": {"iso_code": "US"}, "subdivisions": [{"iso_code": "CA"}, {"iso_code": "XYZ"}]}
    assert location_from_record(us, city=True).region_code == "CA"
    assert location_from_record({"continent": {"code": "EU"}}, city=True) == Location()
    assert location_from_record({"subdivisions": [{"names": {"en": "Somewhere"}}]}, city=True).region_code is None


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    (b"", "is not a readable MaxMind DB (.mmdb) file"),
    (b"\x00" * 4096, "is not a readable MaxMind DB (.mmdb) file"),
])
def test_unusable_files_are_refused_naming_them(tmp_path, content, message):
    path = tmp_path / "GeoLite2-City.mmdb"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(LocationProviderError, match="GeoLite2-City.mmdb") as caught:
        open_mmdb(path)
    assert message in str(caught.value)


def test_a_truncated_database_is_refused(tmp_path, city_file):
    path = tmp_path / "City.mmdb"
    path.write_bytes(city_file.read_bytes()[:2000])
    with pytest.raises(LocationProviderError, match="City.mmdb"):
        open_mmdb(path)


def test_a_folder_or_an_asn_database_is_refused(tmp_path):
    with pytest.raises(LocationProviderError, match="is not a file"):
        open_mmdb(tmp_path)
    asn = write_database(tmp_path / "GeoLite2-ASN.mmdb", database_type="GeoLite2-ASN")
    with pytest.raises(LocationProviderError, match="'GeoLite2-ASN' database, not a City or Country one"):
        open_mmdb(asn)


def test_the_provider_error_says_what_to_do(tmp_path):
    provider = GeoIP2Provider(Settings(geoip2_database=str(tmp_path / "missing.mmdb")))
    with pytest.raises(LocationProviderError) as caught:
        provider.open()
    message = str(caught.value)
    assert message.startswith("[UserCountry] geoip2_database: ")
    assert "usercountry:install-database" in message and 'location_provider = "default"' in message


# -- the columns -----------------------------------------------------------------------------------


def test_the_location_is_looked_up_once_per_new_visit_and_not_for_an_ongoing_one(sandbox):
    from core import LocationProvider, hookimpl

    calls = []

    class Counting(LocationProvider):
        id = "counting"

        def locate(self, request):
            calls.append(request.enrichment_ip)
            return Location("nz", "AUK", "Auckland", -36.8485, 174.7633)

    @hookimpl
    def register_location_providers():
        return [Counting]

    tracker = sandbox.tracker(register_location_providers, settings={"UserCountry": {"location_provider": "counting"}})
    for page in ("/", "/a", "/b"):
        assert track(tracker, url="http://shop.test" + page, _id="a1b2c3d4e5f60718") is TrackResult.TRACKED

    assert calls == ["192.0.2.10"]
    (row,) = rows(tracker.db, "log_visit")
    assert (row["location_country"], row["location_region"], row["location_city"]) == ("nz", "AUK", "Auckland")
    assert (float(row["location_latitude"]), float(row["location_longitude"])) == (-36.8485, 174.7633)


def conversion_country(settings, visit_country, language):
    from core.request import TrackingRequest

    request = TrackingRequest({"idsite": "1", "lang": language}, settings=settings)
    visitor = Visitor({"location_country": visit_country}, is_new_visit=False,
                      values={"location_country": visit_country})
    return LocationCountry().on_any_goal_conversion(request, visitor, None)


def test_conversions_copy_the_visit_and_guess_when_the_visit_has_no_country(sandbox):
    settings = sandbox.config().settings
    assert conversion_country(settings, "gb", "fr") == "gb"
    assert conversion_country(settings, None, "fr") == "fr"
    assert conversion_country(settings, None, "en") == "xx"
    assert all(cls.copies_to_conversions() for cls in DIMENSIONS)
