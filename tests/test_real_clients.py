"""Requests captured from real clients (matomo.js in Chromium, npm and PyPI clients), replayed over HTTP."""

from __future__ import annotations

import pytest

from tests.replay import all_captures, is_plain_page_view, load_captures, replay


@pytest.fixture(scope="module")
def replay_site(console) -> int:
    return int(console.run("site:add", "--name", "Replays", "--url", "http://shop.test:45699").last_line)


@pytest.mark.parametrize("record", all_captures(), ids=lambda r: f"{r.get('client')}-{r['seq']}")
def test_every_captured_request_is_answered_without_a_server_error(server, replay_site, record):
    response = replay(server.base, record, replay_site)

    assert response.status_code < 500, response.text
    assert server.is_healthy()


def test_matomo_js_page_views_land_in_the_log_tables(server, db, site):
    page_views = [r for r in load_captures("matomo-js.jsonl") if is_plain_page_view(r)]
    assert len(page_views) == 8

    for record in page_views:
        response = replay(server.base, record, site)
        assert response.status_code in (200, 204)
        if record["method"] == "POST":
            assert response.headers["access-control-allow-credentials"] == "true"
            assert response.headers["access-control-allow-origin"] != "*" or "Origin" not in dict(record["headers"])

    actions = db.actions(site)
    titles = [db.action_name(a["idaction_name"]) for a in actions]
    assert titles == ["Café – Custom Title", "Shop /shop/page2.html", "Landing from partner", "POST page",
                      "SPA virtual page", "Consent page", "Shop /shop/cookieless.html", "Step 2"]
    first_url = db.log_action(actions[0]["idaction_url"])
    # campaign parameters are not part of the stored page URL (the Referrers plugin records the campaign)
    assert first_url["name"] == "shop.test:45699/shop/index.html?utm_content=hero-banner&utm_id=cmp-42"
    assert first_url["url_prefix"] == 0
    assert {a["idpageview"].strip() for a in actions if a["idpageview"]} >= {"vZY2Dc"}

    visits = db.visits(site)
    assert sum(v["visit_total_actions"] for v in visits) == 8
    assert {a["idvisit"] for a in actions} == {v["idvisit"] for v in visits}
    assert {"alice@example.com", "bob"} <= {v["user_id"] for v in visits}
