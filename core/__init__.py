"""trackway's public API for plugin authors: import from ``core`` only.

Anything not exported here may change without notice.
"""

from core import columns
from core.action import Action, ActionName, ActionType
from core.context import TrackingContext
from core.dimensions import (UNCHANGED, ActionDimension, ConversionDimension, Increment, VisitDimension,
                             dimensions_in)
from core.commands import CommandContext, CommandError, ConsoleCommand
from core.errors import InvalidRequest, TrackingError
from core.location import Location, LocationProvider, LocationProviderError
from core.plugins import hookimpl
from core.request import TrackingRequest
from core.settings import Setting
from core.sites import Site
from core.visitor import Visitor

__all__ = [
    "Action", "ActionDimension", "ActionName", "ActionType", "CommandContext", "CommandError", "ConsoleCommand",
    "ConversionDimension", "Increment", "InvalidRequest", "Location", "LocationProvider", "LocationProviderError",
    "Setting", "Site", "TrackingContext", "TrackingError", "TrackingRequest", "UNCHANGED", "VisitDimension",
    "Visitor", "columns", "dimensions_in", "hookimpl",
]
