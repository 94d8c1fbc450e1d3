"""Resolution's hook implementations."""

from core import hookimpl

from plugins.resolution import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
