"""DevicesDetection's dimensions: one log_visit column each, set when a visit starts.

Matomo never changes them on an ongoing visit. The five columns Matomo copies into
log_conversion carry the visit's value there too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from core import VisitDimension, columns
from plugins.devices_detection.detection import detection_for


class _DeviceColumn(VisitDimension):
    attribute: ClassVar[str] = ""
    """The ``Detection`` field the column stores."""

    def on_new_visit(self, request, visitor, action) -> Any:
        return getattr(detection_for(request), self.attribute)


class _CopiedToConversions(_DeviceColumn):
    def on_any_goal_conversion(self, request, visitor, action) -> Any:
        return visitor.get(self.column_name)


class BrowserEngine(_DeviceColumn):
    column_name = "config_browser_engine"
    column_type = columns.VarChar(10)
    attribute = "browser_engine"


class BrowserName(_CopiedToConversions):
    column_name = "config_browser_name"
    column_type = columns.VarChar(40)
    attribute = "browser_name"


class BrowserVersion(_DeviceColumn):
    column_name = "config_browser_version"
    column_type = columns.VarChar(20)
    attribute = "browser_version"


class ClientType(_CopiedToConversions):
    column_name = "config_client_type"
    column_type = columns.TinyInt(1)
    attribute = "client_type"


class DeviceBrand(_CopiedToConversions):
    column_name = "config_device_brand"
    column_type = columns.VarChar(100)
    attribute = "device_brand"


class DeviceModel(_CopiedToConversions):
    column_name = "config_device_model"
    column_type = columns.VarChar(100)
    attribute = "device_model"


class DeviceType(_CopiedToConversions):
    column_name = "config_device_type"
    column_type = columns.TinyInt()
    attribute = "device_type"


class OperatingSystem(_DeviceColumn):
    column_name = "config_os"
    column_type = columns.Char(3)
    attribute = "os"


class OperatingSystemVersion(_DeviceColumn):
    column_name = "config_os_version"
    column_type = columns.VarChar(100)
    attribute = "os_version"


DIMENSIONS = [BrowserEngine, BrowserName, BrowserVersion, ClientType, DeviceBrand, DeviceModel, DeviceType,
              OperatingSystem, OperatingSystemVersion]
