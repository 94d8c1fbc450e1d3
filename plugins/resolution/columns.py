"""Resolution's dimension: the screen size the browser reports (``res``, e.g. ``1920x1080``)."""

from __future__ import annotations

from core import UNCHANGED, TrackingRequest, VisitDimension, columns
from core.params import truncate_utf8

UNKNOWN_RESOLUTION = "unknown"
"""What a request without ``res`` stands for, stored as it is."""
MAX_BYTES = 9
"""Matomo keeps the first 9 bytes of ``res``; we never cut inside a character."""


def sent_resolution(request: TrackingRequest) -> str:
    return truncate_utf8(request.get_str("res", UNKNOWN_RESOLUTION), MAX_BYTES)


class ScreenResolution(VisitDimension):
    """Set when the visit starts, and filled in later only while it is still ``unknown``."""

    column_name = "config_resolution"
    column_type = columns.VarChar(18)

    def on_new_visit(self, request: TrackingRequest, visitor, action) -> str:
        return sent_resolution(request)

    def on_existing_visit(self, request: TrackingRequest, visitor, action):
        if visitor.get(self.column_name) != UNKNOWN_RESOLUTION:
            return UNCHANGED
        resolution = sent_resolution(request)
        return UNCHANGED if resolution == UNKNOWN_RESOLUTION else resolution


DIMENSIONS = [ScreenResolution]
