"""CustomDimensions over real HTTP: dimensions added with the console reach the running server
through the cache version, and their values land in ``custom_dimension_<index>`` columns as
Matomo stores them (spec §10.11).

The session server is long-running: after a command changes a site's dimensions, the tests
probe the server (from a visitor of its own, whose rows are then deleted) until it uses the
new configuration.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, inspect

from tests.helpers import as_bytes

VISITOR = "eb99367032ce97d5"
PROBE_VISITOR = "0123456789abcdef"
PROBE_VALUE = "probe"


def add_dimension(console, idsite: int, name: str, scope: str, *options: str) -> int:
    result = console.run("customdimension:add", "--idsite", str(idsite), "--name", name, "--scope", scope, *options)
    return int(result.last_line)


def wait_for_server(server, db, idsite: int, dimension_id: int, column: str, scope: str = "visit",
                    stored: bool = True) -> None:
    """Send probe page views until the server stores ``dimension<id>`` in ``column`` (or, with
    ``stored=False``, until it ignores it); then delete the probe's rows."""
    table = "log_visit" if scope == "visit" else "log_link_visit_action"
    deadline = time.monotonic() + 6
    while True:
        response = server.page_view(idsite, url="http://shop.test/probe", _id=PROBE_VISITOR, new_visit=1,
                                    lang="fi", **{f"dimension{dimension_id}": PROBE_VALUE})
        assert response.status_code == 200, response.text
        rows = db.rows(table, idsite=idsite, idvisitor=bytes.fromhex(PROBE_VISITOR))
        if (rows[-1].get(column) == PROBE_VALUE) == stored:
            break
        assert time.monotonic() < deadline, f"the server did not pick up dimension{dimension_id} ({column})"
        time.sleep(0.2)
    with db.engine.begin() as conn:
        for name in ("log_link_visit_action", "log_visit"):
            rows_of = db.table(name)
            conn.execute(delete(rows_of).where(rows_of.c.idsite == idsite,
                                               rows_of.c.idvisitor == bytes.fromhex(PROBE_VISITOR)))


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def cdt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# -- values sent as dimensionN ---------------------------------------------------------------------


def test_visit_and_action_values_from_get_and_matomo_js_post(console, server, db, site):
    visit_id = add_dimension(console, site, "Customer type", "visit")
    action_id = add_dimension(console, site, "Page category", "action")
    assert (visit_id, action_id) == (1, 2)
    wait_for_server(server, db, site, action_id, "custom_dimension_1", scope="action")

    server.page_view(site, url="http://shop.test/shoes", _id=VISITOR, dimension1="Gold", dimension2="Shoes")
    response = server.track("POST", data={"idsite": site, "rec": 1, "url": "http://shop.test/hats", "_id": VISITOR,
                                          "send_image": 0, "action_name": "Hats", "dimension2": "Hats"})

    assert response.status_code == 204
    (visit,) = db.visits(site)
    assert visit["custom_dimension_1"] == "Gold"
    assert [row["custom_dimension_1"] for row in db.actions(site)] == ["Shoes", "Hats"]
    assert all(row["custom_dimension_2"] is None for row in db.actions(site))
    assert visit["custom_dimension_2"] is None


def test_an_ongoing_visit_changes_when_a_value_is_sent_and_keeps_it_otherwise(console, server, db, site):
    dimension = add_dimension(console, site, "Plan", "visit")
    wait_for_server(server, db, site, dimension, "custom_dimension_1")

    server.page_view(site, _id=VISITOR, dimension1="free")
    server.page_view(site, _id=VISITOR, url="http://shop.test/pricing")
    assert [v["custom_dimension_1"] for v in db.visits(site)] == ["free"]
    server.page_view(site, _id=VISITOR, dimension1="premium")
    assert [v["custom_dimension_1"] for v in db.visits(site)] == ["premium"]

    server.page_view(site, _id=VISITOR, new_visit=1)  # a new visit starts without a value

    assert [v["custom_dimension_1"] for v in db.visits(site)] == ["premium", None]


