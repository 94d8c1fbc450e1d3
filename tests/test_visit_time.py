"""VisitTime over real HTTP: visitor_localtime holds the visitor's clock when the visit started."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

VISITOR = "eb99367032ce97d5"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def stored_local_time(db, site: int) -> time | None:
    (visit,) = db.visits(site)
    return visit["visitor_localtime"]


def test_matomo_js_page_view_stores_the_visitor_clock(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0, "h": "10", "m": "6", "s": "2"})

    assert response.status_code == 204
    assert stored_local_time(db, site) == time(10, 6, 2)


@pytest.mark.parametrize("h, m, s, stored", [
    ("0", "0", "0", time(0, 0, 0)),
    ("23", "59", "59", time(23, 59, 59)),
    ("05", "7", "09", time(5, 7, 9)),
    ("99", "6", "2", time(0, 6, 2)),  # out of range: 0
    ("24", "60", "60", time(0, 0, 0)),
    ("-1", "-30", "-5", time(0, 0, 0)),
])
def test_each_part_out_of_range_becomes_zero(server, db, site, h, m, s, stored):
    response = server.page_view(site, _id=VISITOR, h=h, m=m, s=s)

    assert response.status_code == 200
    assert stored_local_time(db, site) == stored


def test_without_a_clock_the_request_time_in_utc_is_used(server, db, site):
    moment = utc_now() - timedelta(hours=5, minutes=17, seconds=3)
    server.page_view(site, _id=VISITOR, cdt=cdt(moment))

    assert stored_local_time(db, site) == moment.time()


def test_a_missing_or_non_integer_part_comes_from_the_request_time(server, db, site):
    moment = utc_now() - timedelta(hours=2)
    server.page_view(site, _id=VISITOR, cdt=cdt(moment), h="7", m="abc", s="1.5")

    assert stored_local_time(db, site) == time(7, moment.minute, moment.second)


def test_a_missing_hour_comes_from_the_request_time(server, db, site):
    moment = utc_now() - timedelta(hours=2)
    server.page_view(site, _id=VISITOR, cdt=cdt(moment), m="45", s="30")

    assert stored_local_time(db, site) == time(moment.hour, 45, 30)


def test_the_local_time_is_set_when_the_visit_starts_only(server, db, site):
    start = utc_now() - timedelta(minutes=10)
    server.page_view(site, _id=VISITOR, cdt=cdt(start), h=10, m=6, s=2)
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(minutes=1)), h=10, m=7, s=2)

    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 2
    assert visit["visitor_localtime"] == time(10, 6, 2)
