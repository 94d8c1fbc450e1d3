"""Ecommerce's conversion dimensions: the amounts and the item count of an order or cart row.

They fill columns of the core's ``log_conversion`` table (``column_type = None``), and only
for ecommerce conversions; a goal conversion leaves them to the Goals plugin. Each is an
example of a ``ConversionDimension`` hook (spec §9, §10.8).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from core import Action, ConversionDimension, TrackingRequest, Visitor

from plugins.ecommerce.items import items_count, parse_items, round_amount

MYSQL_FLOAT_MAX = 3.4028234e38
"""``log_conversion.revenue`` is a single-precision FLOAT on MariaDB/MySQL."""


def amount(request: TrackingRequest, parameter: str, limit: float = math.inf) -> float | None:
    """A numeric parameter rounded like Matomo rounds revenue; ``None`` for anything that is not
    a number as Matomo reads floats (``undefined``, ``12,5``, empty) or that the column cannot hold."""
    value = request.get_float(parameter)
    if value is None or abs(value) > limit:
        return None
    return round_amount(value)


class _EcommerceAmount(ConversionDimension):
    parameter: ClassVar[str] = ""

    def value(self, request: TrackingRequest) -> float | None:
        return amount(request, self.parameter)

    def on_ecommerce_order_conversion(self, request: TrackingRequest, visitor: Visitor, action: Action | None,
                                      goal: Any) -> float | None:
        return self.value(request)

    def on_ecommerce_cart_update_conversion(self, request: TrackingRequest, visitor: Visitor,
                                            action: Action | None, goal: Any) -> float | None:
        return self.value(request)


class Revenue(_EcommerceAmount):
    """The grand total (``revenue``); 0 when it is missing or not a number."""

    column_name = "revenue"
    parameter = "revenue"

    def value(self, request: TrackingRequest) -> float:
        found = amount(request, self.parameter, MYSQL_FLOAT_MAX)
        return 0.0 if found is None else found


class RevenueSubtotal(_EcommerceAmount):
    column_name = "revenue_subtotal"
    parameter = "ec_st"


class RevenueTax(_EcommerceAmount):
    column_name = "revenue_tax"
    parameter = "ec_tx"


class RevenueShipping(_EcommerceAmount):
    column_name = "revenue_shipping"
    parameter = "ec_sh"


class RevenueDiscount(_EcommerceAmount):
    column_name = "revenue_discount"
    parameter = "ec_dt"


class Items(ConversionDimension):
    """How many items the order or cart holds: the sum of the item quantities."""

    column_name = "items"

    def on_ecommerce_order_conversion(self, request: TrackingRequest, visitor: Visitor, action: Action | None,
                                      goal: Any) -> int:
        return items_count(parse_items(request))

    def on_ecommerce_cart_update_conversion(self, request: TrackingRequest, visitor: Visitor,
                                            action: Action | None, goal: Any) -> int:
        return items_count(parse_items(request))


DIMENSIONS = [Revenue, RevenueSubtotal, RevenueTax, RevenueShipping, RevenueDiscount, Items]
