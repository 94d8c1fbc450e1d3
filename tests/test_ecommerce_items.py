"""``ec_items``: how items are read, what bad input does, very large orders and concurrent carts.

Spec: matomo-tracker.md §10.8 "``ec_items``", §7.4 (item names stored raw), §14 (malformed
``ec_items``). Every request goes over real HTTP.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.test_ecommerce import VISITOR, cart, conversions, counts, items, order

MAX_ITEMS = 500
"""Items kept per request (documented in docs/ecommerce.md)."""


def single_item(db, site: int) -> dict:
    (item,) = items(db, site).values()
    return item


@pytest.mark.parametrize("sent", ['[["SKU-1", "Shoes"', "not json", "null", "[]", "{}", "false", "0", '""', '"0"',
                                  "[[]]", '[{"sku": "SKU-1"}]', '["SKU-1"]', '[["", "No SKU"], [0, "Zero"], [null]]'])
def test_malformed_or_empty_items_record_the_order_without_items(server, db, site, sent):
    response = order(server, site, "ORDER-BAD", revenue="5", items=sent)

    assert response.status_code == 200
    (row,) = conversions(db, site)
    assert (row["idorder"], row["items"], float(row["revenue"])) == ("ORDER-BAD", 0, 5.0)
    assert items(db, site) == {}


@pytest.mark.parametrize("sent", ["5", '"SKU-1"', "true", "1.5"])
def test_a_json_scalar_skips_the_conversion_as_matomo_does(server, db, site, sent):
    response = order(server, site, "ORDER-SCALAR", revenue="5", items=sent)

    assert response.status_code == 200
    assert conversions(db, site) == [] and items(db, site) == {}
    (visit,) = db.visits(site)
    # Matomo has already marked the visit as an ordering one when it drops the conversion
    assert (visit["visit_goal_converted"], visit["visit_goal_buyer"]) == (1, 1)
    # ...so the order id is still free
    assert order(server, site, "ORDER-SCALAR", revenue="5").status_code == 200


def test_a_json_object_is_read_for_its_values_as_php_walks_it(server, db, site):
    assert order(server, site, "ORDER-OBJ", items='{"first": ["SKU-O", "Object item"], "x": "skipped"}').status_code == 200

    assert {sku: item["name"] for sku, item in items(db, site).items()} == {"SKU-O": "Object item"}


def test_item_text_is_stored_raw_and_trimmed(server, db, site):
    sent = [["  SKU &amp; 1\t", " Tom & Jerry's <DVD> – café ", ["  Kids & \"Family\"  ", " "], 9.5, 1]]
    assert order(server, site, "ORDER-RAW", items=sent).status_code == 200

    item = items(db, site)["SKU & 1"]
    assert item["name"] == "Tom & Jerry's <DVD> – café"
    assert item["categories"] == ['Kids & "Family"', None, None, None, None]


def test_sku_and_name_arrays_are_joined_and_numbers_become_text(server, db, site):
    assert order(server, site, "ORDER-JOIN", items=[[["SKU", 7, "b"], ["Red", "Shoe"], 42, 1, 1],
                                                     [12345, 2.5, "", 1, 1]]).status_code == 200

    found = items(db, site)
    assert set(found) == {"SKU,7,b", "12345"}
    assert found["SKU,7,b"]["name"] == "Red,Shoe"
    assert found["SKU,7,b"]["categories"][0] == "42"
    assert found["12345"]["name"] == "2.5"


def test_a_category_list_keeps_five_non_empty_levels(server, db, site):
    levels = ["Shoes", "", "Men", "0", " Running ", "Trail", "Waterproof", "Sixth"]
    assert order(server, site, "ORDER-CAT", items=[["SKU-1", "Shoe", levels, 1, 1]]).status_code == 200

    assert single_item(db, site)["categories"] == ["Shoes", "Men", "Running", "Trail", "Waterproof"]


def test_an_item_without_name_or_category_stores_id_0(server, db, site):
    assert order(server, site, "ORDER-BARE", items=[["SKU-1"]]).status_code == 200

    item = single_item(db, site)
    assert (item["name"], item["categories"], item["price"], item["quantity"]) == (None, [None] * 5, 0.0, 1)


@pytest.mark.parametrize("price, stored", [(19.99, 19.99), ("19.99", 19.99), (" 5", 5.0), ("1e2", 100.0),
                                           (-3.5, -3.5), ("12,5", 0.0), ("abc", 0.0), (True, 0.0), (None, 0.0),
                                           ([1], 0.0), (2.345, 2.35)])
def test_a_price_is_kept_when_it_is_a_number(server, db, site, price, stored):
    assert order(server, site, "ORDER-PRICE", items=[["SKU-1", "Shoe", "", price, 1]]).status_code == 200

    assert single_item(db, site)["price"] == stored


@pytest.mark.parametrize("quantity, stored", [(3, 3), ("4", 4), ("2.7", 2), (2.7, 2), ("1e1", 10), ("abc", 1),
                                              (0, 1), ("-2", 1), (-5, 1), (None, 1), (10**12, 2**31 - 1)])
def test_a_quantity_is_a_positive_whole_number_else_1(server, db, site, quantity, stored):
    assert order(server, site, "ORDER-QTY", items=[["SKU-1", "Shoe", "", 1, quantity]]).status_code == 200

    assert single_item(db, site)["quantity"] == stored
    (row,) = conversions(db, site)
    assert row["items"] == min(stored, 65535)  # log_conversion.items is SMALLINT UNSIGNED


def test_a_sku_sent_twice_keeps_its_first_item_and_counts_both(server, db, site):
    assert order(server, site, "ORDER-TWICE", items=[["SKU-1", "First", "", 1, 1],
                                                      ["SKU-1", "Second", "", 2, 2]]).status_code == 200

    assert single_item(db, site)["name"] == "First"
    (row,) = conversions(db, site)
    assert row["items"] == 3


def test_items_are_the_same_in_a_form_encoded_post(server, db, site):
    data = {"idsite": site, "rec": 1, "idgoal": 0, "ec_id": "ORDER-POST", "_id": VISITOR, "revenue": "9",
            "ec_items": json.dumps([["SKU-P", "Posted", "Cat", 9, 1]])}
    assert server.track("POST", data=data).status_code == 200

    assert items(db, site)["SKU-P"]["name"] == "Posted"


def test_an_order_of_10000_items_keeps_the_first_500_and_the_server_stays_healthy(server, db, site):
    sent = [[f"SKU-{n:05d}", f"Product {n}", [f"Category {n % 50}", f"Shelf {n}"], 1.5, 1 + n % 3]
            for n in range(10_000)]
    started = time.monotonic()
    response = server.track("POST", data={"idsite": site, "rec": 1, "idgoal": 0, "ec_id": "ORDER-HUGE",
                                          "_id": VISITOR, "revenue": "15000", "ec_items": json.dumps(sent)})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 60
    found = items(db, site)
    assert len(found) == MAX_ITEMS
    assert set(found) == {f"SKU-{n:05d}" for n in range(MAX_ITEMS)}
    assert found["SKU-00499"]["categories"][:2] == ["Category 49", "Shelf 499"]
    (row,) = conversions(db, site)
    assert row["items"] == sum(1 + n % 3 for n in range(MAX_ITEMS))
    assert server.is_healthy()
    # the same order again is refused quickly, and other requests are served as usual
    assert server.track("POST", data={"idsite": site, "rec": 1, "idgoal": 0, "ec_id": "ORDER-HUGE",
                                      "_id": VISITOR, "ec_items": json.dumps(sent)}).status_code == 400
    assert server.page_view(site, _id=VISITOR).status_code == 200
    assert counts(db, site)["log_link_visit_action"] == 1


def test_concurrent_cart_updates_of_one_visit_keep_one_cart_row(server, db, site):
    assert server.page_view(site, _id=VISITOR).status_code == 200

    def update(n: int) -> int:
        return cart(server, site, [["SKU-A", "A", "", 1, n], [f"SKU-{n}", "Extra", "", 2, 1]],
                    revenue=str(n + 2)).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(update, range(1, 17)))

    assert statuses == [200] * 16
    (visit,) = db.visits(site)
    assert visit["visit_goal_buyer"] == 2
    (row,) = conversions(db, site)
    assert (row["idgoal"], row["buster"]) == (-1, 0)
    found = items(db, site)
    # whichever update came last, the cart holds exactly its two items
    live = {sku for sku, item in found.items() if not item["deleted"]}
    assert len(live) == 2 and "SKU-A" in live
    extra = (live - {"SKU-A"}).pop()
    last = int(extra.split("-")[1])
    assert found["SKU-A"]["quantity"] == last and float(row["revenue"]) == last + 2
    assert len(found) == 17
