"""The ``log_conversion`` row of an order or a cart update (spec §8, §10.8).

- A cart update keeps one row per visit: idgoal -1, buster 0, no idorder, updated in place.
- An order is a row with idgoal 0, its ``idorder`` and an md5-based buster. When the visit has an
  open cart, the cart row becomes the order row. An order id is unique per site for ever: a
  second order with it is refused with 400 and, the request being one transaction, nothing of
  it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from core import ConversionKind, InvalidRequest, TrackingContext, conversion_columns, insert_conversion

from plugins.ecommerce.item_sync import CART_ORDER_ID, sync_items
from plugins.ecommerce.items import Item
from plugins.ecommerce.kind import order_buster

IDGOAL_ORDER = 0
IDGOAL_CART = -1
PENDING = "ecommerce_conversion"
"""Where ``process_request`` leaves the request's :class:`EcommerceConversion` for ``record``."""


@dataclass(frozen=True)
class EcommerceConversion:
    idorder: str | None
    """The order id; ``None`` for a cart update."""
    items: list[Item] | None
    """``None`` when ``ec_items`` was a JSON scalar: Matomo then records no conversion at all."""

    @property
    def is_order(self) -> bool:
        return self.idorder is not None


def store(context: TrackingContext, connection: Connection, conversion: EcommerceConversion) -> None:
    """Write the conversion row and sync its items (call from ``record``)."""
    if conversion.items is None:
        return
    if conversion.is_order:
        _store_order(context, connection, conversion.idorder)
    else:
        _store_cart(context, connection)
    sync_items(context, connection, conversion.items, conversion.idorder or CART_ORDER_ID)


def _store_order(context: TrackingContext, connection: Connection, idorder: str) -> None:
    row = {**conversion_columns(context, ConversionKind.ORDER, None), "idgoal": IDGOAL_ORDER,
           "buster": order_buster(idorder), "idorder": idorder, "url": "", "idaction_url": None, "idlink_va": None}
    if _order_exists(context, connection, idorder):
        raise _duplicate_order(context, idorder)
    try:
        stored = (_update_cart(context, connection, row) if _has_cart(context, connection)
                  else insert_conversion(context, connection, row))
    except IntegrityError:  # another request stored the same order id since we looked
        stored = False
    if not stored:
        raise _duplicate_order(context, idorder)


def _store_cart(context: TrackingContext, connection: Connection) -> None:
    row = {**conversion_columns(context, ConversionKind.CART, None), "idgoal": IDGOAL_CART, "buster": 0,
           "idorder": None, "url": "", "idaction_url": None, "idlink_va": None}
    if _has_cart(context, connection) or not insert_conversion(context, connection, row):
        _update_cart(context, connection, row)


def _has_cart(context: TrackingContext, connection: Connection) -> bool:
    table = context.tracker.db.table("log_conversion")
    return connection.execute(select(table.c.idvisit).where(
        table.c.idvisit == context.idvisit, table.c.idgoal == IDGOAL_CART, table.c.buster == 0)).first() is not None


def _update_cart(context: TrackingContext, connection: Connection, row: dict[str, Any]) -> bool:
    """Turn the visit's cart row into ``row`` (a newer cart, or the order). True when it existed."""
    table = context.tracker.db.table("log_conversion")
    values = {column: value for column, value in row.items() if column != "idvisit"}
    result = connection.execute(update(table).where(
        table.c.idvisit == context.idvisit, table.c.idgoal == IDGOAL_CART, table.c.buster == 0).values(values))
    return result.rowcount == 1


def _order_exists(context: TrackingContext, connection: Connection, idorder: str) -> bool:
    table = context.tracker.db.table("log_conversion")
    return connection.execute(select(table.c.idvisit).where(
        table.c.idsite == context.site.idsite, table.c.idorder == idorder)).first() is not None


def _duplicate_order(context: TrackingContext, idorder: str) -> InvalidRequest:
    return InvalidRequest(f"Invalid non-unique idsite/idorder combination ({context.site.idsite}, {idorder}), "
                          "conversion was not inserted.")
