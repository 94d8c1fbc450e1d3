"""Page views over real HTTP: visits, actions and action names land as Matomo writes them."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone


from tests.helpers import GIF_BYTES, as_bytes, crc32

VISITOR = "eb99367032ce97d5"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_new_visitor_page_view_creates_visit_action_and_names(server, db, site):
    response = server.page_view(site, url="https://www.shop.test/shoes?colour=blue", action_name="Blue shoes",
                                _id=VISITOR, pv_id="abc123xyz")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/gif"
    assert len(response.content) == GIF_BYTES
    (visit,) = db.visits(site)
    assert as_bytes(visit["idvisitor"]) == bytes.fromhex(VISITOR)
    assert len(as_bytes(visit["config_id"])) == 8
    assert as_bytes(visit["location_ip"]) == bytes([127, 0, 0, 0])  # 127.0.0.1 with two bytes masked
    assert visit["visit_total_actions"] == 1
    assert visit["visit_total_interactions"] == 1
    assert visit["visit_total_time"] == 0
    assert visit["visitor_returning"] == 0
    assert visit["visitor_count_visits"] == 1
    assert visit["visit_first_action_time"] == visit["visit_last_action_time"]
    assert abs((visit["visit_last_action_time"] - utc_now()).total_seconds()) < 30
    assert visit["profilable"] == 1

    (action,) = db.actions(site)
    assert action["idvisit"] == visit["idvisit"]
    assert as_bytes(action["idvisitor"]) == bytes.fromhex(VISITOR)
    assert action["pageview_position"] == 1
    assert action["time_spent_ref_action"] == 0
    assert action["idaction_url_ref"] == 0
    assert action["idpageview"].strip() == "abc123"
    assert action["server_time"] == visit["visit_first_action_time"]

    url = db.log_action(action["idaction_url"])
    assert (url["name"], url["type"], url["url_prefix"]) == ("shop.test/shoes?colour=blue", 1, 3)
    assert url["hash"] == crc32(url["name"])
    title = db.log_action(action["idaction_name"])
    assert (title["name"], title["type"]) == ("Blue shoes", 4)
    assert visit["visit_entry_idaction_url"] == visit["visit_exit_idaction_url"] == action["idaction_url"]
    assert visit["visit_entry_idaction_name"] == visit["visit_exit_idaction_name"] == action["idaction_name"]


def test_same_visitor_within_thirty_minutes_extends_the_visit(server, db, site):
    start = utc_now() - timedelta(minutes=20)
    server.page_view(site, url="http://shop.test/a", action_name="A", _id=VISITOR, cdt=cdt(start))
    response = server.page_view(site, url="http://shop.test/b", action_name="B", _id=VISITOR,
                                cdt=cdt(start + timedelta(minutes=5)), send_image=0)

    assert response.status_code == 204 and response.content == b""
    (visit,) = db.visits(site)
    first, second = db.actions(site)
    assert visit["visit_total_actions"] == 2
    assert visit["visit_total_interactions"] == 2
    assert visit["visit_total_time"] == 301
    assert visit["visit_first_action_time"] == start
    assert visit["visit_last_action_time"] == start + timedelta(minutes=5)
    assert visit["visit_entry_idaction_url"] == first["idaction_url"]
    assert visit["visit_exit_idaction_url"] == second["idaction_url"]
    assert visit["visit_exit_idaction_name"] == second["idaction_name"]
    assert second["idvisit"] == visit["idvisit"]
    assert second["pageview_position"] == 2
    assert second["time_spent_ref_action"] == 300
    assert second["idaction_url_ref"] == first["idaction_url"]
    assert second["idaction_name_ref"] == first["idaction_name"]
    assert db.action_name(second["idaction_url"]) == "shop.test/b"


def test_after_thirty_one_minutes_a_returning_visit_starts(server, db, site):
    start = utc_now() - timedelta(minutes=40)
    server.page_view(site, url="http://shop.test/a", _id=VISITOR, cdt=cdt(start))
    server.page_view(site, url="http://shop.test/b", _id=VISITOR, cdt=cdt(start + timedelta(minutes=31)))

    first, second = db.visits(site)
    assert as_bytes(second["idvisitor"]) == as_bytes(first["idvisitor"])
    assert second["visitor_returning"] == 1
    assert second["visitor_count_visits"] == 2
    assert second["visitor_seconds_since_first"] == 31 * 60
    assert second["visit_total_actions"] == 1
    assert first["visit_total_actions"] == 1
    assert first["visit_last_action_time"] == start


def test_same_device_without_visitor_id_is_recognised_by_config_id(server, db, site):
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Accept-Language": "de-DE,de;q=0.9"}
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/1", "res": "1280x800"}, headers=headers)
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/2", "res": "1280x800"}, headers=headers)
    other = {**headers, "Accept-Language": "fr-FR"}
    server.track(params={"idsite": site, "rec": 1, "url": "http://shop.test/3"}, headers=other)

    visits = db.visits(site)
    assert [v["visit_total_actions"] for v in visits] == [2, 1]
    assert visits[0]["profilable"] == 0
    assert as_bytes(visits[0]["config_id"]) != as_bytes(visits[1]["config_id"])


def test_uid_becomes_the_visitor_id(server, db, site):
    server.page_view(site, uid="alice@example.com", _id=VISITOR)

    (visit,) = db.visits(site)
    expected = hashlib.sha1(b"alice@example.com").digest()[:8]
    assert as_bytes(visit["idvisitor"]) == expected
    assert visit["user_id"] == "alice@example.com"


def test_new_visit_parameter_forces_a_new_visit(server, db, site):
    server.page_view(site, _id=VISITOR)
    server.page_view(site, _id=VISITOR, new_visit=1)

    first, second = db.visits(site)
    assert second["visitor_count_visits"] == 2
    assert second["visitor_returning"] == 1


def midnight_timezone() -> tuple[str, datetime]:
    """A Matomo-style fixed-offset timezone whose last local midnight was 4 to 5 hours ago, and that
    midnight in UTC: both sides of it lie within the last 24 hours (no token needed for cdt)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    minutes_since_utc_midnight = now.hour * 60 + now.minute
    offset_half_hours = round((270 - minutes_since_utc_midnight) / 30)
    while offset_half_hours < -24:
        offset_half_hours += 48
    while offset_half_hours > 28:
        offset_half_hours -= 48
    offset = timedelta(minutes=30 * offset_half_hours)
    local_now = now + offset
    local_midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    hours = offset_half_hours / 2
    name = f"UTC{'+' if hours >= 0 else '-'}{abs(hours):g}"
    return name, local_midnight - offset


