"""Heartbeats (ping=1) over real HTTP: they lengthen the ongoing visit and store nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VISITOR = "a1b2c3d4e5f60718"


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def start() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) - timedelta(hours=2)


def ping(server, idsite: int, moment: datetime, **params):
    return server.track("GET", params={"idsite": idsite, "rec": 1, "ping": 1, "_id": VISITOR, "cdt": cdt(moment),
                                       "url": "http://shop.test/", "action_name": "Home", **params})


def test_ping_extends_total_time_without_an_action_or_moving_the_last_action_time(server, db, site):
    t0 = start()
    server.page_view(site, url="http://shop.test/", action_name="Home", _id=VISITOR, cdt=cdt(t0))
    response = ping(server, site, t0 + timedelta(seconds=75), send_image=0)

    assert response.status_code == 204
    assert len(db.actions(site)) == 1
    (visit,) = db.visits(site)
    assert visit["visit_total_time"] == 76
    assert visit["visit_last_action_time"] == t0
    assert visit["visit_total_actions"] == 1
    assert visit["visit_total_interactions"] == 1


def test_ping_that_would_open_a_visit_stores_nothing(server, db, site):
    response = ping(server, site, start())

    assert response.status_code == 200
    assert db.visits(site) == []
    assert db.actions(site) == []


def test_ping_after_the_visit_window_is_dropped(server, db, site):
    t0 = start()
    server.page_view(site, _id=VISITOR, cdt=cdt(t0))
    ping(server, site, t0 + timedelta(minutes=31))

    (visit,) = db.visits(site)
    assert visit["visit_total_time"] == 0
    assert len(db.actions(site)) == 1


def test_pings_do_not_keep_a_visit_open(server, db, site):
    t0 = start()
    server.page_view(site, _id=VISITOR, cdt=cdt(t0))
    ping(server, site, t0 + timedelta(minutes=20))
    server.page_view(site, url="http://shop.test/later", _id=VISITOR, cdt=cdt(t0 + timedelta(minutes=40)))

    first, second = db.visits(site)
    assert first["visit_total_time"] == 20 * 60 + 1
    assert second["visit_total_actions"] == 1


def test_page_view_after_a_ping_measures_time_from_the_last_action(server, db, site):
    t0 = start()
    server.page_view(site, url="http://shop.test/a", _id=VISITOR, cdt=cdt(t0))
    ping(server, site, t0 + timedelta(seconds=30))
    server.page_view(site, url="http://shop.test/b", _id=VISITOR, cdt=cdt(t0 + timedelta(seconds=50)))

    first, second = db.actions(site)
    assert second["time_spent_ref_action"] == 50
    assert second["pageview_position"] == 2
    (visit,) = db.visits(site)
    assert visit["visit_total_time"] == 51
    assert visit["visit_last_action_time"] == t0 + timedelta(seconds=50)


def test_ping_with_a_goal_converts_nothing_and_creates_no_action_names(server, db, site):
    t0 = start()
    server.page_view(site, _id=VISITOR, cdt=cdt(t0))
    names_before = len(db.rows("log_action"))
    ping(server, site, t0 + timedelta(seconds=10), idgoal=1, url="http://shop.test/never-seen-before")

    assert db.rows("log_conversion", idsite=site) == []
    assert len(db.rows("log_action")) == names_before