def test_ids_and_slots_are_numbered_per_site(console, server, db, site):
    other = int(console.run("site:add", "--name", "Other shop", "--url", "http://other.test").last_line)
    assert add_dimension(console, site, "Visit kind", "visit") == 1
    assert add_dimension(console, site, "Section", "action") == 2
    assert add_dimension(console, other, "Section", "action") == 1  # the other site starts at 1 again
    wait_for_server(server, db, other, 1, "custom_dimension_1", scope="action")

    server.page_view(other, url="http://other.test/", _id=VISITOR, dimension1="news", dimension2="ignored")
    server.page_view(site, _id=VISITOR, dimension1="returning", dimension2="shoes")

    ((other_visit,), (other_action,)) = db.visits(other), db.actions(other)
    assert (other_visit["custom_dimension_1"], other_action["custom_dimension_1"]) == (None, "news")
    assert other_action["custom_dimension_2"] is None
    ((visit,), (action,)) = db.visits(site), db.actions(site)
    assert (visit["custom_dimension_1"], action["custom_dimension_1"]) == ("returning", "shoes")


def test_values_are_trimmed_cut_to_250_characters_and_html_escaped(console, server, db, site):
    dimension = add_dimension(console, site, "Note", "action")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")

    server.page_view(site, _id=VISITOR, dimension1="  " + "é" * 300 + "  ")
    server.page_view(site, _id=VISITOR, dimension1="<b>\"Tom & Jerry's\"</b>")
    server.page_view(site, _id=VISITOR, dimension1=" \t spaced out \n")

    assert [row["custom_dimension_1"] for row in db.actions(site)] == [
        "é" * 250, "&lt;b&gt;&quot;Tom &amp; Jerry&#039;s&quot;&lt;/b&gt;", "spaced out"]


def test_an_explicitly_empty_value_is_stored_as_empty_text(console, server, db, site):
    dimension = add_dimension(console, site, "Department", "visit", "--extraction", r"url=/dept/(\w+)")
    wait_for_server(server, db, site, dimension, "custom_dimension_1")

    server.page_view(site, url="http://shop.test/dept/garden", _id=VISITOR)
    assert db.visits(site)[0]["custom_dimension_1"] == "garden"
    server.page_view(site, url="http://shop.test/dept/kitchen", _id=VISITOR, dimension1="")

    (visit,) = db.visits(site)
    assert visit["custom_dimension_1"] == ""  # sent empty: no extraction, and '' replaces the value


# -- extractions -----------------------------------------------------------------------------------


def test_url_extraction_is_case_insensitive_and_urldecoded(console, server, db, site):
    dimension = add_dimension(console, site, "Category", "action", "--extraction", "url=/shop/([^/]+)/")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")

    server.page_view(site, url="http://shop.test/shop/Sale%20Items/42", _id=VISITOR)
    server.page_view(site, url="http://shop.test/SHOP/Boots/7", _id=VISITOR)
    server.page_view(site, url="http://shop.test/about", _id=VISITOR)
    server.page_view(site, url="http://shop.test/shop/Boots/8", _id=VISITOR, dimension1="Sent wins")

    assert [row["custom_dimension_1"] for row in db.actions(site)] == ["Sale Items", "Boots", None, "Sent wins"]


def test_urlparam_extraction_reads_the_url_as_sent(console, server, db, site):
    dimension = add_dimension(console, site, "Campaign", "visit", "--extraction", "urlparam=utm_campaign")
    wait_for_server(server, db, site, dimension, "custom_dimension_1")

    # Referrers removes utm_campaign from the stored page URL; the extraction still sees it
    server.page_view(site, url="http://shop.test/?x=1&utm_campaign=Spring+Sale%20%3C2024%3E&y=2", _id=VISITOR)

    (visit,) = db.visits(site)
    assert visit["custom_dimension_1"] == "Spring Sale &lt;2024&gt;"


def test_action_name_extraction_and_the_order_of_extractions(console, server, db, site):
    dimension = add_dimension(console, site, "Product", "action", "--extraction", "action_name=^Product: (.+)$",
                              "--extraction", "urlparam=sku")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")

    server.page_view(site, url="http://shop.test/p?sku=A-1", action_name="Product: Red Shoe", _id=VISITOR)
    server.page_view(site, url="http://shop.test/p?sku=B-2", action_name="Checkout", _id=VISITOR)
    server.page_view(site, url="http://shop.test/p", action_name="product: blue hat", _id=VISITOR)

    assert [row["custom_dimension_1"] for row in db.actions(site)] == ["Red Shoe", "B-2", "blue hat"]


def test_case_sensitive_extraction(console, server, db, site):
    dimension = add_dimension(console, site, "Area", "action", "--extraction", r"url=/Area/(\w+)", "--case-sensitive")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")

    server.page_view(site, url="http://shop.test/Area/north", _id=VISITOR)
    server.page_view(site, url="http://shop.test/area/south", _id=VISITOR)

    assert [row["custom_dimension_1"] for row in db.actions(site)] == ["north", None]


# -- activation --------------------------------------------------------------------------------------


