"""VisitTime's hook implementations."""

from core import hookimpl

from plugins.visit_time import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