def test_midnight_in_the_site_timezone_starts_a_new_visit(server, db, console):
    tz, midnight_utc = midnight_timezone()
    assert timedelta(hours=3) < utc_now() - midnight_utc < timedelta(hours=6)
    site = int(console.run("site:add", "--name", "Night shop", "--url", "http://night.test", "--timezone", tz).last_line)

    server.page_view(site, _id=VISITOR, cdt=cdt(midnight_utc - timedelta(minutes=10)))
    server.page_view(site, _id=VISITOR, cdt=cdt(midnight_utc - timedelta(minutes=2)))
    server.page_view(site, _id=VISITOR, cdt=cdt(midnight_utc + timedelta(minutes=3)))

    before, after = db.visits(site)
    assert before["visit_total_actions"] == 2
    assert after["visit_total_actions"] == 1
    assert after["visitor_count_visits"] == 2


def test_post_form_body_and_query_merge_with_query_winning(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "action_name": "From query"},
                            data={"url": "http://shop.test/posted", "action_name": "From body", "send_image": "0"},
                            headers={"Origin": "http://shop.test"})

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "http://shop.test"
    assert response.headers["access-control-allow-credentials"] == "true"
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_name"]) == "From query"
    assert db.action_name(action["idaction_url"]) == "shop.test/posted"


def test_piwik_php_is_the_same_endpoint(server, db, site):
    assert server.track("GET", "/piwik.php", params={"idsite": site, "rec": 1, "url": "http://shop.test/p"}).status_code == 200
    assert len(db.actions(site)) == 1


def test_cors_preflight(server):
    response = server.track("OPTIONS", headers={"Origin": "http://shop.test", "Access-Control-Request-Method": "POST"})

    assert response.status_code == 204
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-allow-origin"] == "http://shop.test"


def test_titles_are_stored_html_escaped_and_urls_lose_excluded_parameters(server, db, site):
    # (not q=1: q is a site-search keyword parameter, and the request would be a site search)
    server.page_view(site, url="https://shop.test/p?gclid=abc&id=1&PHPSESSID=x#top", action_name=' Tom & "Jerry" <3 ')

    (action,) = db.actions(site)
    assert db.action_name(action["idaction_name"]) == "Tom &amp; &quot;Jerry&quot; &lt;3"
    assert db.action_name(action["idaction_url"]) == "shop.test/p?id=1"


def test_log_action_names_are_shared_between_requests(server, db, site):
    for _ in range(3):
        server.page_view(site, url="http://shop.test/shared", action_name="Shared")

    actions = db.actions(site)
    assert len({a["idaction_url"] for a in actions}) == 1
    assert len(db.rows("log_action", name="shop.test/shared", type=1)) == 1
