"""The page URL of a request, as every action kind that records one stores it.

Page views, events, contents and site searches all refer to the page they happened on: this is
the one place that reads it from the request and normalises it (spec §7.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.params import sanitize
from core.request import TrackingRequest
from core.sites import Site
from core.urls import normalize_page_url, split_url_prefix


@dataclass(frozen=True)
class PageUrl:
    url: str
    """Normalised, with its scheme (``https://www.example.org/a?b=1``); ``''`` when missing or invalid."""
    raw_url: str
    """As sent, HTML-escaped: goals match URLs against this."""

    def split(self) -> tuple[str, int | None]:
        """``(name, url_prefix)`` as ``log_action`` stores a page URL: ``https://www.`` becomes prefix 3."""
        return split_url_prefix(self.url)


def raw_page_url(request: TrackingRequest) -> str:
    """``url``, or the HTTP Referer for image trackers that send neither ``url`` nor ``urlref``."""
    url = request.get_raw("url")
    if isinstance(url, str):
        return url
    if not request.has("urlref"):
        return request.header("referer")
    return ""


def excluded_query_parameters(request: TrackingRequest, site: Site) -> list[str]:
    """The tracker's, the site's and the plugins' (``excluded_query_parameters`` hook) lists together."""
    global_list = request.settings.get("Tracker", "url_query_parameter_to_exclude_from_url") if request.settings else []
    return [*global_list, *site.excluded_parameters, *site.attributes.get("excluded_query_parameters", ())]


def max_url_bytes(request: TrackingRequest) -> int:
    return request.settings.get("Tracker", "page_maximum_length") if request.settings else 1024


def page_url(request: TrackingRequest, site: Site) -> PageUrl:
    """The request's page URL, normalised for ``site`` (excluded parameters, fragment rule, length).

    Computed once per request: several plugins build their kind of action from the same request
    (the page view is built for an event request too), and normalising is the costly part."""
    key = f"page_url:{site.idsite}"
    cached = request.extra.get(key)
    if cached is None:
        raw = raw_page_url(request)
        url = normalize_page_url(raw, excluded_params=excluded_query_parameters(request, site),
                                 keep_fragment=site.keep_url_fragment == 1, max_bytes=max_url_bytes(request))
        cached = request.extra[key] = PageUrl(url=url, raw_url=sanitize(raw))
    return cached
