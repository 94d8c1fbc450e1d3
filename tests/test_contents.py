"""Contents: c_n/c_p/c_t/c_i requests land as Matomo records them (log_action rows, the action row's
content columns, the visit's counters), over real HTTP.

An outlink clicked inside a content block carries c_* too and must record only the outlink.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.helpers import GIF_BYTES, crc32
from tests.replay import load_captures, replay

VISITOR = "2bf20304edd712cd"
PREFIXES = {0: "http://", 1: "http://www.", 2: "https://", 3: "https://www."}
CONTENT_COLUMNS = ("idaction_content_name", "idaction_content_piece", "idaction_content_target",
                   "idaction_content_interaction")


def content(server, idsite: int, method: str = "GET", **params):
    query = {"idsite": idsite, "rec": 1, "url": "http://shop.test/landing", "_id": VISITOR, "ca": 1, **params}
    query = {k: v for k, v in query.items() if v is not None}
    if method == "GET":
        return server.track("GET", params=query)
    return server.track("POST", data=query)


def parts(db, action: dict) -> list[tuple[str, int] | None]:
    return [db.named(action[column]) for column in CONTENT_COLUMNS]


def capture(seq: int) -> dict:
    (record,) = [r for r in load_captures("matomo-js.jsonl") if r["seq"] == seq]
    return record


# -- what matomo.js sends ---------------------------------------------------------------------------


def test_matomo_js_bulk_impression_and_interaction_after_the_page_view(server, db, site):
    assert replay(server.base, capture(1), site).status_code == 204  # the page view
    response = replay(server.base, capture(10), site)  # {"requests": [impression, click], "send_image": 0}

    assert response.status_code == 204
    (visit,) = db.visits(site)
    page_view, impression, click = db.actions(site)
    assert impression["idvisit"] == click["idvisit"] == visit["idvisit"]

    page_url = db.log_action(page_view["idaction_url"])
    url = db.log_action(impression["idaction_url"])
    assert (url["name"], url["type"], url["url_prefix"]) == (PREFIXES[page_url["url_prefix"]] + page_url["name"], 13,
                                                             None)
    assert url["name"].startswith("http://shop.test:45699/shop/index.html")
    assert url["hash"] == crc32(url["name"])
    assert click["idaction_url"] == impression["idaction_url"]
    assert parts(db, impression) == [("Hero Banner", 13), ("banner-spring.png", 14),
                                     ("https://partner.example.org/spring", 15), None]
    assert parts(db, click) == [("Hero Banner", 13), ("banner-spring.png", 14),
                                ("https://partner.example.org/spring", 15), ("click", 16)]
    assert [click[c] for c in CONTENT_COLUMNS[:3]] == [impression[c] for c in CONTENT_COLUMNS[:3]]
    assert impression["idaction_name"] is None and click["idaction_name"] is None
    assert impression["pageview_position"] == click["pageview_position"] == 1
    assert impression["idaction_url_ref"] == page_view["idaction_url"]
    assert impression["idpageview"].strip() == "vZY2Dc"
    assert impression["custom_float"] is None

    assert (visit["visit_total_actions"], visit["visit_total_interactions"], visit["visit_total_events"]) == (1, 1, 0)
    assert visit["visit_entry_idaction_url"] == visit["visit_exit_idaction_url"] == page_view["idaction_url"]
    assert visit["visit_entry_idaction_name"] == visit["visit_exit_idaction_name"] == page_view["idaction_name"]
    assert [page_view[c] for c in CONTENT_COLUMNS] == [None] * 4


def test_a_bulk_of_impressions_answers_with_its_counts_without_send_image(server, db, site):
    entries = [f"?c_n=Banner%20{n}&c_p=%2Fimg%2F{n}.png&c_t=https%3A%2F%2Fshop.test%2F{n}&ca=1&idsite={site}&rec=1"
               f"&_id={VISITOR}&url=http%3A%2F%2Fshop.test%2Flanding" for n in ("A", "B", "C")]
    response = server.track("POST", content=json.dumps({"requests": entries}))

    assert response.status_code == 200
    assert (response.json()["tracked"], response.json()["invalid"]) == (3, 0)
    assert [parts(db, a)[:2] for a in db.actions(site)] == [
        [("Banner A", 13), ("/img/A.png", 14)], [("Banner B", 13), ("/img/B.png", 14)],
        [("Banner C", 13), ("/img/C.png", 14)]]
    (visit,) = db.visits(site)
    assert (visit["visit_total_actions"], visit["visit_total_interactions"], visit["visit_total_events"]) == (0, 0, 0)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_interaction_sent_on_its_own(server, db, site, method):
    response = content(server, site, method, c_i="click", c_n="Spring Banner", c_p="/img/spring.png", pv_id="UEZ9fU")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/gif" and len(response.content) == GIF_BYTES
    (action,) = db.actions(site)
    assert parts(db, action) == [("Spring Banner", 13), ("/img/spring.png", 14), None, ("click", 16)]
    assert db.named(action["idaction_url"]) == ("http://shop.test/landing", 13)
    assert db.log_action(action["idaction_url"])["url_prefix"] is None


# -- the visit ----------------------------------------------------------------------------------------


def test_a_content_that_opens_a_visit_counts_nothing_and_is_no_entry_page(server, db, site):
    assert content(server, site, c_n="Hero", c_p="hero.png").status_code == 200

    (visit,) = db.visits(site)
    (action,) = db.actions(site)
    assert (visit["visit_total_actions"], visit["visit_total_interactions"], visit["visit_total_events"]) == (0, 0, 0)
    assert visit["visit_entry_idaction_url"] is None
    assert (visit["visit_entry_idaction_name"], visit["visit_exit_idaction_url"], visit["visit_exit_idaction_name"]) \
        == (0, 0, 0)
    assert action["pageview_position"] is None
    assert (action["time_spent_ref_action"], action["idaction_url_ref"], action["idaction_name_ref"]) == (0, 0, 0)


def test_contents_after_a_page_view_leave_entry_exit_and_counters_alone(server, db, site):
    start = int(time.time()) - 300
    server.page_view(site, _id=VISITOR, url="http://shop.test/landing", action_name="Landing", cdt=start)
    content(server, site, c_n="Hero", c_p="hero.png", cdt=start + 5)
    content(server, site, c_n="Hero", c_p="hero.png", c_i="click", cdt=start + 45)

    (visit,) = db.visits(site)
    page_view, impression, click = db.actions(site)
    assert [a["pageview_position"] for a in (page_view, impression, click)] == [1, 1, 1]
    assert [a["time_spent_ref_action"] for a in (page_view, impression, click)] == [0, 5, 40]
    assert impression["idaction_name_ref"] == click["idaction_name_ref"] == page_view["idaction_name"]
    assert (visit["visit_total_actions"], visit["visit_total_interactions"], visit["visit_total_events"]) == (1, 1, 0)
    assert visit["visit_entry_idaction_url"] == visit["visit_exit_idaction_url"] == page_view["idaction_url"]
    assert visit["visit_entry_idaction_name"] == visit["visit_exit_idaction_name"] == page_view["idaction_name"]
    assert visit["visit_last_action_time"] > visit["visit_first_action_time"]


# -- names ---------------------------------------------------------------------------------------------


def test_the_content_url_keeps_its_scheme_and_loses_excluded_parameters(server, db, site):
    content(server, site, url="https://www.shop.test/Landing?gclid=x&id=7#top", c_n="Hero")

    (action,) = db.actions(site)
    url = db.log_action(action["idaction_url"])
    assert (url["name"], url["type"], url["url_prefix"]) == ("https://www.shop.test/Landing?id=7", 13, None)


def test_a_content_without_a_page_url_stores_url_zero(server, db, site):
    assert content(server, site, url=None, c_n="Hero").status_code == 200

    (action,) = db.actions(site)
    assert action["idaction_url"] == 0
    assert db.named(action["idaction_content_name"]) == ("Hero", 13)


def test_every_part_is_trimmed_and_html_escaped(server, db, site):
    content(server, site, "POST", c_n=' Tom & "Jerry" ', c_p="<img src='a.png'>", c_t="https://shop.test/?a=1&b=2 ",
            c_i="\tclick\n")

    (action,) = db.actions(site)
    assert parts(db, action) == [("Tom &amp; &quot;Jerry&quot;", 13), ("&lt;img src=&#039;a.png&#039;&gt;", 14),
                                 ("https://shop.test/?a=1&amp;b=2", 15), ("click", 16)]


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_absent_or_blank_optional_parts_are_null(server, db, site, blank):
    assert content(server, site, c_n="Hero", c_p=blank, c_t=blank, c_i=blank).status_code == 200

    (action,) = db.actions(site)
    assert parts(db, action) == [("Hero", 13), None, None, None]


def test_repeated_parts_reuse_their_log_action_rows(server, db, site):
    for interaction in (None, "click", None):
        content(server, site, c_n="Newsletter box", c_p="Newsletter box", c_i=interaction)

    first, second, third = db.actions(site)
    assert first["idaction_content_name"] == second["idaction_content_name"] == third["idaction_content_name"]
    assert first["idaction_content_piece"] == third["idaction_content_piece"] != first["idaction_content_name"]
    assert len(db.rows("log_action", name="Newsletter box", type=13)) == 1
    assert len(db.rows("log_action", name="Newsletter box", type=14)) == 1
    assert (first["idaction_content_interaction"], third["idaction_content_interaction"]) == (None, None)


def test_very_long_names_are_cut_to_the_column_length(server, db, site):
    assert content(server, site, "POST", c_n="n" * 5000, c_p="p" * 4094 + '"x').status_code == 200

    (action,) = db.actions(site)
    assert parts(db, action)[:2] == [("n" * 4096, 13), ("p" * 4094, 14)]


# -- refused and unclaimed requests ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_blank_content_name_refuses_the_request_and_stores_nothing(server, db, site, method):
    names_before = db.count("log_action")
    response = content(server, site, method, url="http://shop.test/never-stored", c_n="   ", c_p="piece-never-stored",
                       send_image=0)

    assert response.status_code == 400
    assert "Param `c_n` must not be empty or filled with whitespaces" in response.text
    assert db.count("log_visit", idsite=site) == 0
    assert db.count("log_link_visit_action", idsite=site) == 0
    assert db.count("log_action") == names_before
    assert server.is_healthy()


def test_a_content_name_of_zero_is_no_content_as_in_matomo(server, db, site):
    """PHP's empty("0") is true: Matomo's content check does not claim the request."""
    assert content(server, site, ca=None, c_n="0", action_name="Landing").status_code == 200
    (action,) = db.actions(site)
    assert db.named(action["idaction_url"]) == ("shop.test/landing", 1)  # a page view
    assert [action[c] for c in CONTENT_COLUMNS] == [None] * 4

    assert content(server, site, c_n="0").status_code == 400  # ca=1 and nothing claims the request
    assert len(db.actions(site)) == 1


# -- an outlink or download clicked inside a content block -------------------------------------------------


@pytest.mark.parametrize("content_name", ["Spring Banner", "   "])
@pytest.mark.parametrize(("parameter", "action_type"), [("link", 2), ("download", 3)])
def test_a_click_inside_a_content_block_records_only_the_click(server, db, site, content_name, parameter,
                                                                 action_type):
    """matomo.js (real-clients capture, seq 23) sends the click's content with the outlink."""
    names_before = {(a["name"], a["type"]) for a in db.rows("log_action")}
    response = server.track("GET", params={"idsite": site, "rec": 1, "url": "http://shop.test/landing",
                                           "_id": VISITOR, "ca": 1, parameter: "https://outbound.example.net/spring",
                                           "c_i": "click", "c_n": content_name, "c_p": "/img/spring.png",
                                           "c_t": "https://outbound.example.net/spring", "pv_id": "UEZ9fU"})

    assert response.status_code == 200
    (row,) = db.actions(site)
    assert (db.action_name(row["idaction_url"]), db.log_action(row["idaction_url"])["type"]) == (
        "https://outbound.example.net/spring", action_type)
    assert [row[c] for c in CONTENT_COLUMNS] == [None] * 4
    new_names = {(a["name"], a["type"]) for a in db.rows("log_action")} - names_before
    assert not [name for name in new_names if name[1] in (13, 14, 15, 16)]
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 1
