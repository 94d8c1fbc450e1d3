"""PagePerformance's dimensions: one page-load timing per column, stored on page views only."""

from __future__ import annotations

from typing import ClassVar

from core import UNCHANGED, Action, ActionDimension, TrackingRequest, columns

from plugins.page_performance.timings import COLUMNS, is_page_view, page_view_timing


class _Timing(ActionDimension):
    column_type = columns.UnsignedMediumInt()
    parameter: ClassVar[str] = ""

    def on_new_action(self, request: TrackingRequest, visitor, action: Action):
        if not is_page_view(action):
            return UNCHANGED
        return page_view_timing(request, self.parameter)


class TimeNetwork(_Timing):
    column_name = COLUMNS["pf_net"]
    parameter = "pf_net"


class TimeServer(_Timing):
    column_name = COLUMNS["pf_srv"]
    parameter = "pf_srv"


class TimeTransfer(_Timing):
    column_name = COLUMNS["pf_tfr"]
    parameter = "pf_tfr"


class TimeDomProcessing(_Timing):
    column_name = COLUMNS["pf_dm1"]
    parameter = "pf_dm1"


class TimeDomCompletion(_Timing):
    column_name = COLUMNS["pf_dm2"]
    parameter = "pf_dm2"


class TimeOnLoad(_Timing):
    column_name = COLUMNS["pf_onl"]
    parameter = "pf_onl"


DIMENSIONS = [TimeNetwork, TimeServer, TimeTransfer, TimeDomProcessing, TimeDomCompletion, TimeOnLoad]
