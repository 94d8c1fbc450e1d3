"""Outlinks, downloads and site searches over real HTTP: their log_action rows, their action rows and
what they do to the visit's counters and entry/exit pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import crc32

VISITOR = "5c1e2a3b4d5e6f70"


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def start() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(hours=2)


@pytest.mark.parametrize(("parameter", "action_type"), [("link", 2), ("download", 3)])
def test_click_is_stored_with_its_url_whole_and_escaped(server, db, site, parameter, action_type):
    url = "https://www.partner.example/landing?x=1&y=<2>"
    response = server.track("GET", params={"idsite": site, "rec": 1, parameter: url, "_id": VISITOR,
                                           "url": "http://shop.test/ignored-page", "send_image": 0})

    assert response.status_code == 204
    (action,) = db.actions(site)
    stored = db.log_action(action["idaction_url"])
    expected = "https://www.partner.example/landing?x=1&amp;y=&lt;2&gt;"
    assert (stored["name"], stored["type"], stored["url_prefix"]) == (expected, action_type, None)
    assert stored["hash"] == crc32(expected)
    assert action["idaction_name"] is None
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 1
    assert visit["visit_total_interactions"] == 0
    assert visit["visit_entry_idaction_url"] is None
    assert visit["visit_exit_idaction_url"] == 0  # the column's default: a click never sets the exit page


def test_download_outranks_outlink_and_neither_moves_the_exit_page(server, db, site):
    t0 = start()
    server.page_view(site, url="http://shop.test/docs", action_name="Docs", _id=VISITOR, cdt=cdt(t0))
    server.track("GET", params={"idsite": site, "rec": 1, "_id": VISITOR, "cdt": cdt(t0 + timedelta(seconds=40)),
                                "link": "https://out.example/", "download": "http://shop.test/manual.pdf"})
    server.track("GET", params={"idsite": site, "rec": 1, "_id": VISITOR, "cdt": cdt(t0 + timedelta(seconds=70)),
                                "link": "https://out.example/next"})

    page, download, outlink = db.actions(site)
    assert db.log_action(download["idaction_url"])["type"] == 3
    assert db.action_name(download["idaction_url"]) == "http://shop.test/manual.pdf"
    assert db.log_action(outlink["idaction_url"])["type"] == 2
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 3
    assert visit["visit_total_interactions"] == 1
    assert visit["visit_exit_idaction_url"] == page["idaction_url"]
    assert visit["visit_exit_idaction_name"] == page["idaction_name"]
    assert [a["pageview_position"] for a in (page, download, outlink)] == [1, 1, 1]
    assert (download["time_spent_ref_action"], outlink["time_spent_ref_action"]) == (40, 30)
    assert outlink["idaction_url_ref"] == page["idaction_url"]


def test_invalid_link_url_still_records_the_outlink_without_a_url(server, db, site):
    server.track("GET", params={"idsite": site, "rec": 1, "_id": VISITOR, "link": "javascript:void(0)"})

    (action,) = db.actions(site)
    assert action["idaction_url"] == 0
    assert db.visits(site)[0]["visit_total_actions"] == 1


def test_explicit_site_search_stores_keyword_category_and_count(server, db, site):
    server.page_view(site, url="http://shop.test/search", search="  Blue <shoes> ", search_cat="Footwear",
                     search_count="12", _id=VISITOR)

    (action,) = db.actions(site)
    assert action["idaction_url"] is None
    keyword = db.log_action(action["idaction_name"])
    assert (keyword["name"], keyword["type"], keyword["url_prefix"]) == ("Blue &lt;shoes&gt;", 8, None)
    assert (action["search_cat"], action["search_count"], action["pageview_position"]) == ("Footwear", 12, 1)
    (visit,) = db.visits(site)
    assert visit["visit_total_searches"] == 1
    assert visit["visit_total_actions"] == 1
    assert visit["visit_total_interactions"] == 1
    assert visit["visit_entry_idaction_url"] == 0
    assert visit["visit_entry_idaction_name"] == action["idaction_name"]
    assert visit["visit_exit_idaction_url"] is None
    assert visit["visit_exit_idaction_name"] == action["idaction_name"]


def test_search_count_must_be_a_whole_number(server, db, site):
    server.page_view(site, search="a", search_count="-1", _id=VISITOR)
    server.page_view(site, search="b", search_count="many", _id=VISITOR)

    assert [a["search_count"] for a in db.actions(site)] == [None, None]


def test_keyword_found_in_the_page_url_with_matomos_default_parameters(server, db, site):
    server.page_view(site, url="http://shop.test/find?Q=red%20%3Cboots%3E&page=2&search_count=4", _id=VISITOR)
    server.page_view(site, url="http://shop.test/#/results?keywords=green+hat", _id=VISITOR)
    server.page_view(site, url="http://shop.test/catalog?q=", action_name="Catalog", _id=VISITOR)

    first, second, third = db.actions(site)
    assert db.log_action(first["idaction_name"])["type"] == 8
    # percent-encoded characters are decoded, so they end up raw (spec 7.4, "mixed")
    assert db.action_name(first["idaction_name"]) == "red <boots>"
    assert first["search_count"] == 4
    assert db.action_name(second["idaction_name"]) == "green hat"
    assert db.log_action(third["idaction_name"])["type"] == 4  # an empty keyword: a page view
    assert db.visits(site)[0]["visit_total_searches"] == 2


def test_site_keyword_and_category_parameters_replace_the_defaults(server, db, console):
    idsite = int(console.run("site:add", "--name", "Own params", "--url", "http://own.test",
                             "--sitesearch-keyword-parameters", "term,needle").last_line)
    server.page_view(idsite, url="http://own.test/?q=not-a-search", _id=VISITOR)
    server.page_view(idsite, url="http://own.test/?NEEDLE=lamp", _id=VISITOR)

    page, search = db.actions(idsite)
    assert db.log_action(page["idaction_url"])["type"] == 1
    assert db.log_action(search["idaction_name"])["type"] == 8
    assert db.action_name(search["idaction_name"]) == "lamp"


def test_site_search_disabled_for_the_site_keeps_page_views(server, db, console):
    idsite = int(console.run("site:add", "--name", "No search", "--url", "http://nosearch.test",
                             "--no-sitesearch").last_line)
    server.page_view(idsite, url="http://nosearch.test/?q=lamp", action_name="Home", _id=VISITOR)
    server.page_view(idsite, url="http://nosearch.test/x", search="lamp", _id=VISITOR)

    actions = db.actions(idsite)
    assert [db.log_action(a["idaction_url"])["type"] for a in actions] == [1, 1]
    assert db.visits(idsite)[0]["visit_total_searches"] == 0


def test_search_after_page_view_blanks_the_exit_url_and_takes_the_next_position(server, db, site):
    t0 = start()
    server.page_view(site, url="http://shop.test/", action_name="Home", _id=VISITOR, cdt=cdt(t0))
    server.page_view(site, url="http://shop.test/?s=lamp", _id=VISITOR, cdt=cdt(t0 + timedelta(seconds=5)))

    page, search = db.actions(site)
    assert search["pageview_position"] == 2
    assert (search["idaction_url_ref"], search["idaction_name_ref"]) == (page["idaction_url"], page["idaction_name"])
    (visit,) = db.visits(site)
    assert visit["visit_entry_idaction_url"] == page["idaction_url"]
    assert visit["visit_exit_idaction_url"] is None
    assert visit["visit_exit_idaction_name"] == search["idaction_name"]
    assert (visit["visit_total_searches"], visit["visit_total_interactions"], visit["visit_total_actions"]) == (1, 2, 2)
