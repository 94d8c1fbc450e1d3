"""Building a page-view action from a request."""

from __future__ import annotations

from core import (Action, ActionName, ActionType, Site, TrackingRequest, clean_string, max_url_bytes, page_url,
                  truncate_utf8)


class PageView(Action):
    kind = "pageview"
    priority = -1  # the fallback: any other kind of action wins


def page_title(request: TrackingRequest) -> str:
    return truncate_utf8(clean_string(request.get_str("action_name") or ""), max_url_bytes(request))


def build_pageview(request: TrackingRequest, site: Site) -> PageView:
    page = page_url(request, site)
    name, prefix = page.split()
    return PageView(
        type=ActionType.PAGE_URL,
        url=page.url,
        raw_url=page.raw_url,
        names={
            "idaction_url": ActionName(name, ActionType.PAGE_URL, prefix if name else None),
            "idaction_name": ActionName(page_title(request), ActionType.PAGE_TITLE),
        },
    )
