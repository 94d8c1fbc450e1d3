"""CustomDimensions and conversions: every conversion row copies the visit's values of the site's
active visit-scope dimensions (spec §10.11, the ``conversion_values`` hook), over real HTTP."""

from __future__ import annotations

import time

from tests.test_custom_dimensions import add_dimension
from tests.test_goals import add_goal, conversions

VISITOR = "c0ffee00c0ffee00"


def test_conversions_copy_the_visit_scope_values(console, server, db, site):
    plan = add_dimension(console, site, "Plan", "visit")
    segment = add_dimension(console, site, "Segment", "visit")
    add_dimension(console, site, "Page type", "action")
    url_goal = add_goal(console, site, "url", "/thank-you", name="Thanks")
    manual = add_goal(console, site, "manually", name="Called")

    server.page_view(site, _id=VISITOR, url="http://shop.test/", **{f"dimension{plan}": "premium",
                                                                     f"dimension{segment}": "b2b"})
    server.page_view(site, _id=VISITOR, url="http://shop.test/thank-you", dimension3="checkout")
    server.page_view(site, _id=VISITOR, idgoal=manual, **{f"dimension{segment}": "b2c"})

    rows = {row["idgoal"]: row for row in conversions(db, site)}
    assert set(rows) == {url_goal, manual}
    assert (rows[url_goal]["custom_dimension_1"], rows[url_goal]["custom_dimension_2"]) == ("premium", "b2b")
    assert (rows[manual]["custom_dimension_1"], rows[manual]["custom_dimension_2"]) == ("premium", "b2c")
    assert all(row["custom_dimension_3"] is None for row in rows.values())  # no visit dimension in slot 3
    (visit,) = db.visits(site)
    assert (visit["custom_dimension_1"], visit["custom_dimension_2"]) == ("premium", "b2c")


def test_action_scope_values_are_not_copied(console, server, db, site):
    action_dimension = add_dimension(console, site, "Page type", "action")  # slot 1 of the action table
    add_goal(console, site, "url", "/thank-you")

    server.page_view(site, _id=VISITOR, url="http://shop.test/thank-you",
                     **{f"dimension{action_dimension}": "checkout"})

    (conversion,) = conversions(db, site)
    assert db.actions(site)[0]["custom_dimension_1"] == "checkout"
    assert conversion["custom_dimension_1"] is None


def test_a_deactivated_dimension_is_no_longer_copied(console, server, db, site):
    plan = add_dimension(console, site, "Plan", "visit")
    idgoal = add_goal(console, site, "manually", "", "contains", "--allow-multiple")
    server.page_view(site, _id=VISITOR, url="http://shop.test/", **{f"dimension{plan}": "premium"})
    server.page_view(site, _id=VISITOR, idgoal=idgoal)
    assert [row["custom_dimension_1"] for row in conversions(db, site)] == ["premium"]

    console.run("customdimension:deactivate", "--idsite", str(site), "--id", str(plan))
    deadline = time.monotonic() + 10
    while None not in {row["custom_dimension_1"] for row in conversions(db, site)}:
        assert time.monotonic() < deadline, "the server kept copying the deactivated dimension"
        time.sleep(0.3)
        server.page_view(site, _id=VISITOR, idgoal=idgoal)

    assert db.visits(site)[0]["custom_dimension_1"] == "premium"  # the visit keeps its value
