"""Goals over real HTTP: goals defined with ``goal:add`` convert on the actions that match them,
and each conversion lands in ``log_conversion`` as Matomo writes it (spec §10.8).

Every test adds its goals before its site's first request, so the server loads them with the
site; ``test_a_goal_added_while_the_server_runs_is_used_without_restart`` covers a goal added later.
"""

from __future__ import annotations

import calendar
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

VISITOR = "5a1e5a1e5a1e5a1e"


def add_goal(console, idsite: int, attribute: str, pattern: str = "", pattern_type: str = "contains",
             *flags: str, name: str = "Goal") -> int:
    return int(console.run("goal:add", "--idsite", str(idsite), "--name", name, "--match-attribute", attribute,
                           "--pattern", pattern, "--pattern-type", pattern_type, *flags).last_line)


def conversions(db, idsite: int) -> list[dict]:
    return sorted(db.rows("log_conversion", idsite=idsite),
                  key=lambda row: (row["server_time"], row["idgoal"], row["idlink_va"] or 0))


def goals_converted(db, idsite: int) -> list[int]:
    return [row["idgoal"] for row in conversions(db, idsite)]


def track(server, idsite: int, **params) -> httpx.Response:
    response = server.page_view(idsite, _id=VISITOR, **params)
    assert response.status_code == 200, response.text
    return response


# -- the conversion row ------------------------------------------------------------------------------


