"""VisitorInterest over real HTTP: visitor_seconds_since_last measures from the previous visit's start."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VISITOR = "eb99367032ce97d5"


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_a_new_visitor_has_zero_seconds_since_last_visit(server, db, site):
    response = server.track("POST", params={"idsite": site, "rec": 1, "url": "http://shop.test/", "_id": VISITOR,
                                            "send_image": 0})

    assert response.status_code == 204
    (visit,) = db.visits(site)
    assert visit["visitor_seconds_since_last"] == 0


def test_a_returning_visitor_counts_from_the_start_of_the_previous_visit(server, db, site):
    start = utc_now() - timedelta(hours=5)
    server.page_view(site, _id=VISITOR, cdt=cdt(start))
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(minutes=10)))  # same visit, later action
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(hours=2)))
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(hours=4, seconds=7)))

    first, second, third = db.visits(site)
    assert first["visit_total_actions"] == 2
    assert first["visitor_seconds_since_last"] == 0
    assert second["visitor_seconds_since_last"] == 2 * 3600
    assert third["visitor_seconds_since_last"] == 2 * 3600 + 7


def test_the_value_is_set_when_the_visit_starts_only(server, db, site):
    start = utc_now() - timedelta(hours=3)
    server.page_view(site, _id=VISITOR, cdt=cdt(start))
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(hours=1)))
    server.page_view(site, _id=VISITOR, cdt=cdt(start + timedelta(hours=1, minutes=5)))

    _, second = db.visits(site)
    assert second["visit_total_actions"] == 2
    assert second["visitor_seconds_since_last"] == 3600


def test_a_visit_placed_before_the_previous_one_stores_null(server, db, site):
    start = utc_now() - timedelta(hours=3)
    server.page_view(site, _id=VISITOR, cdt=cdt(start))
    # ten minutes earlier: the stored visit is still found (it lies within the visit window ahead)
    server.page_view(site, _id=VISITOR, cdt=cdt(start - timedelta(minutes=10)), new_visit=1)

    _, second = db.visits(site)
    assert second["visitor_count_visits"] == 2
    assert second["visitor_seconds_since_last"] is None
