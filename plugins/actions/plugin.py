"""Actions' hook implementations: downloads, outlinks, site searches and, as the action of last
resort, page views."""

from core import Setting, hookimpl

from plugins.actions import columns
from plugins.actions.click import build_download, build_outlink
from plugins.actions.pageview import build_pageview
from plugins.actions.site_search import DEFAULT_KEYWORD_PARAMETERS, SECTION, build_site_search


@hookimpl
def settings_schema():
    return {SECTION: {
        "site_search_keyword_parameters": Setting(list(DEFAULT_KEYWORD_PARAMETERS), (
            "Page-URL query parameters that hold a site-search keyword, for sites that name none of their "
            "own (site:add --sitesearch-keyword-parameters). Compared case-insensitively.")),
        "site_search_category_parameters": Setting([], (
            "Page-URL query parameters that hold a site-search category, for sites that name none of their own.")),
    }}


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS


@hookimpl
def build_action(request, site):
    """The first of Actions' kinds the request is, in Matomo's order; any request is at least a
    page view. Other plugins' kinds (events, contents) outrank the page view and the site search."""
    return (build_download(request) or build_outlink(request) or build_site_search(request, site)
            or build_pageview(request, site))
