"""Contents' hook implementations."""

from core import Action, Site, TrackingContext, TrackingRequest, hookimpl

from plugins.contents import columns
from plugins.contents.content import build_content, check_content


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS


@hookimpl
def build_action(request: TrackingRequest, site: Site) -> Action | None:
    return build_content(request, site)


@hookimpl(trylast=True)
def after_request_processed(context: TrackingContext) -> None:
    """Refuse a blank content name only when the content is the action that will be stored (an
    outlink clicked inside a content block is not refused). Last, so that every other plugin has
    had its say on the action."""
    check_content(context.action)
