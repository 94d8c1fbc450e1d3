"""The tested example of ``register_location_providers`` (shown verbatim in docs/plugin_hooks.md),
run for real: a tracker on a fresh SQLite database, requests in, ``log_visit`` rows out.

The scaffolding (``Sandbox``, ``track``, ``rows``) is that of tests/test_hook_examples.py.
"""

from __future__ import annotations

import pytest

from core import LocationProviderError
from core.tracker import TrackResult
from tests.test_hook_examples import Sandbox, rows, track


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


def locations(db) -> list[tuple]:
    return [(row["location_country"], row["location_region"], row["location_city"])
            for row in rows(db, "log_visit")]


def test_register_location_providers_adds_a_provider_the_configuration_can_pick(sandbox):
    # example: register_location_providers
    from core import Location, LocationProvider, hookimpl

    class CdnCountryHeader(LocationProvider):
        """Behind a CDN that tells the visitor's country in a header (Cloudflare's CF-IPCountry)."""

        id = "cdn_header"  # selected with [UserCountry] location_provider = "cdn_header"

        def locate(self, request):
            country = request.header("cf-ipcountry").lower()
            if len(country) != 2 or country in ("xx", "t1"):  # unknown, or a Tor exit node
                return None  # no answer: UserCountry falls back to the browser-language guess
            return Location(country_code=country)

    @hookimpl
    def register_location_providers():
        return [CdnCountryHeader]
    # end example

    tracker = sandbox.tracker(register_location_providers,
                              settings={"UserCountry": {"location_provider": "cdn_header"}})

    assert track(tracker, headers={"cf-ipcountry": "CH"}, remote_addr="192.0.2.1") is TrackResult.TRACKED
    assert track(tracker, headers={"cf-ipcountry": "T1", "accept-language": "de-AT"},
                 remote_addr="192.0.2.2") is TrackResult.TRACKED
    assert track(tracker, remote_addr="192.0.2.3") is TrackResult.TRACKED
    assert locations(tracker.db) == [("ch", None, None), ("at", None, None), ("xx", None, None)]

    unselected = sandbox.tracker(register_location_providers)  # the default provider stays the default
    assert track(unselected, headers={"cf-ipcountry": "CH", "accept-language": "fr"}) is TrackResult.TRACKED
    assert locations(unselected.db) == [("fr", None, None)]


def test_an_unknown_provider_id_stops_the_tracker_naming_the_known_ones(sandbox):
    with pytest.raises(LocationProviderError, match=r"'cdn_header' names no location provider.*default, geoip2"):
        sandbox.tracker(settings={"UserCountry": {"location_provider": "cdn_header"}})


def test_a_provider_that_cannot_open_stops_the_tracker(sandbox):
    from core import LocationProvider, hookimpl

    class NeedsAFile(LocationProvider):
        id = "needs_a_file"

        def open(self):
            raise LocationProviderError("needs_a_file: /nowhere/data.bin does not exist")

    @hookimpl
    def register_location_providers():
        return [NeedsAFile]

    with pytest.raises(LocationProviderError, match="/nowhere/data.bin"):
        sandbox.tracker(register_location_providers, settings={"UserCountry": {"location_provider": "needs_a_file"}})


def test_a_registration_that_is_not_a_provider_names_the_plugin(sandbox):
    from core import LocationProvider, hookimpl

    class NoId(LocationProvider):
        pass

    @hookimpl
    def register_location_providers():
        return [NoId]

    with pytest.raises(LocationProviderError, match="plugin Example"):
        sandbox.tracker(register_location_providers)


def test_two_providers_with_one_id_name_both_plugins(sandbox):
    from core import LocationProvider, hookimpl

    class AnotherDefault(LocationProvider):
        id = "default"

    @hookimpl
    def register_location_providers():
        return [AnotherDefault]

    with pytest.raises(LocationProviderError, match="'default' is registered by plugins UserCountry and Example"):
        sandbox.tracker(register_location_providers)
