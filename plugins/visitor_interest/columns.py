"""VisitorInterest's dimension: how long after the start of the previous visit this one started."""

from __future__ import annotations

from datetime import datetime

from core import TrackingRequest, VisitDimension, Visitor, columns

NO_TIME = datetime(1970, 1, 1)
"""``visit_first_action_time``'s server default: a previous visit with it tells nothing."""


class VisitorSecondsSinceLast(VisitDimension):
    """Set once, when the visit starts: 0 for a new visitor, NULL for a visit placed before the
    previous one (``cdt`` in the past)."""

    column_name = "visitor_seconds_since_last"
    column_type = columns.UnsignedInt()

    def on_new_visit(self, request: TrackingRequest, visitor: Visitor, action) -> int | None:
        if not visitor.is_known:
            return 0
        previous_start = visitor.previous("visit_first_action_time")
        if previous_start is None or previous_start == NO_TIME:
            return 0
        seconds = int((request.time - previous_start).total_seconds())
        return seconds if seconds >= 0 else None


DIMENSIONS = [VisitorSecondsSinceLast]
