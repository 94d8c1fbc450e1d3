"""VisitorInterest's hook implementations."""

from core import hookimpl

from plugins.visitor_interest import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
