"""Ecommerce product views: `_pks`, `_pkn`, `_pkc` and `_pkp` on the action row.

Spec: matomo-tracker.md §2, §7.1 (log_action types 5-7), §7.2 (empty names), §7.4 (stored raw),
§8 (columns), §10.7. Every request goes over real HTTP.
"""

from __future__ import annotations

import json

import pytest
from tests.helpers import crc32
from tests.replay import load_captures, replay

VISITOR = "fedcba9876543210"
CATEGORY_COLUMNS = ["idaction_product_cat", "idaction_product_cat2", "idaction_product_cat3", "idaction_product_cat4",
                    "idaction_product_cat5"]
PRODUCT_COLUMNS = ["idaction_product_sku", "idaction_product_name", *CATEGORY_COLUMNS, "product_price"]
SKU, NAME, CATEGORY = 5, 6, 7


def named(db, idaction: int | None, expected_type: int) -> str | None:
    """The log_action name behind an id, checking its type and hash on the way."""
    if idaction is None:
        return None
    row = db.log_action(idaction)
    assert row["type"] == expected_type
    assert row["hash"] == crc32(row["name"])
    return row["name"]


def categories(db, action: dict) -> list[str | None]:
    return [named(db, action[column], CATEGORY) for column in CATEGORY_COLUMNS]


def price(action: dict) -> float | None:
    """product_price as a float (MariaDB's DOUBLE reads back as a Decimal)."""
    return None if action["product_price"] is None else float(action["product_price"])


def view(server, site: int, **params) -> None:
    assert server.page_view(site, _id=VISITOR, **params).status_code == 200


def test_a_product_view_stores_sku_name_category_and_price(server, db, site):
    view(server, site, _pks="SKU-1", _pkn="Blue Shoes", _pkc="Shoes", _pkp="59.9")

    (action,) = db.actions(site)
    assert named(db, action["idaction_product_sku"], SKU) == "SKU-1"
    assert named(db, action["idaction_product_name"], NAME) == "Blue Shoes"
    assert categories(db, action) == ["Shoes", None, None, None, None]
    assert price(action) == pytest.approx(59.9)


def test_names_are_stored_raw_not_html_escaped(server, db, site):
    view(server, site, _pks='<b>&"1\'', _pkn="Tom & Jerry's <DVD> \u2013 caf\u00e9", _pkc="Kids & \"Family\"")

    (action,) = db.actions(site)
    assert named(db, action["idaction_product_sku"], SKU) == '<b>&"1\''
    assert named(db, action["idaction_product_name"], NAME) == "Tom & Jerry's <DVD> \u2013 caf\u00e9"
    assert categories(db, action)[0] == 'Kids & "Family"'


def test_a_json_array_gives_up_to_five_categories(server, db, site):
    view(server, site, _pks="SKU-2", _pkc=json.dumps(["Shoes", "Men", "Running", "Trail", "Waterproof", "Sixth"]))
    view(server, site, _pks="SKU-3", _pkc=json.dumps(["Socks", "", "Wool", "0"]))

    first, second = db.actions(site)
    assert categories(db, first) == ["Shoes", "Men", "Running", "Trail", "Waterproof"]
    # empty entries take no level
    assert categories(db, second) == ["Socks", "Wool", None, None, None]


@pytest.mark.parametrize("sent, stored", [
    ("[Shoes]", ["[Shoes]", None, None, None, None]),
    ('["Shoes", "Sale"', [None] * 5),
    ('["Shoes & Bags", 42]', ["Shoes & Bags", "42", None, None, None]),
    ("Shoes, Sale", ["Shoes, Sale", None, None, None, None]),
])
def test_only_text_starting_with_a_json_string_array_is_split(server, db, site, sent, stored):
    view(server, site, _pks="SKU-4", _pkc=sent)

    (action,) = db.actions(site)
    assert categories(db, action) == stored


@pytest.mark.parametrize("sent, stored", [("0", 0.0), ("1e3", 1000.0), ("-5.25", -5.25), ("12,5", None),
                                          ("abc", None), ("undefined", None), ("", None)])
def test_the_price_is_kept_only_when_numeric(server, db, site, sent, stored):
    view(server, site, _pks="SKU-5", _pkp=sent)

    (action,) = db.actions(site)
    assert price(action) == (pytest.approx(stored) if stored is not None else None)
    assert named(db, action["idaction_product_sku"], SKU) == "SKU-5"


def test_columns_are_null_on_a_request_without_product_parameters(server, db, site):
    view(server, site, _pks="SKU-6", _pkn="Hat", _pkc="Hats", _pkp="10")
    view(server, site, url="http://shop.test/about")

    first, second = db.actions(site)
    assert all(first[column] is not None for column in PRODUCT_COLUMNS[:3] + ["product_price"])
    assert {column: second[column] for column in PRODUCT_COLUMNS} == dict.fromkeys(PRODUCT_COLUMNS)


def test_a_category_page_view_without_sku_or_name_leaves_them_null(server, db, site):
    view(server, site, _pkc="Shoes")

    (action,) = db.actions(site)
    assert (action["idaction_product_sku"], action["idaction_product_name"]) == (None, None)
    assert categories(db, action)[0] == "Shoes"


def test_an_empty_parameter_stores_id_0_and_no_name(server, db, site):
    view(server, site, _pks="", _pkn="", _pkc="")

    (action,) = db.actions(site)
    assert (action["idaction_product_sku"], action["idaction_product_name"], action["idaction_product_cat"]) == (0, 0, 0)
    assert action["idaction_product_cat2"] is None
    assert db.rows("log_action", name="") == []


def test_the_same_product_reuses_its_names_and_the_type_keeps_sku_and_name_apart(server, db, site):
    view(server, site, _pks="Widget", _pkn="Widget", _pkc="Widget")
    view(server, site, _pks="Widget", _pkn="Widget", _pkc="Widget")

    first, second = db.actions(site)
    for column in ("idaction_product_sku", "idaction_product_name", "idaction_product_cat"):
        assert first[column] == second[column]
    assert len({first["idaction_product_sku"], first["idaction_product_name"], first["idaction_product_cat"]}) == 3


def test_matomo_js_product_view_page_view_is_stored(server, db, site):
    record = load_captures("matomo-js.jsonl")[0]
    assert "_pks=SKU-1" in record["query"]

    response = replay(server.base, record, site)

    assert response.status_code == 204
    (action,) = db.actions(site)
    assert named(db, action["idaction_product_sku"], SKU) == "SKU-1"
    assert named(db, action["idaction_product_name"], NAME) == "Blue Shoes"
    assert categories(db, action) == ["Shoes", None, None, None, None]
    assert price(action) == pytest.approx(59.9)
    assert db.action_name(action["idaction_name"]) == "Caf\u00e9 \u2013 Custom Title"


def test_overlong_and_unstorable_names_never_fail_the_request(server, db, site):
    view(server, site, _pks="S" * 5000, _pkn="\U0001F45F" * 10, _pkc='["\\ud800", "Shoes"]')

    (action,) = db.actions(site)
    assert named(db, action["idaction_product_sku"], SKU) == "S" * 4096
    assert named(db, action["idaction_product_name"], NAME) == "\U0001F45F" * 10
    # a lone surrogate makes the JSON unreadable, as PHP's decoder finds it
    assert categories(db, action) == [None] * 5
