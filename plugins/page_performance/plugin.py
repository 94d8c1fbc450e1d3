"""PagePerformance's hook implementations."""

from sqlalchemy.engine import Connection

from core import TrackingContext, hookimpl

from plugins.page_performance import columns
from plugins.page_performance.late_timings import store_late_timings
from plugins.page_performance.timings import check_page_view_timings, is_page_view


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS


@hookimpl(trylast=True)
def after_request_processed(context: TrackingContext) -> None:
    """A negative timing refuses the page view (400) before anything is written. Last, so the
    action is the one that will be stored."""
    if is_page_view(context.action):
        check_page_view_timings(context.request)


@hookimpl
def record(context: TrackingContext, connection: Connection) -> None:
    store_late_timings(context, connection)
