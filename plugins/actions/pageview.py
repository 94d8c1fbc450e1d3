"""Building a page-view action from a request."""

from __future__ import annotations

from core import Action, ActionName, ActionType, Site, TrackingRequest
from core.params import clean_string, sanitize, truncate_utf8
from core.urls import normalize_page_url, split_url_prefix


class PageView(Action):
    kind = "pageview"
    priority = -1  # the fallback: any other kind of action wins


def page_url_of(request: TrackingRequest) -> str:
    """The raw page URL: ``url``, or the HTTP Referer for image trackers that send neither url nor urlref."""
    url = request.get_raw("url")
    if isinstance(url, str):
        return url
    if not request.has("urlref"):
        return request.header("referer")
    return ""


def excluded_parameters(request: TrackingRequest, site: Site) -> list[str]:
    global_list = request.settings.get("Tracker", "url_query_parameter_to_exclude_from_url") if request.settings else []
    return [*global_list, *site.excluded_parameters, *site.attributes.get("excluded_query_parameters", ())]


def build_pageview(request: TrackingRequest, site: Site) -> PageView:
    max_bytes = request.settings.get("Tracker", "page_maximum_length") if request.settings else 1024
    raw_url = page_url_of(request)
    url = normalize_page_url(raw_url, excluded_params=excluded_parameters(request, site),
                             keep_fragment=site.keep_url_fragment == 1, max_bytes=max_bytes)
    name, prefix = split_url_prefix(url)
    title = truncate_utf8(clean_string(request.get_str("action_name") or ""), max_bytes)
    return PageView(
        type=ActionType.PAGE_URL,
        url=url,
        raw_url=sanitize(raw_url),
        names={
            "idaction_url": ActionName(name, ActionType.PAGE_URL, prefix if name else None),
            "idaction_name": ActionName(title, ActionType.PAGE_TITLE),
        },
    )
