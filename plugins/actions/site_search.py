"""Site search: a search on the site itself, sent explicitly (``search``) or found in the page URL.

Only for sites with site search enabled. The keyword becomes a type-8 ``log_action`` name; the
action has no URL (spec §10.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from core import (Action, ActionName, ActionType, Site, TrackingRequest, page_url, query_values, raw_page_url,
                  stored_value)

SECTION = "Actions"
DEFAULT_KEYWORD_PARAMETERS = ("q", "query", "s", "search", "searchword", "k", "keyword", "keywords")
CATEGORY_LENGTH = 200
_TRIM = " \t\n\r\x00\x0b"


@dataclass
class SiteSearch(Action):
    kind = "sitesearch"
    priority = 10
    category: str | None = None
    count: int | None = None


def _count(value: object) -> int | None:
    """A result count is used only when it is a whole number, zero or more."""
    text = str(value).strip(_TRIM) if value is not None else ""
    return int(text) if text.isdigit() else None


def _explicit(request: TrackingRequest) -> tuple[str, str | None, int | None] | None:
    if not request.has("search"):
        return None
    keyword = (request.get_str("search") or "").strip(_TRIM)
    category = (request.get_str("search_cat") or "").strip(_TRIM)[:CATEGORY_LENGTH] or None
    return keyword, category, _count(request.get_raw("search_count"))


def _url_parameters(url: str) -> dict[str, str]:
    """The URL's query parameters and its fragment's (``#q=x`` or ``#/path?q=x``), by lower-cased name,
    the fragment's winning."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return {}
    fragment = parts.fragment
    if "?" in fragment:
        fragment = fragment.split("?", 1)[1]
    values: dict[str, str] = {}
    for source in (parts.query, fragment):
        for name, value in query_values(source).items():
            values[name.lower()] = value
    return values


def _parameter_lists(request: TrackingRequest, site: Site) -> tuple[list[str], list[str]]:
    settings = request.settings
    keywords = site.sitesearch_keyword_parameters or (
        settings.get(SECTION, "site_search_keyword_parameters") if settings else list(DEFAULT_KEYWORD_PARAMETERS))
    categories = site.sitesearch_category_parameters or (
        settings.get(SECTION, "site_search_category_parameters") if settings else [])
    return keywords, categories


def _from_url(request: TrackingRequest, site: Site) -> tuple[str, str | None, int | None] | None:
    values = _url_parameters(raw_page_url(request))
    if not values:
        return None
    charsets = tuple(c for c in [request.get_str("cs") or ""] if c and c.lower() not in ("utf-8", "utf8"))
    keyword_names, category_names = _parameter_lists(request, site)

    def first(names: list[str]) -> str:
        for name in names:
            encoded = values.get(name.lower())
            if encoded is not None:
                value = stored_value(encoded, charsets)
                if value:
                    return value
        return ""

    keyword = first(keyword_names)
    if not keyword:
        return None
    category = first(category_names)[:CATEGORY_LENGTH] or None
    return keyword, category, _count(values.get("search_count"))


def build_site_search(request: TrackingRequest, site: Site) -> SiteSearch | None:
    if not site.sitesearch:
        return None
    found = _explicit(request) or _from_url(request, site)
    if found is None or not found[0]:
        return None
    keyword, category, count = found
    page = page_url(request, site)
    return SiteSearch(type=ActionType.SITE_SEARCH, url=page.url, raw_url=page.raw_url,
                      names={"idaction_url": None, "idaction_name": ActionName(keyword, ActionType.SITE_SEARCH)},
                      category=category, count=count)
