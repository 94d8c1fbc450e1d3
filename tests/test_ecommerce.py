"""Ecommerce orders and cart updates (``idgoal=0``) in log_conversion and log_conversion_item.

Spec: matomo-tracker.md §2 (``idgoal``, ``revenue``, ``ec_*``), §3 "Combinations", §8, §10.1
(``visit_goal_buyer``, ``visitor_returning``, ``visitor_seconds_since_order``), §10.8 ("Ecommerce
order", "Cart update", "Item sync"), §14, §15.9, §15.10. Every request goes over real HTTP.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers import crc32
from tests.replay import load_captures, replay

VISITOR = "a1b2c3d4e5f60718"
SKU, NAME, CATEGORY = 5, 6, 7
CATEGORY_COLUMNS = ["idaction_category", "idaction_category2", "idaction_category3", "idaction_category4",
                    "idaction_category5"]
OTHER_DEVICE = {"pdf": 1}
"""A browser-plugin flag changes the config id, so a request with it never joins VISITOR's visit."""
LOG_TABLES = ["log_visit", "log_link_visit_action", "log_conversion", "log_conversion_item"]


# -- helpers -------------------------------------------------------------------------------------


def ecommerce(server, site: int, *, visitor: str = VISITOR, items: Any = None, **params: Any):
    """An ``idgoal=0`` request; ``items`` is JSON-encoded unless it is already text."""
    if items is not None:
        params["ec_items"] = items if isinstance(items, str) else json.dumps(items)
    return server.page_view(site, idgoal=0, _id=visitor, **params)


def order(server, site: int, ec_id: str, items: Any = None, **params: Any):
    return ecommerce(server, site, ec_id=ec_id, items=items, **params)


def cart(server, site: int, items: Any = None, **params: Any):
    return ecommerce(server, site, items=items, **params)


def conversions(db, site: int) -> list[dict]:
    return sorted(db.rows("log_conversion", idsite=site),
                  key=lambda row: (row["idvisit"], row["idgoal"], row["idorder"] or ""))


def count(db, table_name: str, idsite: int) -> int:
    table = db.table(table_name)
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c.idsite == idsite)).scalar()


def counts(db, site: int) -> dict[str, int]:
    return {name: count(db, name, site) for name in LOG_TABLES}


def action_names(db, ids: set[int]) -> dict[int, tuple[str, int]]:
    """(name, type) of each log_action id, in one query; checks the stored hashes on the way."""
    table = db.table("log_action")
    with db.engine.connect() as conn:
        rows = conn.execute(select(table.c.idaction, table.c.name, table.c.type, table.c.hash)
                            .where(table.c.idaction.in_(ids))).all() if ids else []
    for row in rows:
        assert row.hash == crc32(row.name)
    return {row.idaction: (row.name, row.type) for row in rows}


def items(db, site: int) -> dict[str, dict]:
    """The site's log_conversion_item rows by SKU, with names instead of ids (None for id 0)."""
    rows = db.rows("log_conversion_item", idsite=site)
    names = action_names(db, {row[c] for row in rows for c in ["idaction_sku", "idaction_name", *CATEGORY_COLUMNS]})

    def named(idaction: int, expected_type: int) -> str | None:
        if not idaction:
            return None
        name, type_ = names[idaction]
        assert type_ == expected_type
        return name

    found = {}
    for row in rows:
        sku = named(row["idaction_sku"], SKU)
        assert sku not in found
        found[sku] = {"name": named(row["idaction_name"], NAME),
                      "categories": [named(row[column], CATEGORY) for column in CATEGORY_COLUMNS],
                      "price": float(row["price"]), "quantity": row["quantity"], "deleted": row["deleted"],
                      "idorder": row["idorder"], "idvisit": row["idvisit"]}
    return found


def amount(value: Any) -> float | None:
    """DOUBLE columns read back as Decimal on MariaDB."""
    return None if value is None else float(value)


def buster(idorder: str) -> int:
    return int(hashlib.md5(idorder.encode()).hexdigest()[:8], 16)


# -- orders ----------------------------------------------------------------------------------------


