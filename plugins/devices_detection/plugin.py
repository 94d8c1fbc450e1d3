"""DevicesDetection's hook implementations."""

from __future__ import annotations

from typing import Any

from core import TrackingRequest, hookimpl
from plugins.devices_detection import columns
from plugins.devices_detection.detection import detection_for, warm_up


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS


@hookimpl
def startup(tracker: Any) -> None:
    warm_up()


@hookimpl
def exclusion_reason(request: TrackingRequest) -> str | None:
    """Bots are not tracked, unless the request says ``bots=1`` (then they are stored as ``BOT``)."""
    if request.get_int("bots") == 1:
        return None
    return "bot" if detection_for(request).is_bot else None


@hookimpl
def device_fingerprint(request: TrackingRequest) -> dict[str, Any]:
    return detection_for(request).fingerprint()
