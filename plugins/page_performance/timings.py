"""Reading the page-load timings (``pf_*``, milliseconds) of a request."""

from __future__ import annotations

from core import Action, ActionType, InvalidRequest, TrackingRequest

COLUMNS = {
    "pf_net": "time_network",
    "pf_srv": "time_server",
    "pf_tfr": "time_transfer",
    "pf_dm1": "time_dom_processing",
    "pf_dm2": "time_dom_completion",
    "pf_onl": "time_on_load",
}
"""Each parameter and the ``log_link_visit_action`` column it fills."""
ABSENT = -1
MAX_STORABLE = 16_777_215
"""The largest MEDIUMINT UNSIGNED; larger values are dropped, not cut."""


def is_page_view(action: Action | None) -> bool:
    return action is not None and action.type == ActionType.PAGE_URL


def page_view_timing(request: TrackingRequest, parameter: str) -> int | None:
    """A page view's timing: None when absent (missing, ``-1``, not an integer) or too large to
    store; a negative one makes the request invalid."""
    value = request.get_int(parameter, ABSENT)
    if value == ABSENT:
        return None
    if value < 0:
        raise InvalidRequest(f"Value for {parameter} can't be negative.")
    return value if value <= MAX_STORABLE else None


def check_page_view_timings(request: TrackingRequest) -> None:
    for parameter in COLUMNS:
        page_view_timing(request, parameter)


def late_timings(request: TrackingRequest) -> dict[str, int]:
    """The timings a request that is not a page view carries for an earlier page view, by column;
    invalid ones are ignored there."""
    values = {column: request.get_int(parameter, ABSENT) for parameter, column in COLUMNS.items()}
    return {column: value for column, value in values.items() if 0 <= value <= MAX_STORABLE}
