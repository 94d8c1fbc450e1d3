"""VisitTime's dimension: the visitor's local time of day when the visit started (``h``, ``m``, ``s``)."""

from __future__ import annotations

from datetime import time

from sqlalchemy import types

from core import TrackingRequest, VisitDimension


def _part(request: TrackingRequest, parameter: str, clock_value: int, highest: int) -> int:
    value = request.get_int(parameter, clock_value)
    return value if 0 <= value <= highest else 0


def local_time(request: TrackingRequest) -> time:
    """Each of ``h``/``m``/``s`` that is missing (or not an integer) comes from the request's UTC
    time; one out of range counts as 0."""
    clock = request.time
    return time(_part(request, "h", clock.hour, 23), _part(request, "m", clock.minute, 59),
                _part(request, "s", clock.second, 59))


class LocalTime(VisitDimension):
    """Set once, when the visit starts."""

    column_name = "visitor_localtime"
    column_type = types.Time()  # TIME: core.columns has no helper for it yet

    def on_new_visit(self, request: TrackingRequest, visitor, action) -> time:
        return local_time(request)


DIMENSIONS = [LocalTime]