def test_an_order_stores_its_conversion_totals_and_items(server, db, site):
    response = order(server, site, "ORDER-2", revenue="137.8", ec_st="124.3", ec_tx="10.5", ec_sh="8", ec_dt="5",
                     items=[["SKU-1", "Blue Shoes", ["Shoes", "Sale"], 59.9, 2],
                            ["SKU-2", "Socks", "Accessories", "4.5", "1"]])

    assert response.status_code == 200
    assert db.actions(site) == []  # an order records no action
    (visit,) = db.visits(site)
    assert (visit["visit_goal_converted"], visit["visit_goal_buyer"], visit["visitor_seconds_since_order"]) == (1, 1, 0)
    (row,) = conversions(db, site)
    assert row["idvisit"] == visit["idvisit"] and row["idvisitor"] == visit["idvisitor"]
    assert (row["idgoal"], row["idorder"], row["url"], row["idaction_url"], row["idlink_va"]) == (
        0, "ORDER-2", "", None, None)
    assert row["buster"] == buster("ORDER-2") > 2**31  # needs the full INT UNSIGNED range
    assert amount(row["revenue"]) == pytest.approx(137.8)
    assert [amount(row[c]) for c in ("revenue_subtotal", "revenue_tax", "revenue_shipping", "revenue_discount")] == [
        124.3, 10.5, 8.0, 5.0]
    assert row["items"] == 3
    # an order makes even a first visit "returning" (2): the visitor has ordered
    assert row["visitor_count_visits"] == 1 and row["visitor_returning"] == 2
    assert items(db, site) == {
        "SKU-1": {"name": "Blue Shoes", "categories": ["Shoes", "Sale", None, None, None], "price": 59.9,
                  "quantity": 2, "deleted": 0, "idorder": "ORDER-2", "idvisit": visit["idvisit"]},
        "SKU-2": {"name": "Socks", "categories": ["Accessories", None, None, None, None], "price": 4.5,
                  "quantity": 1, "deleted": 0, "idorder": "ORDER-2", "idvisit": visit["idvisit"]},
    }


def test_totals_that_are_not_numbers_are_null_and_amounts_are_rounded_to_cents(server, db, site):
    # matomo.js sends "undefined" for the totals an order leaves out
    response = order(server, site, "ORDER-ROUND", revenue="10.456", ec_st="undefined", ec_tx="12,5", ec_sh="",
                     ec_dt="7.125", items=[["SKU-R", "Ring", "", "19.999", 1]])

    assert response.status_code == 200
    (row,) = conversions(db, site)
    assert amount(row["revenue"]) == pytest.approx(10.46)
    assert [amount(row[c]) for c in ("revenue_subtotal", "revenue_tax", "revenue_shipping")] == [None, None, None]
    assert amount(row["revenue_discount"]) == pytest.approx(7.13)
    assert items(db, site)["SKU-R"]["price"] == 20.0


@pytest.mark.parametrize("sent, stored", [(None, 0.0), ("free", 0.0), ("1e39", 0.0), ("-12.5", -12.5)])
def test_a_revenue_that_is_missing_or_not_storable_is_0(server, db, site, sent, stored):
    # 1e39 is beyond the single-precision FLOAT that log_conversion.revenue is on MariaDB
    assert order(server, site, "ORDER-FREE", revenue=sent).status_code == 200

    (row,) = conversions(db, site)
    assert amount(row["revenue"]) == stored and row["items"] == 0


def test_a_duplicate_order_id_is_refused_and_stores_nothing(server, db, site):
    assert order(server, site, "ORDER-DUP", revenue="10", items=[["SKU-1", "Shoes", "", 10, 1]]).status_code == 200
    before = counts(db, site)

    again = order(server, site, "ORDER-DUP", visitor="0000000000000001", revenue="99", **OTHER_DEVICE,
                  items=[["SKU-9", "Hat", "", 99, 1]])

    assert again.status_code == 400
    assert f"Invalid non-unique idsite/idorder combination ({site}, ORDER-DUP), conversion was not inserted." in again.text
    assert counts(db, site) == before == {"log_visit": 1, "log_link_visit_action": 0, "log_conversion": 1,
                                          "log_conversion_item": 1}
    (row,) = conversions(db, site)
    assert amount(row["revenue"]) == 10.0