def test_a_deactivated_dimension_is_ignored_and_its_data_stays(console, server, db, site):
    dimension = add_dimension(console, site, "Segment", "visit")
    wait_for_server(server, db, site, dimension, "custom_dimension_1")
    server.page_view(site, _id=VISITOR, dimension1="before")

    console.run("customdimension:deactivate", "--idsite", str(site), "--id", str(dimension))
    wait_for_server(server, db, site, dimension, "custom_dimension_1", stored=False)
    server.page_view(site, _id=VISITOR, dimension1="while inactive")
    server.page_view(site, _id=VISITOR, new_visit=1, dimension1="new visit while inactive")

    assert [v["custom_dimension_1"] for v in db.visits(site)] == ["before", None]

    console.run("customdimension:activate", "--idsite", str(site), "--id", str(dimension))
    wait_for_server(server, db, site, dimension, "custom_dimension_1")
    server.page_view(site, _id=VISITOR, dimension1="after")
    assert [v["custom_dimension_1"] for v in db.visits(site)] == ["before", "after"]


def test_a_sixth_visit_dimension_gets_a_new_column_the_running_server_uses(console, server, db, site):
    ids = [add_dimension(console, site, f"Visit {n}", "visit") for n in range(1, 7)]
    assert ids == [1, 2, 3, 4, 5, 6]
    for table in ("log_visit", "log_conversion"):
        columns = {c["name"]: c for c in inspect(db.engine).get_columns(table)}
        assert "custom_dimension_6" in columns
        assert columns["custom_dimension_6"]["nullable"]
        assert getattr(columns["custom_dimension_6"]["type"], "length", None) == 255
    assert "custom_dimension_6" not in {c["name"] for c in inspect(db.engine).get_columns("log_link_visit_action")}
    wait_for_server(server, db, site, 6, "custom_dimension_6")

    server.page_view(site, _id=VISITOR, dimension1="one", dimension6="six")

    (visit,) = db.visits(site)
    assert (visit["custom_dimension_1"], visit["custom_dimension_6"]) == ("one", "six")
    assert server.is_healthy()


# -- requests without an action, and time spent ------------------------------------------------------


def test_a_heartbeat_stores_no_action_value(console, server, db, site):
    dimension = add_dimension(console, site, "Block", "action")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")
    server.page_view(site, _id=VISITOR, dimension1="hero")

    response = server.page_view(site, _id=VISITOR, ping=1, dimension1="footer")

    assert response.status_code == 200
    assert [row["custom_dimension_1"] for row in db.actions(site)] == ["hero"]


def test_time_spent_is_written_into_the_previous_action_row(console, server, db, site):
    dimension = add_dimension(console, site, "Step", "action")
    wait_for_server(server, db, site, dimension, "custom_dimension_1", scope="action")
    start = utc_now() - timedelta(minutes=10)

    for offset, step in ((0, "cart"), (30, "address"), (75, "payment")):
        server.page_view(site, url=f"http://shop.test/{step}", _id=VISITOR, dimension1=step,
                         cdt=cdt(start + timedelta(seconds=offset)))

    actions = db.actions(site)
    assert [(a["custom_dimension_1"], a["time_spent_ref_action"], a["time_spent"]) for a in actions] == [
        ("cart", 0, 30), ("address", 30, 45), ("payment", 45, None)]
    (visit,) = db.visits(site)
    assert visit["last_idlink_va"] == actions[-1]["idlink_va"]

    server.page_view(site, url="http://shop.test/again", _id=VISITOR, new_visit=1, cdt=cdt(start + timedelta(minutes=2)))
    assert db.actions(site)[2]["time_spent"] is None  # a new visit does not close the previous visit's action
    assert db.visits(site)[1]["last_idlink_va"] == db.actions(site)[3]["idlink_va"]


def test_without_action_dimensions_time_spent_is_not_tracked(console, server, db, site):
    dimension = add_dimension(console, site, "Tier", "visit")
    wait_for_server(server, db, site, dimension, "custom_dimension_1")
    start = utc_now() - timedelta(minutes=5)

    server.page_view(site, _id=VISITOR, dimension1="silver", cdt=cdt(start))
    server.page_view(site, _id=VISITOR, url="http://shop.test/b", cdt=cdt(start + timedelta(seconds=20)))

    assert [a["time_spent"] for a in db.actions(site)] == [None, None]
    (visit,) = db.visits(site)
    assert (visit["custom_dimension_1"], visit["last_idlink_va"]) == ("silver", None)
    assert as_bytes(visit["idvisitor"]) == bytes.fromhex(VISITOR)
