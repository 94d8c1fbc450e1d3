"""``log_conversion_item``: the items of the visit's cart or order, kept in step with the request
(spec §10.8 "Item sync").

The visit's rows for this order id and for the open cart (idorder ``'0'``) are loaded. Rows whose
SKU is still sent get the new values and the new idorder (placing an order moves the cart's
items to it); rows whose SKU is no longer sent get ``deleted=1``; new SKUs are inserted.
SKUs, names and categories are ``log_action`` names of types 5, 6 and 7, resolved together with
``core.resolve_action_names``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from core import ActionName, ActionType, TrackingContext, resolve_action_names

from plugins.ecommerce.items import Item
from plugins.ecommerce.product_view import CATEGORY_LEVELS

CART_ORDER_ID = "0"
"""The idorder of items in a cart that is not ordered yet."""
CATEGORY_COLUMNS = ["idaction_category"] + [f"idaction_category{level}" for level in range(2, CATEGORY_LEVELS + 1)]
VALUE_COLUMNS = ["idaction_name", *CATEGORY_COLUMNS, "price", "quantity", "deleted"]
SETTABLE = ["idsite", "idvisitor", "server_time", "idorder", *VALUE_COLUMNS]


def sync_items(context: TrackingContext, connection: Connection, items: list[Item], idorder: str) -> None:
    """Make the visit's rows for ``idorder`` (``'0'`` for the cart) match ``items``."""
    table = context.tracker.db.table("log_conversion_item")
    wanted = _rows(context, items, _action_ids(context, connection, items), idorder)
    stored = connection.execute(select(table).where(
        table.c.idvisit == context.idvisit, table.c.idorder.in_({idorder, CART_ORDER_ID}))).mappings().all()
    changes = _changes(context, stored, wanted, idorder)
    if changes:
        connection.execute(_update_statement(table), changes)
    known = {old["idaction_sku"] for old in stored}
    fresh = [row for sku, row in wanted.items() if sku not in known]
    if fresh:
        connection.execute(_insert_ignoring_duplicates(context, table), fresh)


def _changes(context: TrackingContext, stored: Any, wanted: dict[int, dict[str, Any]],
             idorder: str) -> list[dict[str, Any]]:
    """UPDATE parameters for the stored rows that differ from what they must become."""
    moved = {"idsite": context.site.idsite, "idvisitor": context.visitor.get("idvisitor"),
             "server_time": context.request.time, "idorder": idorder}
    changes: list[dict[str, Any]] = []
    for old in stored:
        new = wanted.get(old["idaction_sku"])
        if new is None:  # no longer sent: flagged, and moved to the order like the rest of the cart
            if old["deleted"] and old["idorder"] == idorder:
                continue
            new = {**{column: old[column] for column in VALUE_COLUMNS}, **moved, "deleted": 1}
        elif old["idorder"] == idorder and _same(old, new):
            continue
        changes.append({**{"v_" + column: new[column] for column in SETTABLE},
                        "w_idvisit": context.idvisit, "w_idorder": old["idorder"], "w_sku": old["idaction_sku"]})
    return changes


def _rows(context: TrackingContext, items: list[Item], ids: dict[tuple[str, int], int],
          idorder: str) -> dict[int, dict[str, Any]]:
    """The rows to store, by SKU id; the first item of a SKU sent twice wins."""
    rows: dict[int, dict[str, Any]] = {}
    for item in items:
        sku = ids[(item.sku, ActionType.ECOMMERCE_ITEM_SKU)]
        if sku in rows:
            continue
        categories = list(item.categories) + [""] * (CATEGORY_LEVELS - len(item.categories))
        row = {"idsite": context.site.idsite, "idvisitor": context.visitor.get("idvisitor"),
               "server_time": context.request.time, "idvisit": context.idvisit, "idorder": idorder,
               "idaction_sku": sku, "idaction_name": _id(ids, item.name, ActionType.ECOMMERCE_ITEM_NAME),
               "price": item.price, "quantity": item.quantity, "deleted": 0}
        for column, category in zip(CATEGORY_COLUMNS, categories):
            row[column] = _id(ids, category, ActionType.ECOMMERCE_ITEM_CATEGORY)
        rows[sku] = row
    return rows


def _id(ids: dict[tuple[str, int], int], name: str, type_: int) -> int:
    return ids[(name, type_)] if name else 0


def _action_ids(context: TrackingContext, connection: Connection, items: list[Item]) -> dict[tuple[str, int], int]:
    names: set[ActionName] = set()
    for item in items:
        names.add(ActionName(item.sku, ActionType.ECOMMERCE_ITEM_SKU))
        if item.name:
            names.add(ActionName(item.name, ActionType.ECOMMERCE_ITEM_NAME))
        names.update(ActionName(category, ActionType.ECOMMERCE_ITEM_CATEGORY) for category in item.categories if category)
    return resolve_action_names(context, connection, names)


def _same(old: Any, new: dict[str, Any]) -> bool:
    return all(old[column] == new[column] for column in VALUE_COLUMNS if column != "price") and (
        float(old["price"]) == float(new["price"]))


def _update_statement(table: Any) -> Any:
    return (update(table)
            .where(table.c.idvisit == bindparam("w_idvisit"), table.c.idorder == bindparam("w_idorder"),
                   table.c.idaction_sku == bindparam("w_sku"))
            .values({column: bindparam("v_" + column) for column in SETTABLE}))


def _insert_ignoring_duplicates(context: TrackingContext, table: Any) -> Any:
    dialect = context.tracker.db.dialect
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("OR IGNORE" if dialect == "sqlite" else "IGNORE")
