"""Actions' hook implementations: the page view is the action of last resort."""

from core import hookimpl

from plugins.actions import columns
from plugins.actions.pageview import build_pageview


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS


@hookimpl(trylast=True)
def build_action(request, site):
    """Whatever no other plugin claims is a page view (Matomo's default action)."""
    return build_pageview(request, site)