def test_a_url_goal_converts_on_a_matching_page_view_with_the_action_ids(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/thank-you", "contains", "--revenue", "19.5")

    track(server, site, url="http://shop.test/cart", action_name="Cart")
    track(server, site, url="http://shop.test/thank-you?order=7&gclid=abc", action_name="Thanks")

    (conversion,) = conversions(db, site)
    (visit,) = db.visits(site)
    thanks = db.actions(site)[1]
    assert conversion["idgoal"] == idgoal
    assert conversion["buster"] == 0
    assert conversion["idvisit"] == visit["idvisit"] and conversion["idsite"] == site
    assert bytes(conversion["idvisitor"]) == bytes.fromhex(VISITOR)
    assert conversion["server_time"] == visit["visit_last_action_time"]
    assert conversion["url"] == "http://shop.test/thank-you?order=7"  # stored after parameter exclusion
    assert conversion["idaction_url"] == thanks["idaction_url"]
    assert conversion["idlink_va"] == thanks["idlink_va"]
    assert conversion["revenue"] == pytest.approx(19.5)
    assert conversion["pageviews_before"] == 2
    assert conversion["items"] is None and conversion["idorder"] is None
    assert visit["visit_goal_converted"] == 1


def test_a_visit_without_conversion_is_not_marked_converted(server, db, console, site):
    add_goal(console, site, "url", "/thank-you")

    track(server, site, url="http://shop.test/cart")

    assert conversions(db, site) == []
    assert db.visits(site)[0]["visit_goal_converted"] == 0


def test_one_action_converts_every_goal_it_matches(server, db, console, site):
    first = add_goal(console, site, "url", "checkout", name="Checkout")
    second = add_goal(console, site, "title", "Payment", name="Payment")
    add_goal(console, site, "url", "never-there", name="Other")

    track(server, site, url="http://shop.test/checkout/pay", action_name="Payment details")

    assert goals_converted(db, site) == [first, second]
    assert {row["idlink_va"] for row in conversions(db, site)} == {db.actions(site)[0]["idlink_va"]}


def test_the_revenue_parameter_replaces_the_default_of_a_matched_goal(server, db, console, site):
    add_goal(console, site, "url", "/thank-you", "contains", "--revenue", "5")

    track(server, site, url="http://shop.test/thank-you", revenue="42.129")

    assert conversions(db, site)[0]["revenue"] == pytest.approx(42.13)


# -- match attributes and pattern types --------------------------------------------------------------


def test_url_goals_compare_the_raw_url_before_parameter_exclusion(server, db, console, site):
    idgoal = add_goal(console, site, "url", "utm_campaign=spring", "contains")

    track(server, site, url="http://shop.test/landing?utm_campaign=spring")

    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal
    assert "utm_campaign" not in conversion["url"]


def test_url_and_title_goals_match_page_views_only(server, db, console, site):
    add_goal(console, site, "url", "/brochure", "contains")
    add_goal(console, site, "title", "brochure", "contains")

    track(server, site, url="http://shop.test/brochure", e_c="Brochure", e_a="open", e_n="brochure")
    track(server, site, download="http://shop.test/brochure.pdf")
    track(server, site, link="http://example.org/brochure")

    assert conversions(db, site) == []


@pytest.mark.parametrize("pattern_type, pattern, flags, title, converts", [
    ("exact", "Order Confirmed", (), "order confirmed", True),
    ("exact", "Order Confirmed", ("--case-sensitive",), "order confirmed", False),
    ("exact", "Order Confirmed", ("--case-sensitive",), "Order Confirmed", True),
    ("exact", "Order", (), "Order Confirmed", False),
    ("contains", "CONFIRMED", (), "Order confirmed", True),
    ("contains", "CONFIRMED", ("--case-sensitive",), "Order confirmed", False),
    ("regex", r"^order (confirmed|placed)$", (), "Order Placed", True),
    ("regex", r"^order (confirmed|placed)$", ("--case-sensitive",), "Order Placed", False),
    ("regex", r"^order \d+$", (), "Order 12 of 3", False),
    ("contains", "Fish & Chips", (), "Fish & Chips menu", True),  # both sides unescaped before comparing
    ("exact", "Say \"hi\" <now>", (), "Say \"hi\" <now>", True),
])
def test_title_goals_by_pattern_type_and_case(server, db, console, site, pattern_type, pattern, flags, title,
                                              converts):
    add_goal(console, site, "title", pattern, pattern_type, *flags)

    track(server, site, action_name=title)

    assert len(conversions(db, site)) == (1 if converts else 0)


def test_a_url_regex_is_python_re_searched_case_insensitively(server, db, console, site):
    idgoal = add_goal(console, site, "url", r"shop\.test/orders/[0-9]+/done$", "regex")

    track(server, site, url="http://shop.test/orders/abc/done")
    track(server, site, url="HTTP://SHOP.TEST/ORDERS/123/DONE")

    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal
    assert conversion["idlink_va"] == db.actions(site)[1]["idlink_va"]


@pytest.mark.parametrize("pattern, page", [
    ("/caf%C3%A9/menu", "http://shop.test/café/menu"),  # the pattern urldecoded matches the URL as sent
    ("thank+you", "http://shop.test/thank you"),
    ("/caf%C3%A9/menu", "http://shop.test/caf%C3%A9/menu"),  # and the pattern as given matches first
])
def test_a_urlencoded_pattern_is_tried_again_decoded(server, db, console, site, pattern, page):
    add_goal(console, site, "url", pattern, "contains")

    track(server, site, url=page)

    assert len(conversions(db, site)) == 1


def test_a_file_goal_matches_downloads(server, db, console, site):
    idgoal = add_goal(console, site, "file", ".pdf", "contains")

    track(server, site, url="http://shop.test/guide.pdf")  # a page view, not a download
    track(server, site, download="http://shop.test/files/guide.pdf")

    (conversion,) = conversions(db, site)
    download = db.actions(site)[1]
    assert conversion["idgoal"] == idgoal
    assert conversion["url"] == "http://shop.test/files/guide.pdf"
    assert conversion["idaction_url"] == download["idaction_url"]
    assert db.log_action(download["idaction_url"])["type"] == 3
    assert conversion["pageviews_before"] == 1  # the download is no page view


def test_an_external_website_goal_matches_outlinks(server, db, console, site):
    idgoal = add_goal(console, site, "external_website", "https://partner.example/signup", "exact")

    track(server, site, link="https://partner.example/signup")
    track(server, site, link="https://partner.example/signup/step2")

    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal
    assert conversion["idlink_va"] == db.actions(site)[0]["idlink_va"]


@pytest.mark.parametrize("attribute, pattern", [("event_category", "Video"), ("event_action", "play"),
                                                ("event_name", "Intro clip")])
def test_event_goals_match_their_part_of_the_event(server, db, console, site, attribute, pattern):
    idgoal = add_goal(console, site, attribute, pattern, "exact")

    track(server, site, e_c="Video", e_a="play", e_n="Intro clip")
    track(server, site, e_c="Audio", e_a="pause", e_n="Outro")

    (conversion,) = conversions(db, site)
    event = db.actions(site)[0]
    assert conversion["idgoal"] == idgoal
    assert conversion["idlink_va"] == event["idlink_va"]
    assert conversion["idaction_url"] == event["idaction_url"]


def test_an_event_goal_may_take_the_event_value_as_revenue(server, db, console, site):
    by_value = add_goal(console, site, "event_action", "purchase", "exact", "--revenue", "3",
                        "--event-value-as-revenue", name="By value")
    default = add_goal(console, site, "event_category", "Shop", "exact", "--revenue", "3", name="Default")

    track(server, site, e_c="Shop", e_a="purchase", e_v="12.345", new_visit=1)
    track(server, site, e_c="Shop", e_a="purchase", new_visit=1)  # no e_v: the default

    revenues = [(row["idgoal"], round(row["revenue"], 2)) for row in conversions(db, site)]
    assert sorted(revenues) == sorted([(by_value, 12.35), (default, 3.0), (by_value, 3.0), (default, 3.0)])


def test_a_visit_duration_goal_converts_once_the_visit_is_long_enough(server, db, console, site):
    five = add_goal(console, site, "visit_duration", "5", "greater_than", name="5 min")
    add_goal(console, site, "visit_duration", "15", "greater_than", name="15 min")
    start = int(time.time()) - 600

    track(server, site, url="http://shop.test/a", cdt=start)
    assert conversions(db, site) == []  # the first action: 0 minutes
    track(server, site, url="http://shop.test/b", cdt=start + 200)
    assert conversions(db, site) == []  # 3.3 minutes
    track(server, site, e_c="Scroll", e_a="bottom", cdt=start + 400)  # any kind of action counts

    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == five
    assert conversion["idlink_va"] == db.actions(site)[2]["idlink_va"]


def test_a_visit_nb_pageviews_goal_converts_on_the_page_view_that_passes_the_count(server, db, console, site):
    idgoal = add_goal(console, site, "visit_nb_pageviews", "2", "greater_than")

    track(server, site, url="http://shop.test/1")
    track(server, site, url="http://shop.test/2")
    track(server, site, e_c="Scroll", e_a="bottom")
    track(server, site, url="http://shop.test/?q=shoes")  # a site search is no page view
    assert conversions(db, site) == []
    track(server, site, url="http://shop.test/3")

    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal
    assert conversion["pageviews_before"] == 3
    assert conversion["idlink_va"] == db.actions(site)[-1]["idlink_va"]


def test_a_manually_goal_never_converts_by_itself(server, db, console, site):
    add_goal(console, site, "manually")

    track(server, site, url="http://shop.test/anything")
    track(server, site, e_c="Any", e_a="thing")

    assert conversions(db, site) == []


# -- once per visit, or many times -------------------------------------------------------------------


def test_a_goal_converts_once_per_visit_then_again_in_a_new_visit(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/thank-you")

    track(server, site, url="http://shop.test/thank-you")
    track(server, site, url="http://shop.test/thank-you?again=1")
    assert len(conversions(db, site)) == 1
    track(server, site, url="http://shop.test/thank-you", new_visit=1)

    rows = conversions(db, site)
    visits = db.visits(site)
    assert [row["idgoal"] for row in rows] == [idgoal, idgoal]
    assert [row["idvisit"] for row in rows] == [visit["idvisit"] for visit in visits]
    assert [row["buster"] for row in rows] == [0, 0]
    assert [visit["visit_goal_converted"] for visit in visits] == [1, 1]


def test_a_goal_allowing_multiple_conversions_converts_each_time(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/newsletter", "contains", "--allow-multiple")

    track(server, site, url="http://shop.test/newsletter")
    track(server, site, url="http://shop.test/newsletter")

    rows = conversions(db, site)
    assert [row["idgoal"] for row in rows] == [idgoal, idgoal]
    assert [row["idlink_va"] for row in rows] == [action["idlink_va"] for action in db.actions(site)]
    for row in rows:  # a digit 1-3, a digit, then the last 8 digits of the visit's last action time
        digits = str(row["buster"])
        assert len(digits) == 10 and digits[0] in "123"
        assert int(digits[2:]) == calendar.timegm(row["server_time"].timetuple()) % 10**8


def test_conversions_of_a_multiple_goal_in_the_same_second_are_all_kept(server, db, console, site):
    idgoal = add_goal(console, site, "manually", "", "contains", "--allow-multiple")
    moment = int(time.time()) - 60

    for _ in range(8):
        track(server, site, idgoal=idgoal, cdt=moment)

    busters = [row["buster"] for row in conversions(db, site)]
    assert len(busters) == len(set(busters)) == 8
    assert all(buster % 10**8 == moment % 10**8 for buster in busters)


def test_concurrent_conversions_of_one_goal_in_one_visit_store_one_row(server, db, console, site):
    idgoal = add_goal(console, site, "url", "/thank-you")
    track(server, site, url="http://shop.test/cart")
    requests = [{"idsite": site, "rec": 1, "_id": VISITOR, "url": f"http://shop.test/thank-you?n={n}"}
                for n in range(10)]

    with httpx.Client(timeout=60) as client, ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda params: client.get(server.base + "/matomo.php", params=params).status_code,
                                 requests))

    assert statuses == [200] * 10
    (conversion,) = conversions(db, site)
    assert conversion["idgoal"] == idgoal
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 11 and visit["visit_goal_converted"] == 1


# -- heartbeats and goals added later ----------------------------------------------------------------


def test_a_ping_converts_nothing(server, db, console, site):
    add_goal(console, site, "url", "/thank-you", name="URL")
    manual = add_goal(console, site, "manually", name="Manual")

    track(server, site, url="http://shop.test/cart")
    track(server, site, url="http://shop.test/thank-you", ping=1)
    track(server, site, url="http://shop.test/thank-you", ping=1, idgoal=manual)

    assert conversions(db, site) == []
    assert db.visits(site)[0]["visit_goal_converted"] == 0


def test_a_goal_added_while_the_server_runs_is_used_without_restart(server, db, console, site):
    track(server, site, url="http://shop.test/offer")  # the server has the site (without goals) cached now
    idgoal = add_goal(console, site, "url", "/offer")

    deadline = time.monotonic() + 10
    while not conversions(db, site):
        assert time.monotonic() < deadline, "the server did not pick up the new goal"
        time.sleep(0.3)
        track(server, site, url="http://shop.test/offer", new_visit=1)

    assert goals_converted(db, site) == [idgoal]
