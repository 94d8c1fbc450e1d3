"""Actions' hook implementations: the page view is the action of last resort."""

from core import hookimpl

from plugins.actions import columns
from plugins.actions.pageview import build_pageview


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS


@hookimpl
def build_action(request, site):
    """Every request is a page view unless another kind, of higher priority, claims it."""
    return build_pageview(request, site)
