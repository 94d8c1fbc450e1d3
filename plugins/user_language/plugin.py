"""UserLanguage's hook implementations."""

from core import hookimpl

from plugins.user_language import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
