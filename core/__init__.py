"""trackway's public API for plugin authors: import from ``core`` only.

Anything not exported here may change without notice.
"""

from core import columns
from core.action import Action, ActionName, ActionType
from core.context import TrackingContext
from core.conversions import ConversionKind, conversion_columns, insert_conversion
from core.dimensions import (UNCHANGED, ActionDimension, ConversionDimension, Increment, VisitDimension,
                             dimensions_in)
from core.commands import CommandContext, CommandError, ConsoleCommand
from core.errors import InvalidRequest, TrackingError
from core.log_action import resolve_action_names, stored_parameter
from core.location import Location, LocationProvider, LocationProviderError
from core.page_url import PageUrl, excluded_query_parameters, max_url_bytes, page_url, raw_page_url
from core.query_values import query_values, stored_value, url_decode
from core.params import clean_string, sanitize, to_float, to_json, truncate_utf8, unsanitize
from core.urls import normalize_click_url, normalize_page_url, split_url_prefix
from core.plugins import hookimpl
from core.request import TrackingRequest
from core.settings import Setting
from core.sites import Site
from core.visitor import Visitor

__all__ = [
    "Action", "ActionDimension", "ActionName", "ActionType", "CommandContext", "CommandError", "ConsoleCommand",
    "ConversionDimension", "ConversionKind", "Increment", "InvalidRequest", "Location", "LocationProvider", "LocationProviderError",
    "PageUrl", "Setting", "Site", "TrackingContext", "TrackingError", "TrackingRequest", "UNCHANGED", "VisitDimension",
    "Visitor", "clean_string", "columns", "conversion_columns", "dimensions_in", "excluded_query_parameters", "hookimpl", "insert_conversion", "max_url_bytes",
    "normalize_click_url", "normalize_page_url", "page_url", "query_values", "raw_page_url", "resolve_action_names", "sanitize", "split_url_prefix", "stored_parameter", "to_float", "to_json",
    "stored_value", "truncate_utf8", "unsanitize", "url_decode",
]
