"""One visit made of every kind of request, as matomo.js sends them on a page: entry and exit
pages, counters, positions and time spent come out as Matomo computes them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from tests.replay import is_plain_page_view, load_captures, replay

VISITOR = "0f1e2d3c4b5a6978"


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_page_view_event_outlink_ping_page_view(server, db, site):
    t0 = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(hours=1)
    common = {"idsite": site, "rec": 1, "_id": VISITOR, "send_image": 0}

    def send(seconds: int, **params) -> int:
        return server.track("POST", params={**common, "cdt": cdt(t0 + timedelta(seconds=seconds)), **params}).status_code

    assert send(0, url="https://www.shop.test/", action_name="Home", pv_id="aaaaaa") == 204
    assert send(10, url="https://www.shop.test/", e_c="Video", e_a="Play", e_v="3.5", ca=1, pv_id="aaaaaa") == 204
    assert send(25, url="https://www.shop.test/", link="https://partner.example/", pv_id="aaaaaa") == 204
    assert send(40, url="https://www.shop.test/", action_name="Home", ping=1, pv_id="aaaaaa") == 204
    assert send(60, url="https://www.shop.test/shoes", action_name="Shoes", pv_id="bbbbbb") == 204

    home, event, outlink, shoes = db.actions(site)
    assert [db.log_action(a["idaction_url"])["type"] for a in (home, event, outlink, shoes)] == [1, 10, 2, 1]
    assert [a["time_spent_ref_action"] for a in (home, event, outlink, shoes)] == [0, 10, 15, 35]
    assert [a["pageview_position"] for a in (home, event, outlink, shoes)] == [1, 1, 1, 2]
    assert [a["idpageview"].strip() for a in (home, event, outlink, shoes)] == ["aaaaaa"] * 3 + ["bbbbbb"]
    # the event and the outlink leave the exit page alone, so everything after Home refers to Home
    assert {a["idaction_url_ref"] for a in (event, outlink, shoes)} == {home["idaction_url"]}
    assert event["custom_float"] == 3.5

    (visit,) = db.visits(site)
    assert (visit["visit_entry_idaction_url"], visit["visit_entry_idaction_name"]) == (
        home["idaction_url"], home["idaction_name"])
    assert (visit["visit_exit_idaction_url"], visit["visit_exit_idaction_name"]) == (
        shoes["idaction_url"], shoes["idaction_name"])
    assert visit["visit_total_actions"] == 4
    assert visit["visit_total_interactions"] == 2
    assert visit["visit_total_events"] == 1
    assert visit["visit_total_searches"] == 0
    assert visit["visit_total_time"] == 61
    assert visit["visit_last_action_time"] == t0 + timedelta(seconds=60)


def test_replayed_matomo_js_traffic_records_each_kind_of_action(server, db, site):
    """The captured matomo.js session, minus goal and ecommerce requests (their conversions are not
    built yet): every request kind lands with its log_action type."""
    records = [r for r in load_captures("matomo-js.jsonl")
               if "idgoal=" not in (r["query"] or "") + (r.get("body") or "")]
    for record in records:
        assert replay(server.base, record, site).status_code < 300

    kinds = Counter(db.log_action(a["idaction_url"])["type"] if a["idaction_url"] else "search"
                    for a in db.actions(site))
    page_views = sum(1 for r in records if is_plain_page_view(r))
    assert kinds == {1: page_views, 2: 4, 3: 2, 10: 11, 13: 4, "search": 3}
    visits = db.visits(site)
    assert sum(v["visit_total_events"] for v in visits) == 11
    assert sum(v["visit_total_searches"] for v in visits) == 3
