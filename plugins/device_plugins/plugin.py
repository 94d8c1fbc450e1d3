"""DevicePlugins's hook implementations."""

from core import hookimpl

from plugins.device_plugins import columns


@hookimpl
def register_dimensions() -> list[type]:
    return columns.DIMENSIONS