def test_a_duplicate_order_of_a_visit_with_a_cart_leaves_the_visit_and_its_cart_alone(server, db, site):
    assert order(server, site, "ORDER-DUP2", visitor="0000000000000002", **OTHER_DEVICE).status_code == 200
    assert server.page_view(site, _id=VISITOR).status_code == 200
    assert cart(server, site, [["SKU-1", "Shoes", "", 10, 1]], revenue="10").status_code == 200
    (visit_before,) = [v for v in db.visits(site) if v["visit_goal_buyer"] == 2]
    before = counts(db, site)

    response = order(server, site, "ORDER-DUP2", items=[["SKU-1", "Shoes", "", 10, 1]], revenue="10")

    assert response.status_code == 400
    assert counts(db, site) == before
    (visit_after,) = [v for v in db.visits(site) if v["idvisit"] == visit_before["idvisit"]]
    assert visit_after == visit_before
    assert [(r["idgoal"], r["idorder"]) for r in conversions(db, site)] == [(0, "ORDER-DUP2"), (-1, None)]
    assert items(db, site)["SKU-1"]["idorder"] == "0"


def test_an_order_id_longer_than_100_characters_is_cut(server, db, site):
    long_id = "X" * 100 + "-first"
    assert order(server, site, long_id).status_code == 200

    (row,) = conversions(db, site)
    assert row["idorder"] == "X" * 100
    assert row["buster"] == buster("X" * 100)
    # the same first 100 characters are the same order
    assert order(server, site, "X" * 100 + "-second", visitor="0000000000000003", **OTHER_DEVICE).status_code == 400


def test_the_order_id_is_stored_html_escaped_like_other_matomo_strings(server, db, site):
    assert order(server, site, "A&B <1>").status_code == 200

    (row,) = conversions(db, site)
    assert row["idorder"] == "A&amp;B &lt;1&gt;"


# -- carts -------------------------------------------------------------------------------------------


def test_a_cart_without_an_order_is_an_abandoned_cart(server, db, site):
    response = cart(server, site, [["SKU-1", "Blue Shoes", "Shoes", 59.9, 2]], revenue="119.8")

    assert response.status_code == 200
    assert db.actions(site) == []
    (visit,) = db.visits(site)
    assert (visit["visit_goal_converted"], visit["visit_goal_buyer"], visit["visitor_seconds_since_order"]) == (
        0, 2, None)
    (row,) = conversions(db, site)
    assert (row["idgoal"], row["buster"], row["idorder"], row["items"], row["url"]) == (-1, 0, None, 2, "")
    assert amount(row["revenue"]) == pytest.approx(119.8)
    assert items(db, site)["SKU-1"] | {"idvisit": None} == {
        "name": "Blue Shoes", "categories": ["Shoes", None, None, None, None], "price": 59.9, "quantity": 2,
        "deleted": 0, "idorder": "0", "idvisit": None}


def test_cart_updates_keep_one_row_and_flag_items_no_longer_in_the_cart(server, db, site):
    assert cart(server, site, [["SKU-A", "A", "", 1, 1], ["SKU-B", "B", "", 2, 1]], revenue="3").status_code == 200
    assert cart(server, site, [["SKU-B", "B", "", 2, 3], ["SKU-C", "C", "", 5, 1]], revenue="11").status_code == 200

    (row,) = conversions(db, site)
    assert (row["idgoal"], row["items"], amount(row["revenue"])) == (-1, 4, 11.0)
    found = items(db, site)
    assert {sku: (i["quantity"], i["deleted"], i["idorder"]) for sku, i in found.items()} == {
        "SKU-A": (1, 1, "0"), "SKU-B": (3, 0, "0"), "SKU-C": (1, 0, "0")}

    # putting a removed item back un-deletes it; an emptied cart flags everything
    assert cart(server, site, [["SKU-A", "A", "", 1, 2]], revenue="2").status_code == 200
    assert {sku: (i["quantity"], i["deleted"]) for sku, i in items(db, site).items()} == {
        "SKU-A": (2, 0), "SKU-B": (3, 1), "SKU-C": (1, 1)}
    assert cart(server, site, [], revenue="0").status_code == 200
    assert {sku: i["deleted"] for sku, i in items(db, site).items()} == {"SKU-A": 1, "SKU-B": 1, "SKU-C": 1}
    (row,) = conversions(db, site)
    assert row["items"] == 0


