"""Manual goal conversions (``idgoal=N``) and what every conversion row copies from its visit:
referrer (with conversion attribution), device, location and visitor columns (spec §3, §10.1,
§10.3, §10.8), over real HTTP.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers import GIF_BYTES
from tests.test_goals import add_goal, conversions, track

VISITOR = "5a1e5a1e5a1e5a1e"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
COPIED_COLUMNS = ("visitor_returning", "visitor_count_visits", "visitor_seconds_since_first",
                  "visitor_seconds_since_order", "config_browser_name", "config_client_type", "config_device_brand",
                  "config_device_model", "config_device_type", "location_country", "location_region",
                  "location_city", "location_latitude", "location_longitude")


def test_a_manual_goal_records_one_conversion_and_no_action(server, db, console, site):
    idgoal = add_goal(console, site, "manually", "", "contains", "--revenue", "7.5")

    response = server.page_view(site, _id=VISITOR, idgoal=idgoal, url="http://shop.test/signup?step=2&gclid=x")

    assert response.status_code == 200 and len(response.content) == GIF_BYTES
    assert db.actions(site) == []
    (visit,) = db.visits(site)
    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal and conversion["buster"] == 0
    assert conversion["idvisit"] == visit["idvisit"]
    assert conversion["url"] == "http://shop.test/signup?step=2"  # after parameter exclusion
    assert conversion["idaction_url"] is None and conversion["idlink_va"] is None
    assert conversion["revenue"] == pytest.approx(7.5)
    assert conversion["pageviews_before"] == 0
    assert visit["visit_goal_converted"] == 1
    assert visit["visit_total_actions"] == 0


def test_any_goal_converts_manually_whatever_its_match_attribute(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/never-visited")

    track(server, site, idgoal=idgoal, url="http://shop.test/elsewhere")

    assert [row["idgoal"] for row in conversions(db, site)] == [idgoal]
    assert db.actions(site) == []


def test_an_unknown_goal_is_refused_and_nothing_is_stored(server, db, console, site):
    add_goal(console, site, "manually")

    response = server.page_view(site, _id=VISITOR, idgoal=99)

    assert response.status_code == 400
    assert "idGoal 99 does not exist" in response.text
    assert db.visits(site) == [] and db.actions(site) == [] and conversions(db, site) == []


def test_a_deleted_goal_does_not_exist_for_the_tracker(server, db, console, site):
    idgoal = add_goal(console, site, "manually")
    goal = db.table("goal")
    with db.engine.begin() as conn:
        conn.execute(goal.update().where(goal.c.idsite == site, goal.c.idgoal == idgoal).values(deleted=1))

    response = server.page_view(site, _id=VISITOR, idgoal=idgoal)

    assert response.status_code == 400 and f"idGoal {idgoal} does not exist" in response.text
    assert conversions(db, site) == []


@pytest.mark.parametrize("sent, stored", [("12", 12.0), ("10.456", 10.46), ("0", 0.0), ("abc", 4.25), ("1,5", 4.25),
                                          ("", 4.25), (None, 4.25)])
def test_manual_goal_revenue_is_the_parameter_when_numeric_else_the_default(server, db, console, site, sent,
                                                                             stored):
    idgoal = add_goal(console, site, "manually", "", "contains", "--revenue", "4.25")

    track(server, site, idgoal=idgoal, revenue=sent)

    assert conversions(db, site)[0]["revenue"] == pytest.approx(stored)


def test_a_manual_goal_counts_the_visits_page_views_before_it(server, db, console, site):
    idgoal = add_goal(console, site, "manually")

    track(server, site, url="http://shop.test/a")
    track(server, site, url="http://shop.test/?q=socks")  # a site search is not a page view
    track(server, site, url="http://shop.test/b")
    track(server, site, idgoal=idgoal)

    assert conversions(db, site)[0]["pageviews_before"] == 2
    assert len(db.actions(site)) == 3


def test_idgoal_zero_or_negative_is_no_manual_goal(server, db, console, site):
    add_goal(console, site, "url", "/thank-you")

    track(server, site, url="http://shop.test/thank-you", idgoal=-1)  # -1: goals are matched as usual

    assert len(conversions(db, site)) == 1
    assert len(db.actions(site)) == 1


# -- the visit: converted, and visit_total_time's "+ idgoal + 2" -------------------------------------


def test_a_conversion_on_an_ongoing_visit_bumps_its_total_time_by_idgoal_plus_two(server, db, console, site):
    add_goal(console, site, "manually", name="First")
    idgoal = add_goal(console, site, "manually", name="Second")
    start = int(time.time()) - 100

    track(server, site, url="http://shop.test/a", cdt=start)
    assert db.visits(site)[0]["visit_total_time"] == 0
    track(server, site, idgoal=idgoal, cdt=start + 40)

    (visit,) = db.visits(site)
    assert visit["visit_total_time"] == 1 + 40 + idgoal + 2
    assert visit["visit_goal_converted"] == 1


def test_a_goal_matched_on_an_action_bumps_the_total_time_by_one(server, db, console, site):
    """Matomo's idgoal defaults to -1 on a request without one: -1 + 2."""
    add_goal(console, site, "url", "/thanks", "contains")
    start = int(time.time()) - 100

    track(server, site, url="http://shop.test/a", cdt=start)
    track(server, site, url="http://shop.test/thanks", cdt=start + 40)

    (visit,) = db.visits(site)
    assert len(conversions(db, site)) == 1
    assert visit["visit_total_time"] == 1 + 40 + 1
    assert visit["visit_goal_converted"] == 1


