"""DevicePlugins' dimensions: one flag per browser feature, as the tracker sent it (``pdf=1``, ...)."""

from __future__ import annotations

from typing import ClassVar

from core import TrackingRequest, VisitDimension, columns

TINYINT_RANGE = (-128, 127)


def sent_flag(request: TrackingRequest, parameter: str) -> int:
    """The flag as an integer (0 when missing or not an integer), clamped to what TINYINT holds,
    as MariaDB does outside strict mode, instead of failing the request."""
    low, high = TINYINT_RANGE
    return min(max(request.get_int(parameter, 0), low), high)


class _Flag(VisitDimension):
    """Set once, when the visit starts."""

    column_type = columns.TinyInt(1)
    parameter: ClassVar[str] = ""

    def on_new_visit(self, request: TrackingRequest, visitor, action) -> int:
        return sent_flag(request, self.parameter)


class PluginCookie(_Flag):
    # The raw flag: the Internet Explorer rule (cookie counted as 0) only applies to the config id.
    column_name = "config_cookie"
    parameter = "cookie"


class PluginFlash(_Flag):
    column_name = "config_flash"
    parameter = "fla"


class PluginJava(_Flag):
    column_name = "config_java"
    parameter = "java"


class PluginPdf(_Flag):
    column_name = "config_pdf"
    parameter = "pdf"


class PluginQuickTime(_Flag):
    column_name = "config_quicktime"
    parameter = "qt"


class PluginRealPlayer(_Flag):
    column_name = "config_realplayer"
    parameter = "realp"


class PluginSilverlight(_Flag):
    column_name = "config_silverlight"
    parameter = "ag"


class PluginWindowsMedia(_Flag):
    column_name = "config_windowsmedia"
    parameter = "wma"


DIMENSIONS = [PluginCookie, PluginFlash, PluginJava, PluginPdf, PluginQuickTime, PluginRealPlayer, PluginSilverlight,
              PluginWindowsMedia]