def test_an_order_after_a_cart_turns_the_cart_row_into_the_order_and_moves_its_items(server, db, site):
    assert cart(server, site, [["SKU-A", "A", "", 1, 1], ["SKU-B", "B", "", 2, 1]], revenue="3").status_code == 200
    (cart_row,) = conversions(db, site)

    response = order(server, site, "ORDER-CART", revenue="12", ec_st="12",
                     items=[["SKU-A", "A", "", 1, 2], ["SKU-C", "C", "", 10, 1]])

    assert response.status_code == 200
    (row,) = conversions(db, site)  # no cart row is left
    assert (row["idvisit"], row["idgoal"], row["idorder"], row["buster"], row["items"]) == (
        cart_row["idvisit"], 0, "ORDER-CART", buster("ORDER-CART"), 3)
    assert amount(row["revenue"]) == 12.0 and amount(row["revenue_subtotal"]) == 12.0
    assert {sku: (i["quantity"], i["deleted"], i["idorder"]) for sku, i in items(db, site).items()} == {
        "SKU-A": (2, 0, "ORDER-CART"), "SKU-B": (1, 1, "ORDER-CART"), "SKU-C": (1, 0, "ORDER-CART")}
    (visit,) = db.visits(site)
    assert (visit["visit_goal_converted"], visit["visit_goal_buyer"]) == (1, 1)


def test_a_cart_after_an_order_opens_a_new_cart_and_leaves_the_order_alone(server, db, site):
    assert order(server, site, "ORDER-FIRST", items=[["SKU-A", "A", "", 1, 1]], revenue="1").status_code == 200
    assert cart(server, site, [["SKU-B", "B", "", 2, 1]], revenue="2").status_code == 200

    assert [(r["idgoal"], r["idorder"]) for r in conversions(db, site)] == [(-1, None), (0, "ORDER-FIRST")]
    assert {sku: (i["deleted"], i["idorder"]) for sku, i in items(db, site).items()} == {
        "SKU-A": (0, "ORDER-FIRST"), "SKU-B": (0, "0")}

    assert order(server, site, "ORDER-SECOND", items=[["SKU-B", "B", "", 2, 1]], revenue="2").status_code == 200
    assert [(r["idgoal"], r["idorder"]) for r in conversions(db, site)] == [(0, "ORDER-FIRST"), (0, "ORDER-SECOND")]
    assert {sku: (i["deleted"], i["idorder"]) for sku, i in items(db, site).items()} == {
        "SKU-A": (0, "ORDER-FIRST"), "SKU-B": (0, "ORDER-SECOND")}


# -- the visit -----------------------------------------------------------------------------------------


def buyer(db, site: int) -> int:
    (visit,) = db.visits(site)
    return visit["visit_goal_buyer"]


def test_visit_goal_buyer_follows_the_visits_orders_and_carts(server, db, site):
    assert server.page_view(site, _id=VISITOR).status_code == 200
    assert buyer(db, site) == 0
    assert cart(server, site, [["SKU-A", "A", "", 1, 1]]).status_code == 200
    assert buyer(db, site) == 2  # open cart
    assert order(server, site, "ORDER-B1", items=[["SKU-A", "A", "", 1, 1]]).status_code == 200
    assert buyer(db, site) == 1  # ordered
    assert cart(server, site, [["SKU-B", "B", "", 1, 1]]).status_code == 200
    assert buyer(db, site) == 3  # ordered, then opened a cart
    assert cart(server, site, [["SKU-C", "C", "", 1, 1]]).status_code == 200
    assert buyer(db, site) == 3
    assert server.page_view(site, _id=VISITOR).status_code == 200
    assert buyer(db, site) == 3  # other requests leave it alone
    assert order(server, site, "ORDER-B2").status_code == 200
    assert buyer(db, site) == 1


def test_a_new_visit_starts_without_the_previous_visits_purchases(server, db, site):
    assert order(server, site, "ORDER-NV").status_code == 200
    assert cart(server, site, [["SKU-A", "A", "", 1, 1]], new_visit=1).status_code == 200

    first, second = db.visits(site)
    assert (first["visit_goal_buyer"], second["visit_goal_buyer"]) == (1, 2)


def test_the_next_visit_of_a_buyer_is_returning_and_knows_the_time_since_the_order(server, db, site):
    an_hour_ago = int(time.time()) - 3600
    assert order(server, site, "ORDER-RET", cdt=an_hour_ago).status_code == 200
    assert server.page_view(site, _id=VISITOR, new_visit=1).status_code == 200
    assert cart(server, site, [["SKU-A", "A", "", 1, 1]]).status_code == 200

    first, second = db.visits(site)
    assert (first["visitor_returning"], first["visitor_seconds_since_order"]) == (2, 0)  # the order's own visit
    assert second["visitor_returning"] == 2
    assert 3600 <= second["visitor_seconds_since_order"] <= 3600 + 120
    (order_row, cart_row) = sorted(conversions(db, site), key=lambda r: r["idgoal"], reverse=True)
    assert order_row["visitor_seconds_since_order"] == 0
    assert cart_row["idvisit"] == second["idvisit"] and cart_row["visitor_returning"] == 2
    assert cart_row["visitor_seconds_since_order"] == second["visitor_seconds_since_order"]


