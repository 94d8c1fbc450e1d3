"""TrackingContext: everything known about one request while the pipeline processes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from core.action import Action
    from core.request import TrackingRequest
    from core.sites import Site
    from core.tracker import Tracker
    from core.visitor import Visitor


@dataclass
class TrackingContext:
    request: "TrackingRequest"
    site: "Site"
    tracker: "Tracker"
    visitor: "Visitor"
    action: "Action | None"
    is_new_visit: bool
    visitor_id_source: str | None
    """Where the request's visitor id came from: 'uid', 'cid', '_id' or None."""
    converted: bool = False
    """Set by a plugin when the request converts a goal (drives ``on_converted_visit``)."""
    idvisit: int | None = None
    idlink_va: int | None = None
    action_row: dict[str, Any] = field(default_factory=dict)
    learnt_action_ids: dict[tuple[str, int], int] = field(default_factory=dict)
    """``log_action`` ids this request inserted or looked up: cached for other requests once it commits."""
    extra: dict[str, Any] = field(default_factory=dict)
