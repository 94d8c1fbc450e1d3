"""CoreHome's hook implementations."""

from core import hookimpl

from plugins.core_home import columns


@hookimpl
def register_dimensions():
    return columns.DIMENSIONS