def test_a_heartbeat_with_idgoal_0_converts_nothing(server, db, site):
    assert server.page_view(site, _id=VISITOR).status_code == 200
    assert order(server, site, "ORDER-PING", ping=1, items=[["SKU-A", "A", "", 1, 1]]).status_code == 200

    assert conversions(db, site) == [] and items(db, site) == {}
    (visit,) = db.visits(site)
    assert (visit["visit_goal_converted"], visit["visit_goal_buyer"]) == (0, 0)


def test_an_ecommerce_request_never_records_its_action_or_product_view(server, db, site):
    assert cart(server, site, [["SKU-A", "A", "", 1, 1]], _pks="SKU-A", _pkn="A", action_name="Cart").status_code == 200
    assert order(server, site, "ORDER-LINK", link="http://elsewhere.test/").status_code == 200

    assert db.actions(site) == []
    (visit,) = db.visits(site)
    assert visit["visit_total_actions"] == 0


# -- real matomo.js captures -----------------------------------------------------------------------------


def capture(seq: int) -> dict:
    (record,) = [r for r in load_captures("matomo-js.jsonl") if r["seq"] == seq]
    return record


def test_matomo_js_cart_update_then_order(server, db, site):
    assert replay(server.base, capture(1), site).status_code in (200, 204)  # the page view
    cart_answer = replay(server.base, capture(6), site)
    (cart_row,) = conversions(db, site)
    order_answer = replay(server.base, capture(7), site)

    assert (cart_answer.status_code, order_answer.status_code) == (204, 204)
    assert (cart_row["idgoal"], amount(cart_row["revenue"]), cart_row["items"]) == (-1, 124.3, 3)
    (row,) = conversions(db, site)
    assert (row["idvisit"], row["idgoal"], row["idorder"], row["items"]) == (cart_row["idvisit"], 0, "ORDER-1001", 3)
    assert [amount(row[c]) for c in ("revenue", "revenue_subtotal", "revenue_tax", "revenue_shipping",
                                     "revenue_discount")] == [pytest.approx(137.8), 124.3, 10.5, 8.0, 5.0]
    found = items(db, site)
    assert {sku: (i["name"], i["categories"][:2], i["price"], i["quantity"], i["idorder"])
            for sku, i in found.items()} == {
        "SKU-1": ("Blue Shoes", ["Shoes", "Sale"], 59.9, 2, "ORDER-1001"),
        "SKU-2": ("Socks", ["Accessories", None], 4.5, 1, "ORDER-1001")}
    (visit,) = db.visits(site)
    assert (visit["visit_goal_buyer"], visit["visit_goal_converted"], visit["visitor_seconds_since_order"]) == (
        1, 1, 0)
    assert len(db.actions(site)) == 1  # only the page view


def test_matomo_js_order_with_undefined_totals(server, db, site):
    response = replay(server.base, capture(19), site)

    assert response.status_code == 200 and response.headers["content-type"].startswith("image/gif")
    (row,) = conversions(db, site)
    assert (row["idorder"], amount(row["revenue"]), row["items"]) == ("ORDER-2002", 35.0, 1)
    assert [row[c] for c in ("revenue_subtotal", "revenue_tax", "revenue_shipping", "revenue_discount")] == [
        None, None, None, None]
    assert items(db, site)["SKU-9"]["categories"][0] == "Shoes"


def test_orders_and_carts_count_the_page_views_before_them(server, db, site):
    server.page_view(site, _id=VISITOR, url="http://shop.test/a")
    server.page_view(site, _id=VISITOR, url="http://shop.test/b")
    server.page_view(site, _id=VISITOR, search="shoes")  # a site search is no page view
    cart(server, site, [["SKU-1", "Shoe", "Shoes", 10, 1]])
    server.page_view(site, _id=VISITOR, url="http://shop.test/checkout")
    order(server, site, "ORDER-PV", [["SKU-1", "Shoe", "Shoes", 10, 1]], revenue=10)

    (row,) = conversions(db, site)  # the cart row became the order row
    assert (row["idgoal"], row["pageviews_before"]) == (0, 3)
