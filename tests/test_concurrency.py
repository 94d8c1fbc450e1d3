"""Concurrent requests of one visitor never split the visit nor lose a counter increment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx


def send_concurrently(server, requests: list[dict], workers: int = 50) -> list[int]:
    with httpx.Client(timeout=60) as client, ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda params: client.get(server.base + "/matomo.php", params=params).status_code,
                             requests))


def test_fifty_simultaneous_page_views_of_one_visitor_make_one_visit(server, db, site):
    requests = [{"idsite": site, "rec": 1, "url": f"http://shop.test/page-{i}", "action_name": f"Page {i}",
                 "_id": "0123456789abcdef"} for i in range(50)]

    statuses = send_concurrently(server, requests)

    assert statuses == [200] * 50
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 50
    assert visit["visit_total_interactions"] == 50
    actions = db.actions(site)
    assert len(actions) == 50
    assert sorted(a["pageview_position"] for a in actions) == list(range(1, 51))


def test_simultaneous_page_views_without_visitor_id_share_the_visit_by_config(server, db, site):
    requests = [{"idsite": site, "rec": 1, "url": f"http://shop.test/c-{i}"} for i in range(30)]

    assert send_concurrently(server, requests, workers=30) == [200] * 30
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 30


def test_simultaneous_new_names_get_one_log_action_row_each(server, db, site):
    requests = [{"idsite": site, "rec": 1, "url": "http://shop.test/same-new-page", "action_name": "Same new title",
                 "cid": f"{i:016x}"} for i in range(40)]  # cid: no config-id match

    assert send_concurrently(server, requests, workers=40) == [200] * 40
    assert len(db.visits(site)) == 40
    assert len(db.rows("log_action", name="shop.test/same-new-page")) == 1
    assert len(db.rows("log_action", name="Same new title")) == 1
