"""The tested examples of ``referrer_search_engines`` and ``referrer_social_networks`` (shown
verbatim in docs/plugin_hooks.md), run for real: a tracker on a fresh SQLite database, requests
in, ``log_visit`` rows out.

The scaffolding (``Sandbox``, ``track``, ``rows``) is that of tests/test_hook_examples.py.
"""

from __future__ import annotations

import pytest

from core import hookimpl
from core.tracker import TrackResult
from plugins.referrers.definitions import DefinitionError
from tests.test_hook_examples import Sandbox, rows, track


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


def referrers(db) -> list[tuple]:
    return [(row["referer_type"], row["referer_name"], row["referer_keyword"]) for row in rows(db, "log_visit")]


def test_referrer_search_engines_adds_an_engine_that_is_recognised_and_stored(sandbox):
    # example: referrer_search_engines
    from core import hookimpl

    @hookimpl
    def referrer_search_engines():
        """The search of our intranet portal sends people on with /find?terms=...: that is a search engine."""
        return [{"name": "Intranet Search", "hosts": ["search.intranet.example"], "keyword_parameters": ["terms"]}]
    # end example

    tracker = sandbox.tracker(referrer_search_engines)

    assert track(tracker, urlref="https://search.intranet.example/find?terms=Holiday+Policy",
                 remote_addr="192.0.2.1") is TrackResult.TRACKED
    assert track(tracker, urlref="https://www.intranet.example/find?terms=x", remote_addr="192.0.2.2") \
        is TrackResult.TRACKED  # another host of the same domain is no search engine
    assert track(tracker, urlref="https://www.google.de/search?q=shop", remote_addr="192.0.2.3") \
        is TrackResult.TRACKED  # the bundled engines are still there
    assert referrers(tracker.db) == [(2, "Intranet Search", "holiday policy"), (3, "www.intranet.example", None),
                                     (2, "Google", "shop")]

    without = sandbox.tracker()
    assert track(without, urlref="https://search.intranet.example/find?terms=x") is TrackResult.TRACKED
    assert referrers(without.db) == [(3, "search.intranet.example", None)]


def test_referrer_social_networks_adds_a_network_that_is_recognised_and_stored(sandbox):
    # example: referrer_social_networks
    from core import hookimpl

    @hookimpl
    def referrer_social_networks():
        """Our customers' forum, on any of its language subdomains, counts as a social network."""
        return [{"name": "Shop Community", "hosts": [".community.shop-forum.example"]}]
    # end example

    tracker = sandbox.tracker(referrer_social_networks)

    for address, referrer in (("192.0.2.1", "https://de.community.shop-forum.example/t/sizes/42"),
                              ("192.0.2.2", "https://community.shop-forum.example/"),
                              ("192.0.2.3", "https://lnkd.in/e4Xyz")):
        assert track(tracker, urlref=referrer, remote_addr=address) is TrackResult.TRACKED
    assert referrers(tracker.db) == [(7, "Shop Community", ""), (7, "Shop Community", ""), (7, "LinkedIn", "")]


def test_a_definition_from_a_plugin_may_replace_a_bundled_host(sandbox):
    @hookimpl
    def referrer_social_networks():
        return [{"name": "X", "hosts": [".x.com", "t.co"]}]

    tracker = sandbox.tracker(referrer_social_networks)
    assert track(tracker, urlref="https://t.co/abc") is TrackResult.TRACKED
    assert referrers(tracker.db) == [(7, "X", "")]


@pytest.mark.parametrize("definition, message", [
    ({"name": "Nameless", "keyword_parameters": ["q"]}, "'hosts' is missing"),
    ({"name": "", "hosts": ["a.example"], "keyword_parameters": ["q"]}, "'name' must be a non-empty string"),
    ({"name": "Typo", "hosts": ["a.example"], "keyword_parameter": ["q"]}, "unknown keys"),
    ({"name": "Regex", "hosts": ["a.example"], "keyword_parameters": ["/q=[/"]}, "not a regular expression"),
])
def test_a_malformed_definition_stops_start_up_naming_the_plugin(sandbox, definition, message):
    @hookimpl
    def referrer_search_engines():
        return [definition]

    with pytest.raises(DefinitionError, match=message) as stopped:
        sandbox.tracker(referrer_search_engines)
    assert "plugin Example, search engine #1" in str(stopped.value)
