"""Goals' conversion dimensions: columns of ``log_conversion`` computed per goal conversion.

``pageviews_before`` is a column of the core's table (``column_type = None``); a plugin that
owns its column sets ``column_type`` and adds the column in its migration.
"""

from __future__ import annotations

from typing import Any

from core import Action, ActionType, ConversionDimension, TrackingRequest, Visitor


class PageviewsBefore(ConversionDimension):
    """How many page views the visit had when the goal converted, the converting one included."""

    column_name = "pageviews_before"

    def on_goal_conversion(self, request: TrackingRequest, visitor: Visitor, action: Action | None,
                           goal: Any) -> int:
        before = 0
        if not visitor.is_new_visit:
            before = (visitor.previous("visit_total_interactions") or 0) - (visitor.previous("visit_total_searches") or 0)
        return max(0, before) + (1 if action is not None and action.type == ActionType.PAGE_URL else 0)


DIMENSIONS = [PageviewsBefore]
