"""CustomVariables's hook implementations."""

from core import hookimpl

from plugins.custom_variables import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
