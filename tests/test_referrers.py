"""Referrers: detection through the plugin's functions (table-driven), then over HTTP.

The unit tests build the plugin's per-site data by hand (``SiteReferrers``) for a site whose URLs
are ``http://shop.test``, the alias ``https://.shop-cdn.test`` (any subdomain) and
``http://blog.shop.test/en``, next to two other sites. The HTTP tests run against the session's
server and database (SQLite, or the server of ``TRACKWAY_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from plugins.referrers.definitions import load_definitions
from plugins.referrers.detect import (CAMPAIGN, DIRECT, SEARCH_ENGINE, SOCIAL_NETWORK, WEBSITE, Referrer,
                                      ReferrerSettings, SiteReferrers, conversion_referrer, detect)
from plugins.referrers.hosts import HostPatterns, SiteUrls
from plugins.referrers.plugin import excluded_query_parameters
from tests.replay import replay

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "referrers"
DEFINITIONS = load_definitions()
SETTINGS = ReferrerSettings(definitions=DEFINITIONS)
OWN_URLS = [(1, "http://shop.test"), (1, "https://.shop-cdn.test"), (1, "http://blog.shop.test/en")]
OTHER_SITES = [(2, "http://partner.test/shop"), (3, "https://another-shop.test")]
PAGE = "http://shop.test/shoes"


def shop(**options) -> SiteReferrers:
    return SiteReferrers(idsite=1, settings=options.pop("settings", SETTINGS), own_urls=SiteUrls(OWN_URLS),
                         all_urls=SiteUrls(OWN_URLS + OTHER_SITES),
                         excluded_referrers=SiteUrls([(1, ".spam-referrer.test"), (1, "tools.test/preview")]),
                         **options)


def detected(urlref, url=PAGE, **kwargs) -> tuple:
    found = detect(urlref, url, shop(), **kwargs)
    return found.type, found.name, found.keyword


SEARCH = [
    ("google q", "https://www.google.com/search?q=blue+shoes&hl=en", (SEARCH_ENGINE, "Google", "blue shoes")),
    ("google country", "https://www.google.de/search?q=Gr%C3%BCne+Schuhe", (SEARCH_ENGINE, "Google", "grüne schuhe")),
    ("google co.uk", "https://www.google.co.uk/search?q=tea", (SEARCH_ENGINE, "Google", "tea")),
    ("google com.br", "https://google.com.br/search?q=t%C3%AAnis", (SEARCH_ENGINE, "Google", "tênis")),
    ("google no keyword", "https://www.google.com/", (SEARCH_ENGINE, "Google", "")),
    ("google /url empty q", "https://www.google.com/url?sa=t&rct=j&q=&esrc=s&url=https://shop.test/",
     (SEARCH_ENGINE, "Google", "")),
    ("google images tbm", "https://www.google.com/search?q=red+shoes&tbm=isch", (SEARCH_ENGINE, "Google Images",
                                                                               "red shoes")),
    ("google app", "android-app://com.google.android.googlequicksearchbox/", (SEARCH_ENGINE, "Google", "")),
    ("bing", "https://www.bing.com/search?q=trackway&form=QBLH", (SEARCH_ENGINE, "Bing", "trackway")),
    ("yahoo p", "https://search.yahoo.com/search?p=matomo+alternative", (SEARCH_ENGINE, "Yahoo!",
                                                                         "matomo alternative")),
    ("yahoo country", "https://de.search.yahoo.com/search?p=Schuhe", (SEARCH_ENGINE, "Yahoo!", "schuhe")),
    ("duckduckgo", "https://duckduckgo.com/?q=privacy+analytics", (SEARCH_ENGINE, "DuckDuckGo", "privacy analytics")),
    ("duckduckgo hidden", "https://duckduckgo.com/", (SEARCH_ENGINE, "DuckDuckGo", "")),
    ("baidu wd", "https://www.baidu.com/s?wd=%E9%9E%8B%E5%AD%90", (SEARCH_ENGINE, "Baidu", "鞋子")),
    ("baidu gb18030", "https://www.baidu.com/s?wd=%D0%AC%D7%D3", (SEARCH_ENGINE, "Baidu", "鞋子")),
    ("yandex text", "https://yandex.ru/search/?text=%D0%9A%D1%80%D0%BE%D1%81%D1%81%D0%BE%D0%B2%D0%BA%D0%B8",
     (SEARCH_ENGINE, "Yandex", "кроссовки")),
    ("yandex images path", "https://yandex.ru/images/search?text=cats", (SEARCH_ENGINE, "Yandex Images", "cats")),
    ("ecosia", "https://www.ecosia.org/search?q=cookieless", (SEARCH_ENGINE, "Ecosia", "cookieless")),
    ("qwant", "https://www.qwant.com/?q=vie+priv%C3%A9e", (SEARCH_ENGINE, "Qwant", "vie privée")),
    ("brave", "https://search.brave.com/search?q=Open+Source", (SEARCH_ENGINE, "Brave", "open source")),
    ("naver query", "https://search.naver.com/search.naver?query=%EC%8B%A0%EB%B0%9C", (SEARCH_ENGINE, "Naver",
                                                                                      "신발")),
    ("seznam", "https://search.seznam.cz/?q=boty", (SEARCH_ENGINE, "Seznam", "boty")),
    ("youtube search", "https://www.youtube.com/results?search_query=unboxing", (SEARCH_ENGINE, "YouTube",
                                                                                 "unboxing")),
    ("keyword mixed form", "https://www.google.com/search?q=it's+%3Cb%3E", (SEARCH_ENGINE, "Google",
                                                                          "it&#039;s <b>")),
    ("keyword in fragment", "https://www.google.com/#q=fragment+search", (SEARCH_ENGINE, "Google",
                                                                         "fragment search")),
]

SOCIAL = [
    ("t.co", "https://t.co/AbCdEf123", (SOCIAL_NETWORK, "Twitter", "")),
    ("l.facebook.com", "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.test%2F&h=AT0x", (SOCIAL_NETWORK,
                                                                                            "Facebook", "")),
    ("lnkd.in", "https://lnkd.in/dXyZ", (SOCIAL_NETWORK, "LinkedIn", "")),
    ("youtube video", "https://www.youtube.com/watch?v=abc", (SOCIAL_NETWORK, "YouTube", "")),
    ("reddit subdomain", "https://old.reddit.com/r/shoes/", (SOCIAL_NETWORK, "Reddit", "")),
    ("instagram", "https://www.instagram.com/", (SOCIAL_NETWORK, "Instagram", "")),
    ("pinterest country", "https://www.pinterest.de/pin/1/", (SOCIAL_NETWORK, "Pinterest", "")),
    ("linkedin app", "android-app://com.linkedin.android/", (SOCIAL_NETWORK, "LinkedIn", "")),
]

DIRECT_ENTRIES = [
    ("own url", "http://shop.test/cart", (DIRECT, None, None)),
    ("own url with www", "http://www.shop.test/", (DIRECT, None, None)),
    ("alias leading dot, subdomain", "https://img.shop-cdn.test/banner", (DIRECT, None, None)),
    ("alias leading dot, the domain", "https://shop-cdn.test/", (DIRECT, None, None)),
    ("alias with path", "http://blog.shop.test/en/post-1", (DIRECT, None, None)),
    ("empty urlref", "", (DIRECT, None, None)),
    ("no urlref", None, (DIRECT, None, None)),
    ("python bytes repr", "b'https://x'", (DIRECT, None, None)),
    ("not a url", "not a url", (DIRECT, None, None)),
    ("javascript", "javascript:alert(1)", (DIRECT, None, None)),
    ("excluded referrer subdomain", "https://www.spam-referrer.test/x", (DIRECT, None, None)),
    ("excluded referrer path", "https://tools.test/preview/page", (DIRECT, None, None)),
]

WEBSITES = [
    ("plain website", "https://news.example.com/article/123", (WEBSITE, "news.example.com", None)),
    ("website keeps www", "https://www.Example.org/links", (WEBSITE, "www.example.org", None)),
    ("another site's url with a path", "http://partner.test/shop/item", (WEBSITE, "partner.test/shop", None)),
    ("another site's root", "https://another-shop.test/", (WEBSITE, "another-shop.test", None)),
    ("android app", "android-app://com.google.android.gm/", (WEBSITE, "com.google.android.gm", None)),
    ("google subdomain is no search", "https://mail.google.com/mail/u/0/", (WEBSITE, "mail.google.com", None)),
    ("look-alike host", "https://google.evil.test/?q=x", (WEBSITE, "google.evil.test", None)),
    ("alias path does not match", "http://blog.shop.test/fr/", (WEBSITE, "blog.shop.test", None)),
    ("excluded path, other page", "https://tools.test/other", (WEBSITE, "tools.test", None)),
]


@pytest.mark.parametrize("urlref, expected", [pytest.param(u, e, id=i) for i, u, e in
                                               SEARCH + SOCIAL + DIRECT_ENTRIES + WEBSITES])
def test_referrer_urls(urlref, expected):
    assert detected(urlref) == expected


CAMPAIGNS = [
    ("utm", "http://shop.test/?utm_campaign=Spring%20Sale&utm_term=Blue%20Shoes&utm_source=news", None,
     (CAMPAIGN, "spring sale", "blue shoes")),
    ("mtm", "http://shop.test/?mtm_campaign=Summer&mtm_kwd=sandals&mtm_source=facebook", None,
     (CAMPAIGN, "summer", "sandals")),
    ("pk", "http://shop.test/?pk_campaign=Newsletter&pk_kwd=May", None, (CAMPAIGN, "newsletter", "may")),
    ("name precedence pk before mtm before utm", "http://shop.test/?utm_campaign=u&mtm_campaign=m&pk_campaign=p",
     None, (CAMPAIGN, "p", "")),
    ("pk_cpn first of all", "http://shop.test/?pk_campaign=a&pk_cpn=b&pk_kwd=k", None, (CAMPAIGN, "b", "k")),
    ("keyword precedence", "http://shop.test/?mtm_campaign=x&utm_term=u&mtm_kwd=m&pk_kwd=p", None,
     (CAMPAIGN, "x", "p")),
    ("utm_source is a name", "http://shop.test/?utm_source=Newsletter&utm_medium=email", None,
     (CAMPAIGN, "newsletter", "")),
    ("empty name skipped", "http://shop.test/?pk_campaign=&utm_campaign=Later", None, (CAMPAIGN, "later", "")),
    ("no keyword: search keyword", "http://shop.test/?mtm_campaign=Ads",
     "https://www.google.com/search?q=Blue+Shoes", (CAMPAIGN, "ads", "blue shoes")),
    ("no keyword: referrer host", "http://shop.test/?mtm_campaign=Ads", "https://News.Example.com/a",
     (CAMPAIGN, "ads", "news.example.com")),
    ("no keyword, no referrer", "http://shop.test/?mtm_campaign=Ads", None, (CAMPAIGN, "ads", "")),
    ("own site referrer is still a campaign", "http://shop.test/?pk_campaign=Inner", "http://shop.test/",
     (CAMPAIGN, "inner", "shop.test")),
    ("in the fragment", "http://shop.test/#mtm_campaign=Hash&mtm_kwd=h", None, (CAMPAIGN, "hash", "h")),
    ("fragment when the query has no keyword", "http://shop.test/?mtm_campaign=q#mtm_campaign=f&mtm_kwd=k", None,
     (CAMPAIGN, "f", "k")),
    ("percent-encoded is decoded", "http://shop.test/?utm_campaign=Caf%C3%A9%20%3Cb%3E", None,
     (CAMPAIGN, "café <b>", "")),
    ("literal characters are escaped", "http://shop.test/?utm_campaign=a<b&utm_term=\"q\"", None,
     (CAMPAIGN, "a&lt;b", "&quot;q&quot;")),
    ("plus is a space", "http://shop.test/?utm_campaign=Black+Friday", None, (CAMPAIGN, "black friday", "")),
    ("adwords", PAGE, ("https://googleads.g.doubleclick.net/pagead/ads?url=https%3A%2F%2Fnews.example.org%2Fa"
                       "&ad_type=text"), (CAMPAIGN, "adwords (text)", "(adwords) news.example.org")),
    ("unknown parameters are no campaign", "http://shop.test/?cmp=Custom&kw=x", "https://www.bing.com/search?q=t",
     (SEARCH_ENGINE, "Bing", "t")),
    ("ignore_referrer", "http://shop.test/?ignore_referrer=1&utm_campaign=x", "https://www.google.com/search?q=a",
     (DIRECT, None, None)),
    ("ignore_referer", "http://shop.test/?ignore_referer=1", "https://t.co/x", (DIRECT, None, None)),
]


@pytest.mark.parametrize("url, urlref, expected", [pytest.param(u, r, e, id=i) for i, u, r, e in CAMPAIGNS])
def test_campaigns(url, urlref, expected):
    assert detected(urlref, url) == expected


def test_page_host_counts_as_direct_only_for_a_host_no_site_knows():
    assert detected("http://staging.test/a", "http://staging.test/b") == (DIRECT, None, None)
    assert detected("http://partner.test/shop/x", "http://partner.test/shop/y") == (WEBSITE, "partner.test/shop",
                                                                                     None)
    site = shop(exclude_unknown_urls=True)
    assert detect("http://staging.test/a", "http://staging.test/b", site).type == WEBSITE


def test_a_campaign_without_keyword_keeps_the_keyword_of_the_same_ongoing_campaign():
    current = Referrer(CAMPAIGN, "ads", "first-host.example")
    assert detected("http://shop.test/x", "http://shop.test/?mtm_campaign=ADS", current=current) == \
        (CAMPAIGN, "ads", "first-host.example")
    assert detected("http://shop.test/x", "http://shop.test/?mtm_campaign=other", current=current) == \
        (CAMPAIGN, "other", "shop.test")


def test_campaign_parameters_sent_as_tracking_parameters_override_the_page_url():
    assert detected(None, "http://shop.test/?utm_campaign=page&utm_term=k", tracker_campaign=("sdk", "")) == \
        (CAMPAIGN, "sdk", "")
    assert detected(None, PAGE, tracker_campaign=("Server Side", "Kw")) == (CAMPAIGN, "server side", "kw")


def test_custom_campaign_parameters():
    settings = ReferrerSettings(definitions=DEFINITIONS, campaign_names=("cmp",), campaign_keywords=("kw",))
    found = detect("https://www.bing.com/search?q=t", "http://shop.test/?cmp=Custom%20Campaign&kw=custom-kw",
                   shop(settings=settings))
    assert (found.type, found.name, found.keyword) == (CAMPAIGN, "custom campaign", "custom-kw")
    assert detect(None, "http://shop.test/?utm_campaign=x", shop(settings=settings)).type == DIRECT


def test_stored_referrer_url():
    site = shop(tracker_excluded_parameters=("gclid",))
    google = detect("https://WWW.Google.com/search?q=shoes&ved=2ahUKE&ei=x&sxsrf=y&hl=en#frag", PAGE, site)
    assert google.url == "https://www.google.com/search?q=shoes&hl=en"  # noise, fragment gone, host lower-cased
    facebook = detect("https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.test%2F&h=AT0x&gclid=1", PAGE, site)
    assert facebook.url == "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.test%2F"
    campaign = detect("https://news.example/a?utm_campaign=x&id=1", "http://shop.test/?pk_campaign=c", site)
    assert campaign.url == "https://news.example/a?id=1"  # campaign parameters are excluded everywhere
    assert detect("http://shop.test/cart?x=1", PAGE, site).url == "http://shop.test/cart?x=1"  # even when direct
    assert detect("not a url", PAGE, site).url == ""
    assert detect("https://www.spam-referrer.test/", PAGE, site).url == ""
    assert detect("https://www.google.com/?q=a", "http://shop.test/?ignore_referrer=1", site).url == ""
    long = detect("https://news.example/" + "a" * 3000, PAGE, site)
    assert long.type == WEBSITE and len(long.url) == 1500


def test_names_and_keywords_are_cut_to_255_characters():
    campaign = detect(None, "http://shop.test/?mtm_campaign=" + "n" * 300 + "&mtm_kwd=" + "é" * 300, shop())
    assert (len(campaign.name), len(campaign.keyword)) == (255, 255)
    search = detect("https://www.bing.com/search?q=" + "k" * 300, PAGE, shop())
    assert len(search.keyword) == 255


def test_conversion_attribution():
    site = shop()
    visit = Referrer(SEARCH_ENGINE, "Google", "shoes", "https://www.google.com/")
    campaign_visit = Referrer(CAMPAIGN, "spring", "k")

    assert conversion_referrer(campaign_visit, site, "", "", "https://t.co/x") == Referrer(CAMPAIGN, "spring", "k")
    assert conversion_referrer(visit, site, "Spring Sale", "Blue Shoes", "https://t.co/x") == \
        Referrer(CAMPAIGN, "spring sale", "blue shoes")
    assert conversion_referrer(visit, site, "", "", "https://t.co/x") == Referrer(SOCIAL_NETWORK, "Twitter", "")
    assert conversion_referrer(visit, site, "", "", "https://news.example/") == \
        Referrer(WEBSITE, "news.example", None)
    assert conversion_referrer(visit, site, "", "", "http://shop.test/") == Referrer(SEARCH_ENGINE, "Google",
                                                                                     "shoes")
    assert conversion_referrer(visit, site, "", "", None) == Referrer(SEARCH_ENGINE, "Google", "shoes")


def test_host_patterns():
    patterns: HostPatterns[str] = HostPatterns()
    for pattern, value in (("example.{}", "any ending"), (".sub.example.com", "subdomains"),
                           ("example.com/app", "path"), ("exact.test", "exact")):
        patterns.add(pattern, value)
    assert patterns.find("example.de") == patterns.find("www.example.co.uk") == "any ending"
    assert patterns.find("example.com", "/") == "any ending"
    assert patterns.find("example.com", "/app/x") == patterns.find("m.example.com", "/app") == "path"
    assert patterns.find("example.com", "/apple") == "any ending"
    assert patterns.find("a.b.sub.example.com") == patterns.find("sub.example.com") == "subdomains"
    assert patterns.find("exact.test") == patterns.find("www.exact.test") == "exact"
    assert patterns.find("other.exact.test") is None and patterns.find("example.evil.test") is None


def test_site_urls_match_by_host_and_longest_path():
    urls = SiteUrls([(1, "http://shop.test"), (2, "shop.test/blog"), (3, "https://*.cdn.test")])
    assert urls.match("www.shop.test", "/blog/post") == (frozenset({2}), "/blog/")
    assert urls.match("shop.test", "/blogger") == (frozenset({1}), "/")
    assert urls.match("a.b.cdn.test", "/") == (frozenset({3}), "/")
    assert urls.match("other.test", "/") is None


def test_bundled_definitions_cover_the_most_used_engines_and_networks():
    assert len(DEFINITIONS.engine_names) >= 60 and len(DEFINITIONS.network_names) >= 40
    assert {"Google", "Bing", "Yahoo!", "DuckDuckGo", "Baidu", "Yandex", "Ecosia", "Qwant", "Brave", "Naver",
            "Seznam"} <= DEFINITIONS.engine_names
    assert {"Facebook", "Twitter", "LinkedIn", "Instagram", "Reddit", "YouTube", "TikTok"} <= DEFINITIONS.network_names


def test_campaign_parameters_are_excluded_from_page_urls():
    class FakeSite:
        def __init__(self) -> None:
            self.attributes = {"referrers": shop()}

    assert excluded_query_parameters(FakeSite()) == [
        "pk_cpn", "pk_campaign", "piwik_campaign", "mtm_campaign", "matomo_campaign", "utm_campaign", "utm_source",
        "utm_medium", "pk_kwd", "pk_keyword", "piwik_kwd", "mtm_kwd", "mtm_keyword", "matomo_kwd", "utm_term"]


# -- over HTTP -------------------------------------------------------------------------------------

VISITOR = "5c0ffee5c0ffee55"


def referrer_columns(visit: dict) -> tuple:
    return visit["referer_type"], visit["referer_name"], visit["referer_keyword"], visit["referer_url"]


def test_a_google_page_view_stores_a_search_engine_and_its_keyword(server, db, site):
    response = server.page_view(site, urlref="https://www.google.com/search?q=Blue+Shoes&ved=0ahUK&hl=en",
                                _id=VISITOR)
    assert response.status_code == 200

    (visit,) = db.visits(site)
    assert referrer_columns(visit) == (2, "Google", "blue shoes", "https://www.google.com/search?q=Blue+Shoes&hl=en")


def test_a_campaign_is_stored_and_its_parameters_leave_the_page_url(server, db, site):
    url = "http://shop.test/shoes?utm_campaign=Spring%20Sale&utm_source=newsletter&utm_term=blue&color=red"
    assert server.page_view(site, url=url, urlref="https://mail.example.net/inbox", _id=VISITOR).status_code == 200

    (visit,) = db.visits(site)
    assert referrer_columns(visit) == (6, "spring sale", "blue", "https://mail.example.net/inbox")
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_url"]) == "shop.test/shoes?color=red"


def test_a_campaign_change_within_the_visit_window_starts_a_new_visit(server, db, site):
    start = int(time.time()) - 1200
    pages = [
        ("http://shop.test/?mtm_campaign=Spring&mtm_kwd=a", None),  # visit 1
        ("http://shop.test/next", "http://shop.test/"),  # same visit: internal navigation
        ("http://shop.test/?mtm_campaign=spring&mtm_kwd=A", None),  # the same campaign, compared case-insensitively
        ("http://shop.test/?mtm_campaign=Summer&mtm_kwd=a", None),  # another campaign: visit 2
        ("http://shop.test/x", "https://www.google.com/search?q=shoes"),  # no campaign: stays in visit 2
    ]
    for minute, (url, urlref) in enumerate(pages):
        assert server.page_view(site, url=url, urlref=urlref, _id=VISITOR, cdt=start + 60 * minute).status_code == 200

    first, second = db.visits(site)
    assert (first["visit_total_actions"], second["visit_total_actions"]) == (3, 2)
    assert (first["referer_name"], first["referer_keyword"]) == ("spring", "a")
    assert (second["referer_type"], second["referer_name"], second["referer_keyword"]) == (6, "summer", "a")
    assert first["idvisitor"] == second["idvisitor"] and second["visitor_count_visits"] == 2


def test_a_visit_that_came_direct_takes_a_later_referrer_without_a_new_visit(server, db, site):
    start = int(time.time()) - 600
    for minute, (url, urlref) in enumerate([("http://shop.test/", None),
                                            ("http://shop.test/?pk_campaign=Later", "https://t.co/x"),
                                            ("http://shop.test/b", "https://news.example/")]):
        assert server.page_view(site, url=url, urlref=urlref, _id=VISITOR, cdt=start + 60 * minute).status_code == 200

    (visit,) = db.visits(site)
    assert referrer_columns(visit) == (6, "later", "t.co", "https://t.co/x")
    assert visit["visit_total_actions"] == 3


def test_replayed_matomo_js_captures_store_what_matomo_would(server, db, console):
    """The captured matomo.js session (tests/fixtures/referrers/matomo-js.jsonl), replayed in order.

    Three campaigns arrive within the visit window on one device: each starts a visit; the hits
    in between (a Bing search with a campaign in parameters the site does not use, a website, a
    search with no campaign) extend the campaign visit without changing its referrer.
    """
    idsite = int(console.run("site:add", "--name", "Replays", "--url", "http://shop.test:45699").last_line)
    with open(FIXTURES / "matomo-js.jsonl", encoding="utf-8") as handle:
        for line in handle:
            assert replay(server.base, json.loads(line), idsite).status_code < 500

    visits = db.visits(idsite)
    assert [referrer_columns(v) for v in visits] == [
        (6, "spring sale", "blue shoes", "https://www.google.com/search?q=blue+shoes&hl=en"),
        (6, "summer", "sandals", "http://partner.test:43503/partner/ref.html?from=partner-newsletter"),
        (6, "consent test", "duckduckgo.com", "https://duckduckgo.com/"),
    ]
    urls = {db.action_name(a["idaction_url"]) for a in db.actions(idsite) if a["idaction_url"]}
    assert "shop.test:45699/shop/index.html?utm_content=hero-banner&utm_id=cmp-42" in urls
    assert ("shop.test:45699/shop/landing.html?mtm_source=facebook&mtm_medium=social&mtm_content=post-1"
            "&mtm_cid=c-7&mtm_group=g1&mtm_placement=feed") in urls
    assert "shop.test:45699/shop/consent.html" in urls
    assert not any(name in url for url in urls for name in ("utm_campaign", "utm_term", "mtm_campaign", "mtm_kwd"))


def test_replayed_search_and_social_page_views(server, db, console):
    """Single page views of real clients from a search engine, each a visit of its own."""
    idsite = int(console.run("site:add", "--name", "Replays", "--url", "http://shop.test:45699").last_line)
    with open(FIXTURES / "matomo-js.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    ecosia = next(r for r in records if r["seq"] == 36)
    assert replay(server.base, ecosia, idsite).status_code == 204

    (visit,) = db.visits(idsite)
    assert referrer_columns(visit) == (2, "Ecosia", "cookieless", "https://www.ecosia.org/search?q=cookieless")
