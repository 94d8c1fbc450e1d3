"""The value of each active dimension for one request (spec §10.11), and where it goes.

- ``dimension<id>`` sent: its sanitised value, trimmed and cut to 250 characters; sent empty: ``''``.
- Not sent: the first extraction that matches gives the value, urldecoded (then sanitised like
  a sent value, so stored values always have Matomo's HTML-escaped form).
- Neither: no value, and the column is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import unquote_plus

from core import Site, TrackingContext, TrackingRequest, clean_string, page_url, sanitize, unsanitize

from plugins.custom_dimensions.active import ATTRIBUTE, ActiveDimension

MAX_LENGTH = 250
_PHP_TRIM = " \t\n\r\x00\x0b"


def prepare(value: str) -> str:
    return value.strip(_PHP_TRIM)[:MAX_LENGTH]


def sent_value(request: TrackingRequest, dimension: ActiveDimension) -> str | None:
    """The value sent as ``dimension<id>``; ``''`` when sent empty, None when not sent (or not a string)."""
    if request.params.get(dimension.parameter) == "":
        return ""
    value = request.get_str(dimension.parameter)
    return None if value is None else prepare(value)


class _Texts:
    """What extractions read, computed at most once per request."""

    def __init__(self, request: TrackingRequest, site: Site) -> None:
        self._request, self._site = request, site
        self._cache: dict[str, str] = {}

    def get(self, source: str) -> str:
        key = "action_name" if source == "action_name" else "url"
        if key not in self._cache:
            if key == "url":
                # the URL as sent, like Matomo's `url` parameter: campaign and other excluded
                # parameters, and the fragment, are still there for urlparam/url patterns
                self._cache[key] = unsanitize(page_url(self._request, self._site).raw_url)
            else:
                self._cache[key] = clean_string(unsanitize(self._request.get_str("action_name") or ""))
        return self._cache[key]


def extracted_value(dimension: ActiveDimension, texts: _Texts) -> str | None:
    for source, regex in dimension.extractors:
        text = texts.get(source)
        if not text:
            continue
        match = regex.search(text)
        if match is None or not match.group(1):
            continue
        value = prepare(sanitize(unquote_plus(match.group(1))))
        if value:
            return value
    return None


def dimension_values(request: TrackingRequest, site: Site,
                     dimensions: Iterable[ActiveDimension]) -> Iterator[tuple[ActiveDimension, str]]:
    texts = _Texts(request, site)
    for dimension in dimensions:
        value = sent_value(request, dimension)
        if value is None and dimension.extractors:
            value = extracted_value(dimension, texts)
        if value is not None:
            yield dimension, value


def assign_values(context: TrackingContext) -> None:
    """Visit scope into the visit being written (new, or ongoing when a value came); action
    scope into the action row, when the request has an action. The core writes only columns
    the tables have."""
    dimensions: tuple[ActiveDimension, ...] = context.site.attributes.get(ATTRIBUTE, ())
    action = context.action
    wanted = [d for d in dimensions if d.scope == "visit" or action is not None]
    for dimension, value in dimension_values(context.request, context.site, wanted):
        if dimension.scope == "visit":
            context.visitor.set(dimension.column, value)
        elif action is not None:
            action.row_values[dimension.column] = value
