"""Events' hook implementations."""

from core import Action, Site, TrackingContext, TrackingRequest, hookimpl

from plugins.events import columns
from plugins.events.event import build_event, check_event


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS


@hookimpl
def build_action(request: TrackingRequest, site: Site) -> Action | None:
    return build_event(request, site)


@hookimpl(trylast=True)
def after_request_processed(context: TrackingContext) -> None:
    """Refuse a blank category or action only when the event is the action that will be stored:
    a download or outlink carrying the same parameters, or a heartbeat, is not refused. Last, so
    that every other plugin has had its say on the action."""
    check_event(context.action)
