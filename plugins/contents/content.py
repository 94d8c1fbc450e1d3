"""Building a content action from a request (spec §2, §3, §7.2, §7.4, §10.2)."""

from __future__ import annotations

from core import (Action, ActionName, ActionType, InvalidRequest, Site, TrackingRequest, page_url,
                  stored_parameter)

OPTIONAL_PARTS = {
    "idaction_content_piece": ("c_p", ActionType.CONTENT_PIECE),
    "idaction_content_target": ("c_t", ActionType.CONTENT_TARGET),
    "idaction_content_interaction": ("c_i", ActionType.CONTENT_INTERACTION),
}
"""Each optional content column, the parameter that fills it and its log_action type. Sent blank or
not at all, the column is NULL; without ``c_i`` the content is an impression."""


class ContentAction(Action):
    kind = "content"
    priority = 20


def is_content(request: TrackingRequest) -> bool:
    """``c_n`` is sent and not empty in PHP's sense (so ``"0"`` is no content, as in Matomo);
    whitespace counts here (it is refused later)."""
    name = request.get_str("c_n")
    return bool(name) and name != "0"


def build_content(request: TrackingRequest, site: Site) -> ContentAction | None:
    if not is_content(request):
        return None
    page = page_url(request, site)
    names: dict[str, ActionName | None] = {
        # The full URL, scheme included: content URLs are never split into name and prefix.
        "idaction_url": ActionName(page.url, ActionType.CONTENT_NAME),
        "idaction_name": None,
        # A blank name stays in, empty: check_content refuses it once the action is final.
        "idaction_content_name": ActionName(stored_parameter(request, "c_n"), ActionType.CONTENT_NAME),
    }
    for column, (parameter, type_) in OPTIONAL_PARTS.items():
        text = stored_parameter(request, parameter)
        names[column] = ActionName(text, type_) if text else None
    return ContentAction(type=ActionType.CONTENT_NAME, url=page.url, raw_url=page.raw_url, names=names)


def check_content(action: Action | None) -> None:
    """A content name made only of whitespace refuses the whole request (400, nothing stored)."""
    if isinstance(action, ContentAction) and not action.names["idaction_content_name"].name:
        raise InvalidRequest("Param `c_n` must not be empty or filled with whitespaces")