# -- what the row copies from the visit --------------------------------------------------------------


def test_the_conversion_copies_the_visits_device_location_and_visitor_columns(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/thank-you")

    track(server, site, url="http://shop.test/a", new_visit=1)  # the visitor becomes a returning one
    track(server, site, url="http://shop.test/thank-you", new_visit=1, ua=FIREFOX_LINUX, lang="fi-FI,fi;q=0.9",
          urlref="https://www.google.com/search?q=winter+boots")

    (conversion,) = conversions(db, site)
    visit = db.visits(site)[-1]
    assert conversion["idgoal"] == idgoal
    assert {column: conversion[column] for column in COPIED_COLUMNS} == {column: visit[column]
                                                                         for column in COPIED_COLUMNS}
    assert conversion["visitor_returning"] == 1 and conversion["visitor_count_visits"] == 2
    assert conversion["config_browser_name"] == "FF"
    assert conversion["location_country"] == "fi"
    assert (conversion["referer_type"], conversion["referer_name"], conversion["referer_keyword"]) == (
        2, "Google", "winter boots")
    assert (visit["referer_type"], visit["referer_name"]) == (2, "Google")


@pytest.mark.parametrize("params, expected", [
    ({"_rcn": "Spring%20Sale", "_rck": "Boots"}, (6, "spring sale", "boots")),
    ({"_ref": "https://blog.example.org/best-boots"}, (3, "blog.example.org", None)),
    ({"_ref": "https://www.bing.com/search?q=red+boots"}, (2, "Bing", "red boots")),
    ({}, (1, None, None)),
])
def test_conversions_are_attributed_to_the_referrer_cookie(server, db, console, site, params, expected):
    idgoal = add_goal(console, site, "manually")

    track(server, site, url="http://shop.test/")  # a direct visit
    track(server, site, idgoal=idgoal, **params)

    (conversion,) = conversions(db, site)
    assert (conversion["referer_type"], conversion["referer_name"], conversion["referer_keyword"]) == expected
    assert db.visits(site)[0]["referer_type"] == 1  # the visit keeps its own referrer


def test_a_campaign_visit_keeps_its_campaign_when_the_cookie_names_none(server, db, console, site):
    idgoal = add_goal(console, site, "manually")

    track(server, site, url="http://shop.test/?mtm_campaign=Newsletter&mtm_kwd=May")
    track(server, site, idgoal=idgoal, _ref="https://blog.example.org/")

    (conversion,) = conversions(db, site)
    assert (conversion["referer_type"], conversion["referer_name"], conversion["referer_keyword"]) == (
        6, "newsletter", "may")
