"""Conversion rows (``log_conversion``): what every row of a request carries, and inserting one.

Goals and Ecommerce decide *which* conversions a request makes; this module fills in what all
conversion rows share, the way Matomo does (spec §9, §10.8): the visit's ids and time, the copies of
visit dimensions that implement ``on_any_goal_conversion``, the ``ConversionDimension`` values for
the kind of conversion, and the ``conversion_values`` hook's answers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from core.dimensions import UNCHANGED

if TYPE_CHECKING:  # pragma: no cover
    from core.context import TrackingContext


class ConversionKind:
    GOAL = "goal"
    ORDER = "order"
    CART = "cart"


_HOOK_METHODS = {
    ConversionKind.GOAL: "on_goal_conversion",
    ConversionKind.ORDER: "on_ecommerce_order_conversion",
    ConversionKind.CART: "on_ecommerce_cart_update_conversion",
}


def conversion_columns(context: "TrackingContext", kind: str, goal: Any = None) -> dict[str, Any]:
    """The columns every ``kind`` conversion row of this request shares, once the visit is written
    (call it from the ``record`` hook): ``idsite``, ``idvisit``, ``idvisitor``, ``server_time``,
    the visit dimensions' copies, the conversion dimensions' values and the plugins' extra values.
    ``goal`` is what the conversion dimensions receive (the goal's row, or ``None`` for ecommerce)."""
    tracker, request, visitor, action = context.tracker, context.request, context.visitor, context.action
    values: dict[str, Any] = {"idsite": context.site.idsite, "idvisit": context.idvisit,
                              "idvisitor": visitor.get("idvisitor"), "server_time": request.time}
    for dimension in tracker.visit_dimensions:
        if dimension.copies_to_conversions():
            value = dimension.on_any_goal_conversion(request, visitor, action)
            if value is not UNCHANGED:
                values[dimension.column_name] = value
    method = _HOOK_METHODS[kind]
    for dimension in tracker.conversion_dimensions:
        value = getattr(dimension, method)(request, visitor, action, goal)
        if value is not UNCHANGED:
            values[dimension.column_name] = value
    for extra in tracker.hook.conversion_values(context=context, kind=kind, goal=goal):
        values.update(extra or {})
    known = tracker.db.columns("log_conversion")
    return {column: value for column, value in values.items() if column in known}


def insert_conversion(context: "TrackingContext", connection: Connection, row: dict[str, Any]) -> bool:
    """Insert a ``log_conversion`` row unless one with the same key exists: the same
    (idvisit, idgoal, buster), which keeps a goal to once per visit, or the same (idsite, idorder).
    True when the row was inserted."""
    db = context.tracker.db
    statement = _insert_ignoring_duplicates(db.table("log_conversion"), db.dialect)
    return connection.execute(statement, row).rowcount == 1


@lru_cache(maxsize=8)
def _insert_ignoring_duplicates(table: Table, dialect: str) -> Insert:
    """Built once per table: the values come as parameters, so SQLAlchemy compiles it once per set of columns."""
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = insert(table).prefix_with("OR IGNORE")
    else:
        statement = insert(table).prefix_with("IGNORE")
    # psycopg reports no row count for an INSERT unless asked to keep it
    return statement.execution_options(preserve_rowcount=True)
