"""Malformed requests: the documented status and message, nothing stored, the server stays up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import GIF_BYTES


def count_rows(db, table_name: str) -> int:
    table = db.table(table_name)
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


@pytest.fixture
def nothing_stored(db, server):
    """Asserts after the test that no visit, action or action name was written, and the server is up."""
    before = {name: count_rows(db, name) for name in ("log_visit", "log_link_visit_action", "log_action")}
    yield
    after = {name: count_rows(db, name) for name in before}
    assert after == before
    assert server.is_healthy()


@pytest.mark.parametrize("idsite, shown", [(None, ""), ("0", "0"), ("abc", "abc"), ("-3", "-3"), ("1.5", "1.5")])
def test_invalid_idsite_is_400(server, nothing_stored, idsite, shown):
    params = {"rec": 1, "url": "http://shop.test/", "send_image": 0}
    if idsite is not None:
        params["idsite"] = idsite
    response = server.track(params=params)

    assert response.status_code == 400
    assert f"Invalid idSite: '{shown}'" in response.text


def test_unknown_site_is_400(server, nothing_stored):
    response = server.track(params={"idsite": 987654, "rec": 1, "url": "http://shop.test/"})

    assert response.status_code == 400
    assert response.content[:GIF_BYTES].startswith(b"GIF89a")
    assert b"An unexpected website was found in the request: website id was set to '987654'" in response.content


def test_missing_rec_is_answered_as_success_and_stores_nothing(server, nothing_stored, site):
    response = server.track(params={"idsite": site, "url": "http://shop.test/"})

    assert response.status_code == 200
    assert len(response.content) == GIF_BYTES


@pytest.mark.parametrize("cid", ["abc", "0123456789abcdef0", "zzzzzzzzzzzzzzzz"])
def test_bad_cid_is_400(server, nothing_stored, site, cid):
    response = server.track(params={"idsite": site, "rec": 1, "cid": cid, "send_image": 0})

    assert response.status_code == 400
    assert "Visitor ID (cid)" in response.text


def test_non_hex_cookie_id_is_treated_as_absent(server, db, site):
    response = server.page_view(site, _id="not-a-hex-visitor-id!")

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert bytes(visit["idvisitor"]) != b"not-a-he"
    assert visit["profilable"] == 0


def test_huge_url_is_cut_to_the_page_maximum_length(server, db, site):
    url = "http://shop.test/" + "a" * 100_000
    response = server.track("POST", params={"idsite": site, "rec": 1}, data={"url": url, "action_name": "x" * 5000})

    assert response.status_code == 200
    (action,) = db.actions(site)
    stored_url = db.action_name(action["idaction_url"])
    assert stored_url.startswith("shop.test/aaa") and len(stored_url.encode()) <= 1024
    assert len(db.action_name(action["idaction_name"]).encode()) <= 1024
    assert server.is_healthy()


def test_huge_url_in_the_query_string_is_tracked(server, db, site):
    # httpx refuses URLs over 64 KiB; the POST test above covers 100 KB.
    response = server.page_view(site, url="http://shop.test/" + "b" * 60_000)

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_url"]).startswith("shop.test/bbb")


def test_invalid_utf8_is_read_as_latin1(server, db, site):
    response = server.track("GET", f"/matomo.php?idsite={site}&rec=1&url=http%3A%2F%2Fshop.test%2F&action_name=%E9t%E9")

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_name"]) == "été"


def test_body_that_is_not_form_encoded_is_400(server, nothing_stored, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "send_image": 0},
                            content=b'{"not": "a form"}', headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "form-encoded" in response.text


def test_binary_body_is_400(server, nothing_stored, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "send_image": 0},
                            content=bytes(range(256)), headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert response.status_code == 400


def test_empty_get_explains_the_endpoint(server, nothing_stored):
    response = server.track("GET")

    assert response.status_code == 200
    assert "This resource is part of trackway" in response.text


def test_empty_post_is_400(server, nothing_stored):
    response = server.track("POST")

    assert response.status_code == 400
    assert "This resource is part of trackway" in response.text


def test_old_custom_time_without_token_is_400(server, nothing_stored, site):
    response = server.track(params={"idsite": site, "rec": 1, "cdt": "2020-01-01 10:00:00", "send_image": 0})

    assert response.status_code == 400
    assert "Custom timestamp is" in response.text and "requires &token_auth" in response.text


def test_cip_without_token_is_400(server, nothing_stored, site):
    response = server.track(params={"idsite": site, "rec": 1, "cip": "1.2.3.4", "send_image": 0})

    assert response.status_code == 400
    assert "Tracker API 'cip' was used, requires valid token_auth" in response.text


def test_token_with_write_access_may_set_cip_and_old_cdt(server, db, console, site):
    token = console.run("token:create", "--idsite", str(site)).last_line
    response = server.page_view(site, cip="203.0.113.77", cdt="2025-06-01 10:20:30", token_auth=token)

    assert response.status_code == 200
    (visit,) = db.visits(site)
    assert bytes(visit["location_ip"]) == bytes([203, 0, 0, 0])
    assert visit["visit_first_action_time"].isoformat(" ") == "2025-06-01 10:20:30"


def test_token_of_another_site_is_refused(server, nothing_stored, console, site):
    other = int(console.run("site:add", "--name", "Other", "--url", "http://other.test").last_line)
    token = console.run("token:create", "--idsite", str(other)).last_line
    response = server.page_view(site, cip="203.0.113.77", token_auth=token, send_image=0)

    assert response.status_code == 400


def test_garbage_parameters_never_cause_a_server_error(server, site):
    garbage = {"idsite": site, "rec": 1, "url": "javascript:alert(1)", "_id": "\x00\x01", "res": "x" * 500,
               "h": "99", "pv_id": "<script>", "uadata": "{not json", "cvar": "{'a': 1}", "new_visit": "yes",
               "cdt": "not a date", "cdo": "zz", "lang": ";;;", "send_image": "maybe"}
    response = server.track(params=garbage)

    assert response.status_code == 200
    assert server.is_healthy()


def test_form_body_with_raw_utf8_is_tracked(server, db, site):
    body = f"idsite={site}&rec=1&url=http://shop.test/k&action_name=Käse – frisch".encode("utf-8")
    response = server.track("POST", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert response.status_code == 200
    (action,) = db.actions(site)
    assert db.action_name(action["idaction_name"]) == "Käse – frisch"
