"""Referrers through a real tracker on a fresh SQLite database: its ``[Referrers]`` settings, extra
definition files, site URLs and excluded referrers read from the database, and the values
copied into conversions.

The scaffolding (``Sandbox``, ``track``, ``rows``, ``add_site``) is that of tests/test_hook_examples.py.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from core.tracker import TrackResult
from core.visitor import Visitor
from plugins.referrers.columns import SITE_KEY, ReferrerKeyword, ReferrerName, ReferrerType, ReferrerUrl
from plugins.referrers.definitions import DefinitionError
from tests.test_hook_examples import SITE, Sandbox, add_site, rows, track

VISITOR = "a1b2c3d4e5f60718"


@pytest.fixture
def sandbox(tmp_path):
    box = Sandbox(tmp_path)
    yield box
    box.close()


def referrers(db, **where) -> list[tuple]:
    return [(row["referer_type"], row["referer_name"], row["referer_keyword"])
            for row in rows(db, "log_visit", **where)]


def test_a_website_change_starts_a_new_visit_only_when_configured(sandbox):
    start = int(time.time()) - 900
    hits = ["https://news.example/a", "https://news.example/b", "https://blog.example/x", "http://shop.test/"]

    for setting, expected in ((False, [(3, "news.example", None)]),
                              (True, [(3, "news.example", None), (3, "blog.example", None)])):
        tracker = sandbox.tracker(settings={"Referrers": {"create_new_visit_when_website_referrer_changes": setting}})
        for minute, urlref in enumerate(hits):
            assert track(tracker, urlref=urlref, _id=VISITOR, cdt=start + 60 * minute) is TrackResult.TRACKED
        assert referrers(tracker.db) == expected
        assert sum(row["visit_total_actions"] for row in rows(tracker.db, "log_visit")) == 4


def test_campaign_changes_can_be_told_not_to_start_visits(sandbox):
    tracker = sandbox.tracker(settings={"Referrers": {"create_new_visit_when_campaign_changes": False,
                                                      "campaign_var_name": ["cmp"],
                                                      "campaign_keyword_var_name": ["kw"]}})
    start = int(time.time()) - 600
    for minute, url in enumerate(["http://shop.test/?cmp=A&kw=1&utm_campaign=ignored", "http://shop.test/?cmp=B"]):
        assert track(tracker, url=url, _id=VISITOR, cdt=start + 60 * minute) is TrackResult.TRACKED

    assert referrers(tracker.db) == [(6, "a", "1")]
    names = {row["name"] for row in rows(tracker.db, "log_action")}
    assert "shop.test/?utm_campaign=ignored" in names and "shop.test/" in names  # only cmp/kw are removed


def test_extra_definition_files_add_engines_and_networks(sandbox, tmp_path):
    extra = tmp_path / "our-referrers.toml"
    extra.write_text('[[search_engine]]\nname = "Archive Search"\nhosts = ["search.archive.example"]\n'
                     'keyword_parameters = ["/\\\\/find\\\\/([^/?]+)/"]\n\n'
                     '[[social_network]]\nname = "Staff Chat"\nhosts = [".chat.example"]\n')
    tracker = sandbox.tracker(settings={"Referrers": {"definitions_files": [str(extra)]}})

    assert track(tracker, urlref="https://search.archive.example/find/Old%20Maps", remote_addr="192.0.2.1") \
        is TrackResult.TRACKED
    assert track(tracker, urlref="https://team.chat.example/room/1", remote_addr="192.0.2.2") is TrackResult.TRACKED
    assert referrers(tracker.db) == [(2, "Archive Search", "old maps"), (7, "Staff Chat", "")]

    broken = tmp_path / "broken.toml"
    broken.write_text('[[search_engine]]\nname = "No hosts"\n')
    with pytest.raises(DefinitionError, match="broken.toml, search_engine #1: 'hosts' is missing"):
        sandbox.tracker(settings={"Referrers": {"definitions_files": [str(broken)]}})


def test_site_urls_aliases_and_excluded_referrers_come_from_the_database(sandbox):
    tracker = sandbox.tracker(settings={"Referrers": {"excluded_referrers": ["tools.example/preview"]}})
    db = tracker.db
    with db.engine.begin() as conn:
        conn.execute(db.table("site_url").insert(), [{"idsite": SITE, "url": "http://shop.test"},
                                                     {"idsite": SITE, "url": "https://.shop-cdn.test"}])
        conn.execute(update(db.table("site")).where(db.table("site").c.idsite == SITE)
                     .values(excluded_referrers="spam.example,.ads.example"))
    other = add_site(db, name="Partner", main_url="http://partner.test/shop")

    for address, urlref in enumerate(["https://img.shop-cdn.test/a", "https://spam.example/", "https://x.ads.example/",
                                      "https://tools.example/preview/1", "http://partner.test/shop/item",
                                      "https://tools.example/other"], 1):
        assert track(tracker, urlref=urlref, remote_addr=f"192.0.2.{address}") is TrackResult.TRACKED
    assert referrers(db, idsite=SITE) == [(1, None, None)] * 4 + [(3, "partner.test/shop", None),
                                                                   (3, "tools.example", None)]
    assert [row["referer_url"] for row in rows(db, "log_visit", idsite=SITE)][:4] == [
        "https://img.shop-cdn.test/a", "", "", ""]

    # A site added later is known as soon as the site cache reloads (cache:clear, or its TTL).
    tracker.sites.clear()
    add_site(db, name="Late", main_url="http://late.test/blog")
    assert track(tracker, urlref="http://late.test/blog/post", remote_addr="192.0.2.99") is TrackResult.TRACKED
    assert referrers(db, idsite=SITE)[-1] == (3, "late.test/blog", None)
    assert referrers(db, idsite=other) == []


def test_conversions_copy_the_attributed_referrer(sandbox):
    tracker = sandbox.tracker()
    site = tracker.sites.get(SITE)
    visit_values = {"referer_type": 2, "referer_name": "Google", "referer_keyword": "shoes", "referer_url": "x"}

    def attributed(**params) -> tuple:
        request = tracker.new_request({"idsite": "1", "rec": "1", **params})
        request.extra[SITE_KEY] = site
        visitor = Visitor(None, is_new_visit=True, values=dict(visit_values))
        return tuple(d.on_any_goal_conversion(request, visitor, None)
                     for d in (ReferrerType(), ReferrerName(), ReferrerKeyword()))

    assert attributed() == (2, "Google", "shoes")
    assert attributed(_rcn="Spring%20Sale", _rck="Blue Shoes") == (6, "spring sale", "blue shoes")
    assert attributed(_ref="https://t.co/abc") == (7, "Twitter", "")
    assert attributed(_ref="http://shop.test/own-page") == (2, "Google", "shoes")
    assert not ReferrerUrl.copies_to_conversions()
    assert {c for c in ("referer_type", "referer_name", "referer_keyword", "referer_url")
            if c in tracker.db.columns("log_conversion")} == {"referer_type", "referer_name", "referer_keyword"}
