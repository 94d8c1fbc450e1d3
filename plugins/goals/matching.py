"""Which goals an action converts (spec §10.8 "Goal definitions").

Each match attribute looks at one kind of action (the type gate) and compares one value with
the goal's pattern. ``manually`` goals never match here: they convert only through ``idgoal``.
An attribute trackway does not know (a row written by hand) looks at every action and compares
its raw URL, as Matomo does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from core import Action, ActionType, TrackingContext, unsanitize

from plugins.goals.definitions import Goal

PAGE_VIEW_ATTRIBUTES = {"url", "title", "visit_nb_pageviews"}
EVENT_COLUMNS = {"event_category": "idaction_event_category", "event_action": "idaction_event_action",
                 "event_name": "idaction_name"}
GATES = {"file": ActionType.DOWNLOAD, "external_website": ActionType.OUTLINK,
         **{attribute: ActionType.PAGE_URL for attribute in PAGE_VIEW_ATTRIBUTES},
         **{attribute: ActionType.EVENT_CATEGORY for attribute in EVENT_COLUMNS}}
"""The action type each attribute looks at; ``visit_duration`` and unknown attributes look at all."""


def is_page_view(action: Action | None) -> bool:
    return action is not None and action.type == ActionType.PAGE_URL


def visit_page_views(context: TrackingContext) -> int:
    """Page views of the visit before this request (the stored interactions less the searches)."""
    visitor = context.visitor
    if visitor.is_new_visit:
        return 0
    return (visitor.previous("visit_total_interactions") or 0) - (visitor.previous("visit_total_searches") or 0)


def visit_minutes(context: TrackingContext) -> float:
    """Minutes since the visit's first action; 0 for the request that opens the visit."""
    first = None if context.visitor.is_new_visit else context.visitor.get("visit_first_action_time")
    if first is None:
        return 0.0
    return max(0.0, (context.request.time - first).total_seconds() / 60)


def _name(action: Action, column: str) -> str:
    name = action.names.get(column)
    return name.name if name is not None else ""


def compared_value(goal: Goal, context: TrackingContext) -> "str | float | None":
    """What ``goal`` compares for the request's action (unescaped), or None when its type gate
    says the goal does not apply to this kind of action."""
    action = context.action
    attribute = goal.match_attribute
    if action is None or attribute == "manually":
        return None
    gate = GATES.get(attribute)
    if gate is not None and action.type != gate:
        return None
    if attribute == "title":
        return unsanitize(_name(action, "idaction_name"))
    if attribute in EVENT_COLUMNS:
        return unsanitize(_name(action, EVENT_COLUMNS[attribute]))
    if attribute == "visit_duration":
        return visit_minutes(context)
    if attribute == "visit_nb_pageviews":
        return visit_page_views(context) + 1
    return unsanitize(action.raw_url)


def matching_goals(goals: Iterable[Goal], context: TrackingContext) -> Iterator[Goal]:
    for goal in goals:
        value = compared_value(goal, context)
        if value is not None and goal.matches(value):
            yield goal
