"""Goals' conversion dimensions: columns of ``log_conversion`` computed per conversion.

``pageviews_before`` is a column of the core's table (``column_type = None``); a plugin that
owns its column sets ``column_type`` and adds the column in its migration.
"""

from __future__ import annotations

from typing import Any

from core import Action, ActionType, ConversionDimension, TrackingRequest, Visitor


class PageviewsBefore(ConversionDimension):
    """How many page views the visit had when it converted, the converting one included: on goal
    conversions, orders and cart updates alike (spec §10.8, "Conversion row")."""

    column_name = "pageviews_before"

    def on_goal_conversion(self, request: TrackingRequest, visitor: Visitor, action: Action | None,
                           goal: Any) -> int:
        before = 0
        if not visitor.is_new_visit:
            before = (visitor.previous("visit_total_interactions") or 0) - (visitor.previous("visit_total_searches") or 0)
        return max(0, before) + (1 if action is not None and action.type == ActionType.PAGE_URL else 0)

    on_ecommerce_order_conversion = on_goal_conversion
    on_ecommerce_cart_update_conversion = on_goal_conversion


DIMENSIONS = [PageviewsBefore]
