"""Resolution over real HTTP: config_resolution holds the screen size of the visit."""

from __future__ import annotations

import pytest

VISITOR = "eb99367032ce97d5"


def stored_resolution(db, site: int) -> str | None:
    (visit,) = db.visits(site)
    return visit["config_resolution"]


def test_matomo_js_page_view_stores_the_screen_size(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0, "res": "1280x800"})

    assert response.status_code == 204
    assert stored_resolution(db, site) == "1280x800"


@pytest.mark.parametrize("res, stored", [
    (None, "unknown"),
    ("", "unknown"),
    ("3840x2160" + "0" * 491, "3840x2160"),  # 500 characters: the first 9 are kept
    ("<b>wide</b>", "&lt;b&gt;"),  # stored HTML-escaped, then cut
    ("12345678é", "12345678"),  # 10 bytes: cut before the character rather than through it
    ("0", "0"),
])
def test_res_is_stored_escaped_and_cut_to_nine_bytes(server, db, site, res, stored):
    response = server.page_view(site, _id=VISITOR, res=res)

    assert response.status_code == 200
    assert stored_resolution(db, site) == stored


def test_an_unknown_resolution_is_filled_in_by_a_later_request_of_the_visit(server, db, site):
    server.page_view(site, _id=VISITOR)
    server.page_view(site, _id=VISITOR, res="unknown")
    assert stored_resolution(db, site) == "unknown"

    server.page_view(site, _id=VISITOR, res="1280x800")
    assert stored_resolution(db, site) == "1280x800"

    server.page_view(site, _id=VISITOR, res="1920x1080")
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 4
    assert visit["config_resolution"] == "1280x800"


def test_a_known_resolution_is_kept_for_the_whole_visit(server, db, site):
    server.page_view(site, _id=VISITOR, res="1280x800")
    server.page_view(site, _id=VISITOR, res="800x600")
    server.page_view(site, _id=VISITOR)

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 3
    assert visit["config_resolution"] == "1280x800"
