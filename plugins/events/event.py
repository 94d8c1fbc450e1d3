"""Building an event action from a request (spec §2, §3, §7.4, §10.2)."""

from __future__ import annotations

from core import (Action, ActionName, ActionType, InvalidRequest, Site, TrackingRequest, page_url,
                  stored_parameter)

REQUIRED = (("e_c", "idaction_event_category"), ("e_a", "idaction_event_action"))


class EventAction(Action):
    kind = "event"
    priority = 30


def is_event(request: TrackingRequest) -> bool:
    """Both category and action are sent and non-empty; whitespace counts here (it is refused later)."""
    return bool(request.get_str("e_c")) and bool(request.get_str("e_a"))


def build_event(request: TrackingRequest, site: Site) -> EventAction | None:
    if not is_event(request):
        return None
    page = page_url(request, site)
    url_name, prefix = page.split()
    event_name = stored_parameter(request, "e_n")
    return EventAction(
        type=ActionType.EVENT_CATEGORY,
        url=page.url,
        raw_url=page.raw_url,
        custom_float=request.get_float("e_v"),
        names={
            "idaction_url": ActionName(url_name, ActionType.EVENT_CATEGORY, prefix if url_name else None),
            "idaction_name": ActionName(event_name, ActionType.EVENT_NAME) if event_name else None,
            "idaction_event_category": ActionName(stored_parameter(request, "e_c"), ActionType.EVENT_CATEGORY),
            "idaction_event_action": ActionName(stored_parameter(request, "e_a"), ActionType.EVENT_ACTION),
        },
    )


def check_event(action: Action | None) -> None:
    """A category or action made only of whitespace refuses the whole request (400, nothing stored)."""
    if not isinstance(action, EventAction):
        return
    for parameter, column in REQUIRED:
        name = action.names.get(column)
        if name is None or not name.name:
            raise InvalidRequest(f"Param `{parameter}` must not be empty or filled with whitespaces")
