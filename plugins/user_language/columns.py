"""UserLanguage's dimension: the visitor's preferred language as one short code (``de``, ``en-gb``)."""

from __future__ import annotations

from core import TrackingRequest, VisitDimension, columns
from core.fingerprint import browser_language_code  # not exported by ``core`` yet

UNKNOWN_LANGUAGE = "xx"
"""Stored when the visitor sent a language preference but no usable code in it."""


def language_code(preference: str) -> str:
    """``''`` without a preference, else its first language code, else ``xx``."""
    if not preference.strip():
        return ""
    return browser_language_code(preference) or UNKNOWN_LANGUAGE


class BrowserLanguage(VisitDimension):
    """Set once, when the visit starts; ``lang`` overrides the Accept-Language header."""

    column_name = "location_browser_lang"
    column_type = columns.VarChar(20)

    def on_new_visit(self, request: TrackingRequest, visitor, action) -> str:
        return language_code(request.browser_language)[:20]


DIMENSIONS = [BrowserLanguage]
