"""Events: e_c/e_a/e_n/e_v requests land as Matomo records them (log_action rows, the action row's
event columns, the visit's counters), over real HTTP.
A blank category on a request stored as another kind (an outlink) is not refused.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.helpers import crc32
from tests.replay import load_captures, replay

VISITOR = "eb99367032ce97d5"
PREFIXES = {0: "http://", 1: "http://www.", 2: "https://", 3: "https://www."}
BLANK_MESSAGE = "Param `{}` must not be empty or filled with whitespaces"


def event(server, idsite: int, method: str = "GET", **params):
    query = {"idsite": idsite, "rec": 1, "url": "http://shop.test/video", "_id": VISITOR, "ca": 1, **params}
    query = {k: v for k, v in query.items() if v is not None}
    if method == "GET":
        return server.track("GET", params=query)
    return server.track("POST", data=query)


def capture(seq: int) -> dict:
    (record,) = [r for r in load_captures("matomo-js.jsonl") if r["seq"] == seq]
    return record


# -- what matomo.js sends ---------------------------------------------------------------------------


def test_a_matomo_js_event_after_its_page_view(server, db, site):
    assert replay(server.base, capture(1), site).status_code == 204  # the page view
    response = replay(server.base, capture(3), site)  # Video / Play / Intro clip / 42.5, ca=1, POST

    assert response.status_code == 204
    (visit,) = db.visits(site)
    page_view, played = db.actions(site)
    assert played["idvisit"] == visit["idvisit"]

    page_url = db.log_action(page_view["idaction_url"])
    url = db.log_action(played["idaction_url"])
    assert (url["name"], url["type"], url["url_prefix"]) == (page_url["name"], 10, page_url["url_prefix"])
    assert url["url_prefix"] == 0 and url["hash"] == crc32(url["name"])
    assert db.named(played["idaction_name"]) == ("Intro clip", 12)
    assert db.named(played["idaction_event_category"]) == ("Video", 10)
    assert db.named(played["idaction_event_action"]) == ("Play", 11)
    assert played["custom_float"] == 42.5
    assert played["idpageview"].strip() == "vZY2Dc"
    assert played["pageview_position"] == page_view["pageview_position"] == 1
    assert played["idaction_url_ref"] == page_view["idaction_url"]
    assert played["idaction_name_ref"] == page_view["idaction_name"]
    assert 0 <= played["time_spent_ref_action"] <= 1800

    assert (visit["visit_total_actions"], visit["visit_total_events"], visit["visit_total_interactions"]) == (2, 1, 1)
    assert visit["visit_entry_idaction_url"] == visit["visit_exit_idaction_url"] == page_view["idaction_url"]
    assert visit["visit_entry_idaction_name"] == visit["visit_exit_idaction_name"] == page_view["idaction_name"]
    assert page_view["idaction_event_category"] is None and page_view["custom_float"] is None


def test_events_sent_as_a_form_body_and_in_bulk(server, db, site):
    form = server.track("POST", data={"idsite": site, "rec": 1, "url": "http://shop.test/form", "_id": VISITOR,
                                      "e_c": "Form", "e_a": "Submit", "e_n": "Contact", "e_v": "1", "ca": 1,
                                      "send_image": 0})
    entries = [f"?idsite={site}&rec=1&_id={VISITOR}&url=http%3A%2F%2Fshop.test%2Fform&e_c=Queue&e_a={name}"
               for name in ("One", "Two")]
    bulk = server.track("POST", content=json.dumps({"requests": entries, "send_image": 0}))

    assert (form.status_code, bulk.status_code) == (204, 204)
    submitted, one, two = db.actions(site)
    assert [db.named(a["idaction_event_action"]) for a in (submitted, one, two)] == [
        ("Submit", 11), ("One", 11), ("Two", 11)]
    assert (submitted["custom_float"], one["custom_float"]) == (1.0, None)
    assert one["idaction_event_category"] == two["idaction_event_category"]
    (visit,) = db.visits(site)
    assert (visit["visit_total_actions"], visit["visit_total_events"], visit["visit_total_interactions"]) == (3, 3, 0)


# -- the visit ----------------------------------------------------------------------------------------


def test_an_event_that_opens_a_visit_counts_as_an_action_but_is_no_entry_page(server, db, site):
    assert event(server, site, e_c="Video", e_a="Play").status_code == 200

    (visit,) = db.visits(site)
    (action,) = db.actions(site)
    assert (visit["visit_total_actions"], visit["visit_total_events"], visit["visit_total_interactions"]) == (1, 1, 0)
    assert visit["visit_entry_idaction_url"] is None
    assert (visit["visit_entry_idaction_name"], visit["visit_exit_idaction_url"], visit["visit_exit_idaction_name"]) \
        == (0, 0, 0)
    assert action["pageview_position"] is None
    assert (action["time_spent_ref_action"], action["idaction_url_ref"], action["idaction_name_ref"]) == (0, 0, 0)
    assert action["idaction_name"] is None  # no e_n


def test_events_after_a_page_view_leave_entry_and_exit_and_share_its_position(server, db, site):
    start = int(time.time()) - 300
    server.page_view(site, _id=VISITOR, url="http://shop.test/watch", action_name="Watch", cdt=start)
    event(server, site, url="http://shop.test/watch", e_c="Video", e_a="Play", cdt=start + 60)
    event(server, site, url="http://shop.test/watch", e_c="Video", e_a="Pause", cdt=start + 100)

    (visit,) = db.visits(site)
    page_view, played, paused = db.actions(site)
    assert [a["pageview_position"] for a in (page_view, played, paused)] == [1, 1, 1]
    assert [a["time_spent_ref_action"] for a in (page_view, played, paused)] == [0, 60, 40]
    assert played["idaction_url_ref"] == paused["idaction_url_ref"] == page_view["idaction_url"]
    assert (visit["visit_total_actions"], visit["visit_total_events"], visit["visit_total_interactions"]) == (3, 2, 1)
    assert visit["visit_entry_idaction_url"] == visit["visit_exit_idaction_url"] == page_view["idaction_url"]
    assert visit["visit_entry_idaction_name"] == visit["visit_exit_idaction_name"] == page_view["idaction_name"]

    server.page_view(site, _id=VISITOR, url="http://shop.test/next", cdt=start + 130)
    (visit,) = db.visits(site)
    assert db.actions(site)[-1]["pageview_position"] == 2
    assert (visit["visit_total_actions"], visit["visit_total_events"], visit["visit_total_interactions"]) == (4, 2, 2)


def test_page_views_leave_the_event_count_alone(server, db, site):
    server.page_view(site, _id=VISITOR)
    assert db.visits(site)[0]["visit_total_events"] == 0
    server.page_view(site, _id=VISITOR)
    assert db.visits(site)[0]["visit_total_events"] == 0


# -- names ---------------------------------------------------------------------------------------------


def test_the_event_url_is_split_into_prefix_and_name_like_a_page_url(server, db, site):
    event(server, site, url="https://www.shop.test/Video?gclid=x&id=7#t=30", e_c="Video", e_a="Play")

    (action,) = db.actions(site)
    url = db.log_action(action["idaction_url"])
    assert (url["name"], url["type"], url["url_prefix"]) == ("shop.test/Video?id=7", 10, 3)
    assert PREFIXES[url["url_prefix"]] + url["name"] == "https://www.shop.test/Video?id=7"


def test_an_event_without_a_page_url_stores_url_zero(server, db, site):
    assert event(server, site, url=None, e_c="Video", e_a="Play").status_code == 200

    (action,) = db.actions(site)
    assert action["idaction_url"] == 0
    assert db.named(action["idaction_event_category"]) == ("Video", 10)


def test_names_are_trimmed_and_html_escaped(server, db, site):
    event(server, site, "POST", e_c=' Tom & "Jerry" ', e_a="\tPlay <b>\n", e_n=" it's ")

    (action,) = db.actions(site)
    assert db.named(action["idaction_event_category"]) == ("Tom &amp; &quot;Jerry&quot;", 10)
    assert db.named(action["idaction_event_action"]) == ("Play &lt;b&gt;", 11)
    assert db.named(action["idaction_name"]) == ("it&#039;s", 12)


@pytest.mark.parametrize("name", [None, "", "   "])
def test_an_absent_or_blank_event_name_leaves_idaction_name_null(server, db, site, name):
    assert event(server, site, e_c="Video", e_a="Play", e_n=name).status_code == 200

    (action,) = db.actions(site)
    assert action["idaction_name"] is None
    assert db.named(action["idaction_event_action"]) == ("Play", 11)


def test_a_repeated_category_reuses_its_log_action_row(server, db, site):
    for action_name in ("Play", "Pause", "Play"):
        event(server, site, e_c="Video player 7", e_a=action_name)
    event(server, site, e_c="Video player 7b", e_a="Video player 7")  # the same text as an action: type 11

    first, second, third, other = db.actions(site)
    assert first["idaction_event_category"] == second["idaction_event_category"] == third["idaction_event_category"]
    assert first["idaction_event_action"] == third["idaction_event_action"] != second["idaction_event_action"]
    assert len(db.rows("log_action", name="Video player 7", type=10)) == 1
    assert db.named(other["idaction_event_action"]) == ("Video player 7", 11)
    assert other["idaction_event_action"] != first["idaction_event_category"]


def test_very_long_names_are_cut_to_the_column_length(server, db, site):
    long_name = "x" * 4093 + "&yyyy"  # escaped, the '&' would straddle the 4096th character
    assert event(server, site, "POST", e_c="Long", e_a="Names", e_n=long_name).status_code == 200

    (action,) = db.actions(site)
    assert db.named(action["idaction_name"]) == ("x" * 4093, 12)


# -- the value --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, stored", [("42.5", 42.5), ("1", 1.0), ("-3", -3.0), ("1e3", 1000.0),
                                           ("0", 0.0), (None, None), ("", None), ("abc", None), ("1,5", None),
                                           ("NaN", None)])
def test_the_event_value_lands_in_custom_float_and_a_non_number_is_ignored(server, db, site, value, stored):
    response = event(server, site, e_c="Cart", e_a="Add", e_v=value)

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert action["custom_float"] == stored
    assert db.named(action["idaction_event_category"]) == ("Cart", 10)


# -- refused and unclaimed requests ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("params, blank", [({"e_c": "   ", "e_a": "Play"}, "e_c"),
                                           ({"e_c": "Video", "e_a": "\t\n"}, "e_a"),
                                           ({"e_c": " ", "e_a": " ", "e_n": "Clip"}, "e_c")])
def test_a_blank_category_or_action_refuses_the_request_and_stores_nothing(server, db, site, method, params, blank):
    names_before = db.count("log_action")
    response = event(server, site, method, url="http://shop.test/never-stored", send_image=0, **params)

    assert response.status_code == 400
    assert BLANK_MESSAGE.format(blank) in response.text
    assert db.count("log_visit", idsite=site) == 0
    assert db.count("log_link_visit_action", idsite=site) == 0
    assert db.count("log_action") == names_before
    assert server.is_healthy()


def test_a_blank_event_in_a_bulk_request_is_invalid_and_the_others_are_kept(server, db, site):
    entries = [f"?idsite={site}&rec=1&_id={VISITOR}&url=http%3A%2F%2Fshop.test%2F&e_c={category}&e_a=Go"
               for category in ("Good", "%20%20", "Fine")]
    response = server.track("POST", content=json.dumps({"requests": entries}))

    assert response.status_code == 200
    assert (response.json()["tracked"], response.json()["invalid"]) == (2, 1)
    assert [db.named(a["idaction_event_category"]) for a in db.actions(site)] == [("Good", 10), ("Fine", 10)]
    assert db.visits(site)[0]["visit_total_events"] == 2


def test_a_request_with_an_event_and_a_content_records_the_event(server, db, site):
    assert event(server, site, e_c="Video", e_a="Play", c_n="Hero of event test", c_i="click").status_code == 200

    (action,) = db.actions(site)
    assert db.named(action["idaction_event_category"]) == ("Video", 10)
    assert (action["idaction_content_name"], action["idaction_content_interaction"]) == (None, None)
    assert db.rows("log_action", name="Hero of event test", type=13) == []


def test_a_category_without_an_action_is_no_event(server, db, site):
    assert event(server, site, ca=None, e_c="Video", action_name="Videos").status_code == 200
    (action,) = db.actions(site)
    assert db.named(action["idaction_url"]) == ("shop.test/video", 1)  # a page view
    assert (action["idaction_event_category"], action["idaction_event_action"]) == (None, None)
    assert db.visits(site)[0]["visit_total_events"] == 0

    response = event(server, site, e_a="Play", e_c="")  # ca=1 and nothing claims the request
    assert response.status_code == 400
    assert len(db.actions(site)) == 1


# -- a request stored as another kind --------------------------------------------------------------------


def test_an_outlink_carrying_a_blank_event_is_stored_as_the_outlink(server, db, site):
    response = server.track("GET", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                           "ca": 1, "link": "https://partner.test/", "e_c": "  ", "e_a": "Click"})

    assert response.status_code == 200
    (row,) = db.actions(site)
    stored = db.log_action(row["idaction_url"])
    assert (stored["name"], stored["type"]) == ("https://partner.test/", 2)
    assert (row["idaction_event_category"], row["idaction_event_action"], row["custom_float"]) == (None, None, None)
    (visit,) = db.visits(site)
    assert (visit["visit_total_actions"], visit["visit_total_events"]) == (1, 0)
